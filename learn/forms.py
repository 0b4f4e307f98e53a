"""The base of every form: one rule on typed text, applied to every text field.

Control characters (NUL, C0 and C1 controls, direction overrides and isolates such as U+202E)
are refused, never stripped: PostgreSQL cannot store a NUL, and a direction override makes a
name read differently from what it is. A field of one line refuses line breaks and tabs too; a
text area allows them. Fields read without a form class are held to the same rule by the request
pipeline (`learn.web.control_characters`), which refuses the whole request with a page that
says why."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import StopValidation
from wtforms.widgets import TextArea

from learn.services.textinput import has_control_characters

CONTROL_MESSAGE = _l(
    "Remove the invisible characters (control or direction characters, often copied from "
    "another program)."
)
ONE_LINE_MESSAGE = _l("Write this on one line, without line breaks or tabs.")


def is_multiline(field) -> bool:
    """A text area may hold line breaks and tabs; every other text field is one line."""
    return isinstance(field.widget, TextArea)


def refuse_control_characters(_form, field) -> None:
    """The rule, as a WTForms validator: a message beside the field, the other checks skipped."""
    value = field.data if isinstance(field.data, str) else ""
    if has_control_characters(value, multiline=True):
        raise StopValidation(CONTROL_MESSAGE)
    if not is_multiline(field) and has_control_characters(value):
        raise StopValidation(ONE_LINE_MESSAGE)


class Form(FlaskForm):
    """Every form of Parcours derives from this: each text field (one line, text area, password,
    hidden) is also checked by `refuse_control_characters`."""

    def validate(self, extra_validators=None):
        extra = {name: list(found) for name, found in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField):
                extra.setdefault(name, []).append(refuse_control_characters)
        return super().validate(extra)
