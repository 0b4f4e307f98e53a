"""Staff accounts managed by an organisation admin: trainers and other admins created with a
printed one-time code, a new code when a password is lost, closing and reopening. The admin's
organisation bounds every query (a platform admin sees every organisation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import Organisation, Role, User
from learn.services import accounts, audit, closing
from learn.services.errors import Forbidden, Invalid, NotFound

# The roles an admin gives and manages here; platform admins are made on the command line.
MANAGED_ROLES = (Role.TRAINER, Role.ORG_ADMIN)


def may_manage_staff(actor: User) -> bool:
    """Organisation admins and platform admins manage staff accounts."""
    return actor.role in (Role.ORG_ADMIN, Role.PLATFORM_ADMIN)


def _require_admin(actor: User) -> None:
    if not may_manage_staff(actor):
        raise Forbidden()


def list_staff(db: Session, actor: User) -> list[User]:
    """The trainers and organisation admins the actor manages: open accounts first, by name."""
    _require_admin(actor)
    stmt = accounts.people_query(actor, *MANAGED_ROLES).order_by(
        User.closed_at.is_not(None), func.lower(User.display_name), User.id
    )
    return list(db.scalars(stmt))


def get_staff(db: Session, actor: User, staff_id: int) -> User:
    """A staff account the actor manages: NotFound first for an id outside the actor's
    organisation (whatever their role: ids do not leak), then Forbidden for a non-admin."""
    if not actor.is_staff:
        raise Forbidden()
    found = db.scalar(accounts.people_query(actor, *MANAGED_ROLES).where(User.id == staff_id))
    if found is None:
        raise NotFound()
    _require_admin(actor)
    return found


def organisations_for(db: Session, actor: User) -> list[Organisation]:
    """The organisations the actor may create staff in: their own, or all for a platform admin."""
    _require_admin(actor)
    if actor.is_platform_admin:
        return list(db.scalars(select(Organisation).order_by(Organisation.name)))
    return [actor.organisation] if actor.organisation is not None else []


def create_staff(
    db: Session,
    actor: User,
    *,
    organisation_id: int | None,
    username: str,
    display_name: str,
    role: str,
    code_days: int = 14,
) -> accounts.NewAccount:
    """Create a trainer or an organisation admin with a one-time code to print."""
    _require_admin(actor)
    if role not in MANAGED_ROLES:
        raise Invalid(_("Unknown role."))
    organisation = next(
        (org for org in organisations_for(db, actor) if org.id == organisation_id), None
    )
    if organisation is None:
        raise NotFound()
    created = accounts.create_account(
        db,
        organisation=organisation,
        username=username,
        display_name=display_name,
        role=role,
        with_code=True,
        created_by=actor,
        code_days=code_days,
    )
    audit.record(db, actor, "staff.create", target=created.user, role=role)
    return created


def new_code(db: Session, actor: User, staff_id: int, code_days: int = 14) -> tuple[User, str]:
    """A new one-time code in place of a staff member's password (lost, or known to someone
    else): the old password stops working and they are signed out everywhere."""
    person = get_staff(db, actor, staff_id)
    if person.id == actor.id:
        raise Invalid(_("Change your own password on your password page."))
    if closing.is_closed(person):
        raise Invalid(_("This account is closed: reopen it first."))
    person.password_hash = None
    code = accounts.issue_code(db, person, actor, days=code_days)
    audit.record(db, actor, "staff.new_code", target=person)
    return person, code


def _open_admins(db: Session, organisation_id: int | None) -> list[int]:
    """The ids of the organisation's open admin accounts, locked until the commit, so that two
    admins closing each other at once cannot both succeed (PostgreSQL; SQLite writes one at a
    time anyway)."""
    stmt = (
        select(User.id)
        .where(
            User.organisation_id == organisation_id,
            User.role == Role.ORG_ADMIN,
            User.active.is_(True),
        )
        .with_for_update()
    )
    return list(db.scalars(stmt))


def close_staff(db: Session, actor: User, staff_id: int, now: datetime | None = None) -> User:
    """Close a staff account today: never one's own, never the organisation's last open admin."""
    person = get_staff(db, actor, staff_id)
    if person.id == actor.id:
        raise Invalid(_("You cannot close your own account."))
    if closing.is_closed(person):
        raise Invalid(_("This account is already closed."))
    if person.role == Role.ORG_ADMIN and _open_admins(db, person.organisation_id) == [person.id]:
        raise Invalid(
            _("This is the organisation's last open admin account: make another admin first.")
        )
    closing.close(db, person, closing.organisation_today(person, now), None)
    audit.record(db, actor, "staff.close", target=person, role=person.role)
    return person


def reopen_staff(db: Session, actor: User, staff_id: int) -> User:
    """Reopen a closed staff account: their password signs in again."""
    person = get_staff(db, actor, staff_id)
    if not closing.is_closed(person):
        raise Invalid(_("This account is not closed."))
    closing.reopen(db, person)
    audit.record(db, actor, "staff.reopen", target=person, role=person.role)
    return person
