"""`learn serve` facing slow clients: four connections that send their headers a byte a second do
not stall it (gthread workers, and a deadline for a request's headers in learn/server.py)."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import threading
import time

import pytest

from learn.server import HEADER_SECONDS
from tests.conftest import FIXTURE_CONTENT
from tests.faults.harness import Server, free_port
from tests.faults.scratch import backends, scratch_database


class SlowClient:
    """Sends a request line, then one byte of a header a second; notes when the server hangs up."""

    def __init__(self, port: int, stop: threading.Event):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        self.stop, self.cut_after = stop, None
        self.started = time.monotonic()
        threading.Thread(target=self.drip, daemon=True).start()

    def drip(self) -> None:
        while not self.stop.wait(1.0):
            try:
                self.sock.sendall(b"a")
                self.sock.setblocking(False)
                try:
                    if self.sock.recv(1) == b"":
                        raise ConnectionResetError
                except BlockingIOError:
                    pass
                finally:
                    self.sock.setblocking(True)
            except OSError:
                self.cut_after = time.monotonic() - self.started
                return

    def close(self) -> None:
        self.sock.close()


def timed_get(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        status = conn.getresponse().status
    except OSError:
        status = 0
    finally:
        conn.close()
    return status, time.perf_counter() - started


@pytest.mark.parametrize("postgres", backends())
def test_four_slow_clients_do_not_stall_learn_serve(postgres, tmp_path):
    with scratch_database(tmp_path, postgres) as url:
        env = {
            **os.environ,
            "LEARN_ENV": "production",
            "LEARN_HTTPS": "0",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": url,
            "LEARN_INSTANCE_PATH": str(tmp_path / "instance"),
            "LEARN_CONTENT_DIR": str(FIXTURE_CONTENT),
            "LEARN_LOG_LEVEL": "WARNING",
        }
        env.pop("REDIS_URL", None)
        port = free_port()
        server = Server(env, port, tmp_path / "server.log", workers=2)  # learn serve's default
        server.start()
        stop = threading.Event()
        slow = []
        try:
            slow = [SlowClient(port, stop) for _ in range(4)]
            time.sleep(1.5)  # the slow clients hold their connections now
            for path in ("/ping", "/sign-in", "/ping", "/ping"):
                status, seconds = timed_get(port, path)
                assert status == 200 and seconds < 1.0, f"{path}: {status} in {seconds:.1f} s"
            # Each slow client is cut at the header deadline: it held a thread that long at most.
            deadline = time.monotonic() + HEADER_SECONDS + 5
            while time.monotonic() < deadline and any(c.cut_after is None for c in slow):
                time.sleep(0.2)
            cuts = [c.cut_after for c in slow]
            assert all(cut is not None and cut < HEADER_SECONDS + 3 for cut in cuts), cuts
        finally:
            stop.set()
            for client in slow:
                client.close()
            server.stop()
