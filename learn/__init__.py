"""Parcours: an accessible e-learning module server."""

from __future__ import annotations


def create_app(config: dict | None = None):
    """Build the Flask application; `config` overrides settings read from the environment."""
    import logging

    from flask import Flask

    from learn import static_files, web
    from learn.config import build_config

    settings = build_config()
    settings.update(config or {})
    paths = settings["LEARN_PATHS"]
    app = Flask(
        __name__,
        instance_path=str(paths.instance),
        static_folder=str(paths.static),
        static_url_path="/static",
    )
    app.config.update(settings)
    logging.basicConfig(level=app.config["LEARN_LOG_LEVEL"])
    web.init_app(app)
    static_files.init_app(app)
    return app
