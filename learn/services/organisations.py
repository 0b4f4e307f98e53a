"""Organisations: the tenancy boundary."""

from __future__ import annotations

import re
from zoneinfo import available_timezones

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.i18n import LANGUAGES, _
from learn.models import Organisation, Role, User
from learn.services.errors import Forbidden, Invalid

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")


def create_organisation(
    db: Session, *, slug: str, name: str, timezone: str = "Europe/Paris"
) -> Organisation:
    """Create an organisation, or raise Invalid with every problem."""
    problems = []
    if not SLUG_RE.match(slug or ""):
        problems.append(_("The short name has 3 to 80 lower-case letters, digits or dashes."))
    elif db.scalar(select(Organisation.id).where(Organisation.slug == slug)):
        problems.append(_("An organisation already has this short name."))
    if not (name or "").strip() or len(name) > 200:
        problems.append(_("The name must have 1 to 200 characters."))
    if timezone not in available_timezones():
        problems.append(_("Unknown time zone."))
    if problems:
        raise Invalid(*problems)
    org = Organisation(slug=slug, name=name.strip(), timezone=timezone)
    db.add(org)
    db.flush()
    return org


def set_default_locale(db: Session, actor: User, locale: str | None) -> Organisation:
    """An organisation admin sets the interface's language for the members who chose none
    (None or "": each one's browser language). A member's own choice still wins."""
    if actor.role != Role.ORG_ADMIN or actor.organisation is None:
        raise Forbidden()
    if locale and locale not in LANGUAGES:
        raise Invalid(_("Not a valid choice."))
    actor.organisation.default_locale = locale or None
    db.flush()
    return actor.organisation
