"""Gunicorn, started from `learn serve`."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class ParcoursServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from learn import create_app

        return create_app()


def run(host: str, port: int, workers: int) -> None:
    """Serve until stopped."""
    ParcoursServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "accesslog": "-",
            "timeout": 60,
            "graceful_timeout": 20,
        }
    ).run()
