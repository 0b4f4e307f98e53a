"""An account's end and its return: a learner's exit at the end of the contract ("sortie", with
its date and reason), a staff member who left, and reopening either. A closed account cannot sign
in (its sessions and unused codes end at once); its records stay in the reports, marked with the
date. Erasure (services/privacy.py) is the separate, final step."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.orm import Session

from learn.i18n import _, _l, format_when
from learn.models import SignInCode, User
from learn.models.people import CLOSURE_REASONS, ERASED_PREFIX, utcnow
from learn.services import accounts, audit, sessions
from learn.services.errors import Invalid

# In the order a trainer meets them: the outcomes a funder counts first.
REASON_LABELS = {
    "lasting_job": _l("Lasting job (permanent contract, or fixed-term of 6 months or more)"),
    "transition_job": _l("Transition job (fixed-term under 6 months, temping)"),
    "qualifying_training": _l("Qualifying training"),
    "no_solution": _l("End of contract without a solution"),
    "moved": _l("Moved away"),
    "dropped_out": _l("Dropped out"),
    "other": _l("Other"),
}


def reason_label(reason: str | None) -> str:
    """The reason of a closure in the reader's language ("" for none)."""
    return str(REASON_LABELS.get(reason, reason or ""))


def is_closed(person: User) -> bool:
    """Whether the account was closed (and not reopened); an erased account is not "closed"."""
    return person.closed_at is not None


def closed_mark(closed_on: date | None) -> str:
    """The mark of a closed account in lists and files ("left on 31/01/2027"), else ""."""
    if closed_on is None:
        return ""
    return _("left on %(date)s", date=format_when(closed_on))


def organisation_today(person: User, now: datetime | None = None) -> date:
    """Today in the person's organisation's calendar (Paris for a platform admin)."""
    zone = person.organisation.timezone if person.organisation else "Europe/Paris"
    return (now or utcnow()).astimezone(ZoneInfo(zone)).date()


def _refuse_erased(person: User) -> None:
    if person.username.startswith(ERASED_PREFIX):
        raise Invalid(_("This account is erased: it can no longer be changed."))


def close(db: Session, person: User, closed_on: date, reason: str | None) -> None:
    """Close the account now: no sign-in, every session ended, every unused code spent."""
    now = utcnow()
    person.active = False
    person.closed_at = now
    person.closed_on = closed_on
    person.closure_reason = reason
    db.execute(
        update(SignInCode)
        .where(SignInCode.user_id == person.id, SignInCode.used_at.is_(None))
        .values(used_at=now)
    )
    sessions.end_all_sessions(db, person, now)
    db.flush()


def reopen(db: Session, person: User) -> None:
    """Open a closed account again: its password signs in again (its old codes stay spent)."""
    person.active = True
    person.closed_at = None
    person.closed_on = None
    person.closure_reason = None
    db.flush()


def check_exit_date(person: User, closed_on: date | None, today: date) -> date:
    """The exit date, or Invalid: a day between the account's creation and today."""
    if closed_on is None:
        raise Invalid(_("Give the date the contract ended."))
    if closed_on > today:
        raise Invalid(_("The exit date cannot be in the future: close the account on that day."))
    created = person.created_at
    if created is not None and closed_on < organisation_today(person, created):
        raise Invalid(_("The exit date cannot be before the account was created."))
    return closed_on


def close_learner(
    db: Session,
    actor: User,
    learner_id: int,
    closed_on: date | None,
    reason: str | None,
    now: datetime | None = None,
) -> User:
    """Record a learner's exit (date and reason), as staff who may see the learner."""
    learner = accounts.get_learner(db, actor, learner_id)
    _refuse_erased(learner)
    if is_closed(learner):
        raise Invalid(_("This account is already closed."))
    problems = []
    try:
        check_exit_date(learner, closed_on, organisation_today(learner, now))
    except Invalid as exc:
        problems += exc.messages
    if reason not in CLOSURE_REASONS:
        problems.append(_("Choose the reason the learner left."))
    if problems:
        raise Invalid(*problems)
    close(db, learner, closed_on, reason)
    audit.record(
        db, actor, "learner.close", target=learner, closed_on=closed_on.isoformat(), reason=reason
    )
    return learner


def reopen_learner(db: Session, actor: User, learner_id: int) -> User:
    """Reopen a learner's closed account, as staff who may see the learner."""
    learner = accounts.get_learner(db, actor, learner_id)
    _refuse_erased(learner)
    if not is_closed(learner):
        raise Invalid(_("This account is not closed."))
    reopen(db, learner)
    audit.record(db, actor, "learner.reopen", target=learner)
    return learner


def rename_learner(
    db: Session, actor: User, learner_id: int, display_name: str, username: str
) -> User:
    """Change a learner's name shown and username (the rules of a new account, checked first)."""
    learner = accounts.get_learner(db, actor, learner_id)
    _refuse_erased(learner)
    problems, changed = [], []
    display = (display_name or "").strip()
    if not display or len(display) > 120:
        problems.append(_("The name shown must have 1 to 120 characters."))
    name = accounts.normalise_username(username)
    if name != learner.username:
        try:
            name = accounts.check_username(db, name)
        except Invalid as exc:
            problems += exc.messages
    if problems:
        raise Invalid(*problems)
    if display != learner.display_name:
        learner.display_name = display
        changed.append("display_name")
    if name != learner.username:
        learner.username = name
        changed.append("username")
    db.flush()
    if changed:
        audit.record(db, actor, "learner.rename", target=learner, changed=changed)
    return learner
