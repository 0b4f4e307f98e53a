"""Gunicorn, started from `learn serve`: threaded workers, and a deadline for a request's headers.

Gunicorn's sync workers serve one connection at a time: two clients that send their headers a
byte a second hold both default workers, and every other request waits. The threaded workers
(gthread) serve THREADS connections each, and a request must have sent its whole request line
and headers within HEADER_SECONDS of the server starting to read them, or the connection is
closed: a slow client holds a thread for at most that long. Bodies are not under that deadline
(an upload from a phone may be slow); on the internet, nginx in front buffers whole requests."""

from __future__ import annotations

import contextlib
import gc
import socket
import time

from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import ThreadWorker

THREADS = 8
HEADER_SECONDS = 10.0


class HeaderDeadlineSocket:
    """A client socket whose reads fail once the deadline set for the headers has passed."""

    def __init__(self, sock: socket.socket):
        self._sock = sock
        self.deadline: float | None = None

    def recv(self, size: int) -> bytes:
        if self.deadline is None:
            return self._sock.recv(size)
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.hang_up()
        self._sock.settimeout(remaining)
        try:
            return self._sock.recv(size)
        except TimeoutError:
            self.hang_up()
        finally:
            self._sock.settimeout(None)

    def hang_up(self):
        """End the connection here, in the worker's thread: gunicorn's graceful close would wait
        up to 2 s for the client to stop sending, in the worker's main loop (which then
        accepts nothing), and a slow client does not stop sending."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        raise NoMoreData(b"")  # gunicorn closes the connection without a log line

    def __getattr__(self, name):
        return getattr(self._sock, name)


class HeaderDeadlineWorker(ThreadWorker):
    """gthread, with HEADER_SECONDS to send each request's line and headers."""

    def handle(self, conn):
        if not isinstance(conn.sock, HeaderDeadlineSocket):
            conn.sock = HeaderDeadlineSocket(conn.sock)
        conn.sock.deadline = time.monotonic() + HEADER_SECONDS
        try:
            return super().handle(conn)
        finally:
            conn.sock.deadline = None

    def handle_request(self, req, conn):
        conn.sock.deadline = None  # the headers are in: the body and the answer take their time
        return super().handle_request(req, conn)


class ParcoursServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from learn import create_app

        app = create_app()
        # The catalog and the compiled templates live as long as the worker: out of the
        # collector's reach, a full collection no longer walks them (about 60 ms each on a
        # 2-core machine, landing on whichever request crosses the threshold).
        gc.freeze()
        return app


def run(host: str, port: int, workers: int, threads: int = THREADS) -> None:
    """Serve until stopped."""
    ParcoursServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "learn.server.HeaderDeadlineWorker",
            "threads": threads,
            "accesslog": "-",
            "timeout": 60,
            "graceful_timeout": 20,
            # gunicorn 27 opens one control socket per user (~/.gunicorn/gunicorn.ctl): two
            # instances on one machine would take it from each other. Parcours does not use it.
            "control_socket_disable": True,
        }
    ).run()
