"""Error pages: one page (or JSON answer) per status, with the request id to quote."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from learn.extensions import login_manager
from learn.services.errors import Forbidden, NotFound
from learn.web.control_characters import ControlCharacters
from learn.web.database import describe_database_error

log = logging.getLogger("learn")

MESSAGES = {
    400: (
        lambda: _("The request could not be understood"),
        lambda: _("Something in the form or the address was not right. Go back and try again."),
    ),
    403: (
        lambda: _("Access refused"),
        lambda: _("Your account does not give access to this page."),
    ),
    404: (
        lambda: _("Page not found"),
        lambda: _("This page does not exist or is not available to you."),
    ),
    405: (
        lambda: _("Action not allowed"),
        lambda: _("This page cannot be used this way."),
    ),
    413: (
        lambda: _("Too large"),
        lambda: _("What you sent is too large. Send a smaller file or a shorter text."),
    ),
    429: (
        lambda: _("Too many attempts"),
        lambda: _("Too many attempts in a short time. Wait a few minutes, then try again."),
    ),
    500: (
        lambda: _("Something went wrong"),
        lambda: _(
            "An error stopped this page. Nothing you sent was half-saved. Try again; "
            "if it happens again, give this number to your trainer."
        ),
    ),
    503: (
        lambda: _("Parcours is not available"),
        lambda: _(
            "The database cannot be reached right now. Nothing was lost. Try again in "
            "a few minutes."
        ),
    ),
}


def error_page(code: int, title: str, message: str):
    """The error page (or a JSON answer, if that is what the client asked for)."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=title, message=message, request_id=g.get("request_id")), code
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title,
            message=message,
            request_id=g.get("request_id"),
        ),
        code,
    )


def page(code: int):
    """The page of a status, with its usual title and message."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    return error_page(code, title(), message())


def init_app(app: Flask) -> None:
    """Turn HTTP errors, services' NotFound and Forbidden, a database down and anything
    unexpected into pages."""

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        if isinstance(exc, ControlCharacters):
            return error_page(
                400,
                _("Invisible characters in what you sent"),
                _(
                    "What you typed holds invisible characters (control or direction "
                    "characters, often copied from another program). Go back, type the text "
                    "again without copying it, and send it."
                ),
            )
        if exc.code == 400 and getattr(exc, "description", "").startswith("The CSRF"):
            return error_page(
                400,
                _("The form has expired"),
                _(
                    "For your safety, the form could not be accepted. Reload the page, then send "
                    "it again."
                ),
            )
        return page(exc.code if exc.code in MESSAGES else 500)

    @app.errorhandler(NotFound)
    def _not_found(_exc):
        return page(404)

    @app.errorhandler(Forbidden)
    def _forbidden(_exc):
        return page(403)

    @app.errorhandler(OperationalError)
    def _database_down(exc):
        log.error(
            "database error [%s]: %s (%s)",
            g.get("request_id"),
            exc.__class__.__name__,
            describe_database_error(exc),
        )
        # The page must not ask the database again (for the signed-in user, say): it is down.
        g._login_user = login_manager.anonymous_user()
        session = g.pop("db", None)
        if session is not None:
            with contextlib.suppress(SQLAlchemyError):
                session.close()
        return page(503)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unexpected error [%s]", g.get("request_id"))
        return page(500)
