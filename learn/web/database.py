"""The serving app's database: its engine and sessions, whether its schema is current, and a
fixed sentence for why it cannot be used (for /healthz, the log and the 503 page)."""

from __future__ import annotations

from flask import Flask, render_template, request
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from learn import migrate
from learn.db import make_engine, make_session_factory


def init_app(app: Flask) -> None:
    """The engine and session factory in `app.extensions` (the file must exist: `learn db
    upgrade` creates it)."""
    engine = make_engine(app.config["DATABASE_URL"], must_exist=True)
    app.extensions["learn.engine"] = engine
    app.extensions["learn.sessions"] = make_session_factory(engine)
    app.extensions["learn.schema_current"] = False


def init_schema_check(app: Flask) -> None:
    """Answer every page but /healthz and static files with a 503 while a migration is missing."""

    @app.before_request
    def refuse_old_schema():
        if request.endpoint in ("main.healthz", "static"):
            return None
        if not schema_current(app):
            return render_template("errors/schema.html"), 503
        return None


def schema_current(app: Flask) -> bool:
    """Whether the database has every migration; checked until it is true, then remembered."""
    if not app.extensions["learn.schema_current"]:
        try:
            app.extensions["learn.schema_current"] = migrate.schema_is_current(
                app.extensions["learn.engine"]
            )
        except OperationalError:
            raise  # unreachable, not behind: the 503 page says so, not "run learn db upgrade"
        except SQLAlchemyError:
            return False
    return app.extensions["learn.schema_current"]


def database_status(app: Flask) -> dict:
    """Database reachable and schema current, for /healthz."""
    engine = app.extensions["learn.engine"]
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return _unusable(exc)
    try:
        current = schema_current(app)
    except OperationalError as exc:
        return _unusable(exc)
    return {"ok": True, "schema_current": current}


def _unusable(exc: SQLAlchemyError) -> dict:
    return {
        "ok": False,
        "schema_current": False,
        "error": exc.__class__.__name__,
        "reason": describe_database_error(exc),
    }


_DATABASE_TROUBLES = (
    (("unable to open database file",), "the database file cannot be opened (missing?)"),
    (
        ("moved or replaced",),
        "the database file was moved or replaced while Parcours ran: put it back, or restart",
    ),
    (("readonly database", "read-only"), "the database file is read-only"),
    (("database is locked",), "the database is locked by another process"),
    (("disk i/o error", "disk is full", "database or disk is full"), "the disk failed or is full"),
    (("malformed",), "the database file is damaged"),
    (("password authentication failed", "authentication"), "the database refused the login"),
    (("does not exist",), "the database does not exist on the server"),
    (("timeout", "timed out"), "the database server did not answer in time"),
    (
        ("connection refused", "could not connect", "connection to server", "connection failed"),
        "the database server cannot be reached",
    ),
    (
        ("server closed the connection", "terminating connection", "connection is closed"),
        "the connection to the database server was lost",
    ),
)


def describe_database_error(exc: BaseException) -> str:
    """Why the database cannot be used, in one fixed sentence: the driver's message is matched,
    never repeated (it may name hosts, users or paths)."""
    message = str(getattr(exc, "orig", None) or exc).lower()
    for needles, reason in _DATABASE_TROUBLES:
        if any(needle in message for needle in needles):
            return reason
    return "the database cannot be used"
