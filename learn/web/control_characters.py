"""The rule of learn/forms.py over every request: no character that no one types.

Fields read straight from `request.form` (help messages, workshop answers, quiz answers) are held
to it here, as are the address and the query string; the error page says why."""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.exceptions import BadRequest

from learn.services.textinput import has_control_characters
from learn.web.transactions import WRITE_METHODS


class ControlCharacters(BadRequest):
    """A field or the address holds a character no one types (see learn/forms.py)."""


def checks_own_text(view):
    """Mark a view whose service refuses control characters in its free text itself, with a
    message and the text given back (a worksheet's answers can be long: a bare 400 page would
    lose them). Only the address and the query string of its requests are checked here."""
    view.checks_own_text = True
    return view


def holds_control_characters(values, multiline: bool) -> bool:
    """Whether a request's fields break the rule. In a form, line breaks and tabs pass (a text
    area sends them; a form class refuses them in its one-line fields, with a message beside the
    field); in the query string (search boxes, `next`) nothing is typed on several lines."""
    return any(
        has_control_characters(key) or has_control_characters(value, multiline=multiline)
        for key, value in values.items(multi=True)
    )


def init_app(app: Flask) -> None:
    """Refuse, before the view, a request whose address or fields break the rule."""

    @app.before_request
    def refuse_control_characters():
        if has_control_characters(request.path):
            abort(400)
        view = app.view_functions.get(request.endpoint)
        if holds_control_characters(request.args, multiline=False) or (
            request.method in WRITE_METHODS
            and not getattr(view, "checks_own_text", False)
            and holds_control_characters(request.form, multiline=True)
        ):
            raise ControlCharacters()
