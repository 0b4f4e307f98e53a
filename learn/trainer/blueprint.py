"""The trainer's workspace blueprint, and what its pages share. The page modules register their
routes on `bp`; the package (learn/trainer/__init__.py) imports them, never the reverse."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from learn.services import groups
from learn.services.errors import NotFound
from learn.web.params import parse_id
from learn.web.transactions import db

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


def org_timezone() -> str:
    """The time zone dates are shown in: the staff member's organisation's."""
    org = current_user.organisation
    return org.timezone if org else "Europe/Paris"


def int_values(values) -> list[int]:
    """Ids from a form's list of values; anything that is not an id is answered 404."""
    ids = [parse_id(value) for value in values]
    if None in ids:
        raise NotFound()
    return ids


def group_choices(blank: str) -> list[SelectChoice]:
    """A select's choices: a blank, then the groups the staff member may use."""
    return [SelectChoice("", blank)] + [
        SelectChoice(str(s.group.id), s.group.name) for s in groups.list_groups(db(), current_user)
    ]
