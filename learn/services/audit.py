"""The audit log of what staff, admins and the command line do with learners' data.

Other code calls `record(db, actor, action, target=learner, **details)` in the same unit of work as
the action itself, so the entry commits with it or not at all. Entries name people by id only;
`details` may hold ids, numbers, flags and short identifiers — `record` refuses free text, names
and secrets, so a mistake shows up in the tests rather than in the log.

The log is read as sentences (“Marie Dupont exported the group report”): every action key has
one in SENTENCES (a test finds the keys used in the code and checks each has its sentence).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from learn.i18n import _, _l, of_name
from learn.models import AuditEvent, Role, User
from learn.services.errors import Forbidden
from learn.services.paging import clamp_page

log = logging.getLogger("learn.audit")

ACTION_RE = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
# Identifiers, slugs, reasons, dates: letters, digits and a few separators, no spaces or newlines.
SAFE_STRING_RE = re.compile(r"^[A-Za-z0-9_.:/@+-]{0,80}$")
FORBIDDEN_KEY_PARTS = frozenset(
    {
        "password",
        "secret",
        "token",
        "session",
        "hash",
        "code",
        "answer",
        "answers",
        "message",
        "comment",
        "text",
        "note",
        "name",
        "username",
        "email",
    }
)
MAX_ITEMS = 50

# Action key -> the sentence the log shows. %(actor)s is who did it; %(learner)s, %(of_learner)s
# (“of Amina”, French « d'Amina ») name the learner concerned.
SENTENCES = {
    "learner.view": _l("%(actor)s opened the record %(of_learner)s"),
    "learner.create": _l("%(actor)s created the account %(of_learner)s"),
    "learner.new_code": _l("%(actor)s printed a new sign-in code for %(learner)s"),
    "learner.sign_out_everywhere": _l("%(actor)s signed %(learner)s out on every device"),
    "learner.export": _l("%(actor)s exported the data %(of_learner)s"),
    "learner.erase": _l("%(actor)s erased the data %(of_learner)s"),
    "learner.rename": _l("%(actor)s renamed the account %(of_learner)s"),
    "learner.close": _l("%(actor)s closed the account %(of_learner)s at the end of the contract"),
    "learner.reopen": _l("%(actor)s reopened the account %(of_learner)s"),
    "staff.create": _l("%(actor)s created the staff account %(of_learner)s"),
    "staff.new_code": _l("%(actor)s printed a new sign-in code for %(learner)s (password reset)"),
    "staff.close": _l("%(actor)s closed the staff account %(of_learner)s"),
    "staff.reopen": _l("%(actor)s reopened the staff account %(of_learner)s"),
    "credentials.issue": _l("%(actor)s issued a badge to %(learner)s"),
    "credentials.revoke": _l("%(actor)s revoked a badge %(of_learner)s"),
    "credentials.rotate_key": _l("%(actor)s replaced the organisation's badge-signing key"),
    "transfer.request": _l("%(actor)s asked to send the record %(of_learner)s to a partner"),
    "transfer.consent": _l("%(actor)s agreed to send their record to a partner"),
    "transfer.refuse": _l("%(actor)s refused to send their record to a partner"),
    "transfer.accept": _l("%(actor)s accepted the record %(of_learner)s sent by a partner"),
    "transfer.decline": _l("%(actor)s declined the record %(of_learner)s sent by a partner"),
    "transfer.export": _l("%(actor)s downloaded the signed record %(of_learner)s for a partner"),
    "transfer.import": _l("%(actor)s imported the record %(of_learner)s from another Parcours"),
    "passport.export": _l("%(actor)s downloaded their passport for another Parcours"),
    "report.export": _l("%(actor)s exported a report"),
    "tutor.link": _l("%(actor)s linked a workplace tutor to %(learner)s"),
    "tutor.unlink": _l("%(actor)s ended a workplace tutor's link with %(learner)s"),
    "validation.decide": _l("%(actor)s validated a competence %(of_learner)s"),
    "validation.withdraw": _l("%(actor)s withdrew a validation %(of_learner)s"),
}
# The same action about a particular thing (the detail named in the key's second part).
DETAILED_SENTENCES = {
    ("learner.view", "page", "attempt"): _l("%(actor)s opened a quiz attempt %(of_learner)s"),
    ("learner.view", "page", "project"): _l(
        "%(actor)s opened the entrepreneurship project %(of_learner)s"
    ),
    ("learner.view", "page", "attestation"): _l(
        "%(actor)s opened the skills attestation %(of_learner)s"
    ),
    ("learner.view", "page", "referentiel"): _l("%(actor)s opened a job standard %(of_learner)s"),
    ("learner.view", "page", "validation"): _l(
        "%(actor)s opened the validation of a skill level %(of_learner)s"
    ),
    ("learner.view", "page", "record"): _l("%(actor)s opened the training record %(of_learner)s"),
    ("learner.view", "page", "certificate"): _l(
        "%(actor)s opened the certificate of completion %(of_learner)s"
    ),
    ("learner.export", "table", "activity"): _l("%(actor)s exported the activity %(of_learner)s"),
    ("learner.export", "table", "attempts"): _l(
        "%(actor)s exported the quiz attempts %(of_learner)s"
    ),
    ("learner.export", "table", "placements"): _l(
        "%(actor)s exported the placement results %(of_learner)s"
    ),
    ("learner.export", "table", "selfchecks"): _l(
        "%(actor)s exported the self-assessments %(of_learner)s"
    ),
    ("learner.export", "table", "help"): _l("%(actor)s exported the help requests %(of_learner)s"),
    ("report.export", "report", "matrix"): _l("%(actor)s exported the group report"),
    ("learner.erase", "step", "close"): _l(
        "%(actor)s closed the account %(of_learner)s, keeping what its funder requires"
    ),
    ("learner.erase", "step", "pseudonymise"): _l(
        "%(actor)s replaced the name %(of_learner)s, keeping the evidence its funder requires"
    ),
    ("learner.erase", "step", "erase_evidence"): _l(
        "%(actor)s erased the evidence kept %(of_learner)s for its funder"
    ),
    ("report.export", "report", "certificates"): _l(
        "%(actor)s exported the certificates of completion of a group"
    ),
    ("report.export", "report", "qualiopi"): _l(
        "%(actor)s exported the Qualiopi evidence of a group"
    ),
    ("report.export", "report", "needs_help"): _l(
        "%(actor)s exported the list of learners who need help"
    ),
}


@dataclass(frozen=True)
class Entry:
    """One line of the audit log with the people it names (None when gone or not a person)."""

    event: AuditEvent
    actor: User | None
    target: User | None


@dataclass(frozen=True)
class EntryPage:
    entries: list[Entry]
    total: int
    page: int
    pages: int


def _check_value(key: str, value, depth: int = 0) -> None:
    if value is None or isinstance(value, bool | int | float):
        return
    if isinstance(value, str):
        if not SAFE_STRING_RE.match(value):
            raise ValueError(f"audit detail {key!r} looks like free text; keep ids and codes only")
        return
    if depth < 2 and isinstance(value, list | tuple) and len(value) <= MAX_ITEMS:
        for item in value:
            _check_value(key, item, depth + 1)
        return
    if depth < 2 and isinstance(value, dict) and len(value) <= MAX_ITEMS:
        for sub_key, item in value.items():
            if isinstance(item, int | float) and not isinstance(item, bool):
                # Counts by name (rows per table...): the name only has to be an identifier.
                if not SAFE_STRING_RE.match(str(sub_key)):
                    raise ValueError(f"audit detail key {sub_key!r} is not an identifier")
            else:
                _check_key(str(sub_key))
            _check_value(f"{key}.{sub_key}", item, depth + 1)
        return
    raise ValueError(f"audit detail {key!r} has an unsupported value")


def _check_key(key: str) -> None:
    if not SAFE_STRING_RE.match(key):
        raise ValueError(f"audit detail key {key!r} is not an identifier")
    if set(re.split(r"[_.:-]", key.lower())) & FORBIDDEN_KEY_PARTS:
        raise ValueError(f"audit detail {key!r} may hold a secret or free text")


def check_details(details: dict) -> None:
    """Raise ValueError if details hold anything but ids, numbers, flags or short identifiers."""
    for key, value in details.items():
        _check_key(key)
        _check_value(key, value)


def record(
    db: Session, actor: User | None, action: str, target: User | None = None, **details
) -> AuditEvent:
    """Append an entry to the audit log; actor None means the command line or a scheduled job."""
    if not ACTION_RE.match(action) or len(action) > 64:
        raise ValueError(f"audit action {action!r} is not of the form area.verb")
    check_details(details)
    if target is not None:
        organisation_id = target.organisation_id
    else:
        organisation_id = actor.organisation_id if actor is not None else None
    event = AuditEvent(
        organisation_id=organisation_id,
        actor_id=actor.id if actor is not None else None,
        actor_role=actor.role if actor is not None else None,
        action=action,
        target_user_id=target.id if target is not None else None,
        details=details,
    )
    db.add(event)
    db.flush()
    log.info(
        "audit %s actor=%s target=%s",
        action,
        actor.id if actor is not None else "-",
        target.id if target is not None else "-",
    )
    return event


def may_read_log(actor: User) -> bool:
    """Organisation admins read their organisation's log; platform admins read every log."""
    return actor.role in (Role.ORG_ADMIN, Role.PLATFORM_ADMIN)


def _scoped(actor: User, stmt):
    if actor.is_platform_admin:
        return stmt
    return stmt.where(AuditEvent.organisation_id == actor.organisation_id)


def list_entries(
    db: Session,
    actor: User,
    *,
    target_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> EntryPage:
    """A page of the log the actor may read, newest first (a page past the end: the last one),
    with the number of entries in all."""
    if not may_read_log(actor):
        raise Forbidden()
    actor_user, target_user = aliased(User), aliased(User)
    where = _scoped(actor, select(AuditEvent.id))
    if target_id is not None:
        where = where.where(AuditEvent.target_user_id == target_id)
    total = db.scalar(select(func.count()).select_from(where.subquery()))
    page, pages = clamp_page(total, page, per_page)
    stmt = (
        select(AuditEvent, actor_user, target_user)
        .outerjoin(actor_user, actor_user.id == AuditEvent.actor_id)
        .outerjoin(target_user, target_user.id == AuditEvent.target_user_id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    stmt = _scoped(actor, stmt)
    if target_id is not None:
        stmt = stmt.where(AuditEvent.target_user_id == target_id)
    rows = db.execute(stmt).all()
    entries = [Entry(event, actor_row, target_row) for event, actor_row, target_row in rows]
    return EntryPage(entries, total, page, pages)


def _detailed_sentence(event: AuditEvent):
    """(detail key, sentence) of the sentence that names the entry's detail, or None."""
    details = event.details or {}
    for (action, key, value), sentence in DETAILED_SENTENCES.items():
        if action == event.action and details.get(key) == value:
            return key, sentence
    return None


def details_left(event: AuditEvent) -> dict:
    """The entry's details that its sentence does not already say."""
    detailed = _detailed_sentence(event)
    return {k: v for k, v in (event.details or {}).items() if not detailed or k != detailed[0]}


def describe(entry: Entry) -> str:
    """The entry as a sentence in the reader's language: « Marie Dupont exported the group
    report » (the action key itself for an action that has no sentence yet)."""
    event = entry.event
    detailed = _detailed_sentence(event)
    pattern = detailed[1] if detailed else SENTENCES.get(event.action)
    if pattern is None:
        return event.action
    if entry.actor is not None:
        actor = entry.actor.display_name
    elif event.actor_role:
        actor = _("A deleted account")
    else:
        actor = _("The command line")
    learner = entry.target.display_name if entry.target is not None else _("a deleted account")
    return str(pattern) % {"actor": actor, "learner": learner, "of_learner": of_name(learner)}
