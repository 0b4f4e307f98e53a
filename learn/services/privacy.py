"""A learner's data under the GDPR: export everything held on them, erase it, retention.

Erasure anonymises the learner in place instead of deleting the account. The account keeps its
id but loses every identifying field (username and name replaced, e-mail, password, codes,
preferences and sessions gone, account disabled); free text written by or about the learner is
deleted; group memberships, individual assignments and sign-in codes are deleted. What remains —
progress summaries, the event log, quiz scores, statuses, self-assessment ratings, observed levels
— is attached to an account that names no one, so the organisation's statistics stay whole.
A shared "erased learner" placeholder would not do: (learner, module) summaries and (learner,
module, attempt number) are unique, so two erased learners' rows would collide or merge.

Every table that references an account must say what erasure does to it (ERASURE below); a
test walks the tables so that a new one cannot be forgotten. Unknown tables lose their rows.
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Table, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from learn.db import Base
from learn.i18n import DEFAULT_TIMEZONE, _, format_when, of_name
from learn.models import (
    Assignment,
    Group,
    GroupMembership,
    ProgressEvent,
    Role,
    SignInCode,
    User,
    UserSession,
)
from learn.models.people import ERASED_NAME, utcnow
from learn.services import accounts, audit
from learn.services import evidence as evidence_service
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.privacy_columns import column_label
from learn.services.spreadsheet import csv_bytes, neutralise_formula, number_text

ERASED_PREFIX = accounts.ERASED_PREFIX
# form_token: the assessment form's idempotency key, not something held about the learner.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "code_hash", "form_token"})
ACCOUNT_FIELDS = (
    "id",
    "username",
    "display_name",
    "email",
    "role",
    "locale",
    "reading_preferences",
    "prefers_easy_read",
    "must_choose_password",
    "active",
    "closed_at",
    "closed_on",
    "closure_reason",
    "created_at",
    "last_seen_at",
)


def _without_answers(answers):
    """Keep each question's score and fingerprint, drop what the learner answered."""
    if not isinstance(answers, dict):
        return {}
    return {
        qid: {k: v for k, v in (item or {}).items() if k != "answer"}
        if isinstance(item, dict)
        else {}
        for qid, item in answers.items()
    }


KEEP = "keep"
DELETE = "delete"
# Table -> what erasure does to the learner's rows: keep them (no free text, no identity),
# delete them, or overwrite columns (a value, or a function of the old value).
ERASURE: dict[str, str | dict[str, object]] = {
    "progress_event": KEEP,
    "module_progress": KEEP,
    "self_assessment": KEEP,
    "audit_event": KEEP,
    "sign_in_code": DELETE,
    "user_session": DELETE,  # every session ends with its row
    "group_membership": DELETE,
    "assignment": DELETE,
    "quiz_attempt": {"answers": _without_answers},
    "placement_result": {"answers": {}},
    "workshop_answer": {"answers": {}, "review_comment": None},
    "help_request": {"message": "", "answer": None},
    "satisfaction_response": {"comment": ""},
    "observation": {"situation": "", "evidence": ""},
    # The row stays, so its status bit is never given to another credential; the signed copy
    # (which may show the name) and the salt of the identity hash go. The learner's own file
    # still verifies.
    "issued_credential": {"document": {}, "identity_salt": ""},
    "credential_preference": DELETE,
    # The request stays in both organisations' history; the record it carried goes.
    "transfer_request": {"package": None},
    # A record received from another Parcours: the copy (names, grid, badges) goes with the learner.
    "imported_record": DELETE,
    # Photos, voice notes and texts the learner handed in: deleted with their files (erase()).
    "evidence": DELETE,
    "tutor_link": DELETE,
    "workplace_assessment": {"note": "", "place": "", "reply": None},
    # A trainer's decision stays (like an observation: the attestation and the audit log cite
    # it); the free text typed about the learner goes.
    "validation": {"comment": ""},
}


# --- who may do it, and to whom -----------------------------------------------------------------


def require_privacy_officer(actor: User) -> None:
    """Only organisation admins (and platform admins) export or erase a learner's data."""
    if actor.role not in (Role.ORG_ADMIN, Role.PLATFORM_ADMIN):
        raise Forbidden()


def is_erased(user: User) -> bool:
    """Whether the account was anonymised."""
    return user.username.startswith(ERASED_PREFIX)


def get_learner(db: Session, actor: User, learner_id: int) -> User:
    """A learner of the admin's organisation, or NotFound; Forbidden for anyone but an admin."""
    learner = accounts.get_learner(db, actor, learner_id)  # NotFound outside the organisation
    require_privacy_officer(actor)
    return learner


def list_learners(
    db: Session, actor: User, search: str = "", page: int = 1
) -> accounts.LearnerPage:
    """One page of the learners of the admin's organisation not erased yet, by name (the erased
    accounts are only counted: see count_erased)."""
    require_privacy_officer(actor)
    return accounts.list_learners(db, actor, search, page, include_erased=False)


def count_erased(db: Session, actor: User) -> int:
    """How many erased learner accounts the admin's organisation keeps for its statistics."""
    require_privacy_officer(actor)
    stmt = accounts.people_query(actor, Role.LEARNER).where(
        User.username.startswith(ERASED_PREFIX, autoescape=True)
    )
    return db.scalar(select(func.count()).select_from(stmt.subquery()))


# --- what is held -------------------------------------------------------------------------------


def _tables_about_people() -> list[tuple[Table, list]]:
    """Every table with a column that references an account, with those columns."""
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [
            column
            for column in table.columns
            if any(fk.column.table.name == User.__tablename__ for fk in column.foreign_keys)
        ]
        if columns:
            found.append((table, columns))
    return found


def _about(table: Table, columns, learner: User):
    return or_(*(column == learner.id for column in columns))


def holdings(db: Session, learner: User) -> dict[str, int]:
    """How many rows each table holds about the learner."""
    return {
        table.name: db.scalar(
            select(func.count()).select_from(table).where(_about(table, columns, learner))
        )
        for table, columns in _tables_about_people()
    }


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _held(db: Session, learner: User) -> dict:
    """The account, its groups and every record about the learner, as the database gives them
    (dates as dates, secrets left out)."""
    groups = db.execute(
        select(Group.id, Group.name, GroupMembership.added_at)
        .join(GroupMembership, GroupMembership.group_id == Group.id)
        .where(GroupMembership.user_id == learner.id)
        .order_by(Group.name)
    ).all()
    records = {}
    for table, columns in _tables_about_people():
        rows = db.execute(
            select(table)
            .where(_about(table, columns, learner))
            .order_by(*table.primary_key.columns)
        ).mappings()
        records[table.name] = [
            {key: value for key, value in row.items() if key not in SECRET_COLUMNS} for row in rows
        ]
    return {
        "account": {field: getattr(learner, field) for field in ACCOUNT_FIELDS},
        "groups": [{"id": gid, "name": name, "added_at": added} for gid, name, added in groups],
        "records": records,
    }


def _json_ready(held: dict) -> dict:
    return {
        "account": {key: _plain(value) for key, value in held["account"].items()},
        "groups": [{key: _plain(value) for key, value in row.items()} for row in held["groups"]],
        "records": {
            name: [{key: _plain(value) for key, value in row.items()} for row in rows]
            for name, rows in held["records"].items()
        },
    }


def collect(db: Session, learner: User, now: datetime | None = None) -> dict:
    """Everything Parcours holds on the learner, as JSON-ready data (secrets left out)."""
    org = learner.organisation
    return {
        "exported_at": (now or utcnow()).isoformat(),
        "organisation": {"name": org.name, "slug": org.slug} if org else None,
        **_json_ready(_held(db, learner)),
    }


# --- export -------------------------------------------------------------------------------------


def _cell(value, timezone: str | None = None) -> str:
    """A CSV cell as the reader's spreadsheet reads it (learn/services/spreadsheet.py): dates
    and times in the reader's format and the organisation's time zone, numbers with the
    reader's decimal mark, JSON for structures, and text that a spreadsheet would run as a
    formula prefixed with a quote, unless it is a number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number_text(value, digits=None)
    if isinstance(value, date | datetime):
        return format_when(value, timezone)
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    try:
        float(text)
    except ValueError:
        return neutralise_formula(text)
    return text


def _csv(rows: list[dict], header: list[str], timezone: str) -> bytes:
    """A CSV file for French Excel, with headers in the reader's language."""
    cells = ([_cell(row.get(key), timezone) for key in header] for row in rows)
    return csv_bytes([column_label(key) for key in header], cells)


def _readme(exported: str, timezone: str) -> str:
    return "\n".join(
        [
            _("Parcours: everything held on one learner"),
            "",
            _("Exported on %(date)s (time zone: %(zone)s).", date=exported, zone=timezone),
            "",
            _("learner.json: all of it in one file."),
            _("account.csv: the account (passwords and sign-in codes are never exported)."),
            _("groups.csv: the groups the learner belongs to."),
            _(
                "The CSV files open in a spreadsheet (semicolons, UTF-8); their dates are in "
                "the time zone above, learner.json's in UTC."
            ),
            _(
                "The other CSV files: one per kind of record (progress, events, quiz attempts "
                "with answers, workshops, self-assessments, placements, help requests, "
                "observations, audit log of who looked at or changed this record)."
            ),
            _(
                "evidence/: the photos and voice notes the learner handed in (evidence.csv "
                "says what each one shows)."
            ),
            "",
        ]
    )


def export(db: Session, actor: User, learner: User, now: datetime | None = None):
    """The learner's data as a zip (JSON and CSV files); returns (file name, bytes), audited."""
    require_privacy_officer(actor)
    now = now or utcnow()
    org = learner.organisation
    timezone = (org.timezone if org else None) or DEFAULT_TIMEZONE
    held = _held(db, learner)
    document = {
        "exported_at": now.isoformat(),
        "organisation": {"name": org.name, "slug": org.slug} if org else None,
        **_json_ready(held),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(format_when(now, timezone), timezone))
        archive.writestr(
            "learner.json", json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
        )
        archive.writestr("account.csv", _csv([held["account"]], list(ACCOUNT_FIELDS), timezone))
        archive.writestr("groups.csv", _csv(held["groups"], ["id", "name", "added_at"], timezone))
        tables = {table.name: table for table, _columns in _tables_about_people()}
        for name, rows in held["records"].items():
            header = [c.name for c in tables[name].columns if c.name not in SECRET_COLUMNS]
            archive.writestr(f"{name}.csv", _csv(rows, header, timezone))
        for name, data in evidence_service.files_for_export(db, learner):
            archive.writestr(f"evidence/{name}", data)
    counts = {name: len(rows) for name, rows in held["records"].items() if rows}
    audit.record(db, actor, "learner.export", target=learner, records=counts)
    day = now.astimezone(ZoneInfo(timezone)).date().isoformat()
    filename = _(
        "Parcours data %(of_name)s %(date)s.zip", of_name=of_name(learner.display_name), date=day
    )
    return filename, buffer.getvalue()


# --- erasure ------------------------------------------------------------------------------------


def _overwrite(db: Session, table: Table, where, changes: dict) -> int:
    constants = {k: v for k, v in changes.items() if not callable(v)}
    functions: dict[str, Callable] = {k: v for k, v in changes.items() if callable(v)}
    count = 0
    if constants:
        count = db.execute(update(table).where(where).values(**constants)).rowcount
    if functions:
        key = list(table.primary_key.columns)
        rows = db.execute(select(*key, *(table.c[k] for k in functions)).where(where)).all()
        for row in rows:
            values = {name: fn(row._mapping[name]) for name, fn in functions.items()}
            match = [column == row._mapping[column.name] for column in key]
            db.execute(update(table).where(*match).values(**values))
        count = max(count, len(rows))
    return count


def erase_records(db: Session, learner: User) -> dict:
    """Apply every table's erasure rule (ERASURE) to the learner's rows; what was done per
    table. Retention also calls it on a pseudonymised account once its evidence period ends."""
    done = {}
    # The files first, by their evidence: nothing relies on the database cascading the delete.
    if count := evidence_service.erase_for(db, learner):
        done["evidence"] = count
    for table, columns in _tables_about_people():
        rule = ERASURE.get(table.name, DELETE)
        where = _about(table, columns, learner)
        if rule == KEEP:
            continue
        if rule == DELETE:
            count = db.execute(delete(table).where(where)).rowcount
        else:
            count = _overwrite(db, table, where, rule)
        if count:
            done[table.name] = count
    return done


def close_account(db: Session, learner: User) -> dict:
    """Close the account and delete what no funder needs (password, e-mail, reading
    preferences, sign-in codes, sessions, individual assignments), keeping the name and every
    record: retention's first step for a funded learner (learn/services/retention.py)."""
    done = {}
    for model in (SignInCode, UserSession, Assignment):
        count = db.execute(delete(model).where(model.user_id == learner.id)).rowcount
        if count:
            done[model.__tablename__] = count
    learner.email = None
    learner.password_hash = None
    learner.must_choose_password = False
    learner.reading_preferences = None
    learner.prefers_easy_read = False
    learner.active = False
    db.flush()
    return done


def erase_identity(db: Session, learner: User) -> None:
    """Replace the name and username and close the account; the records stay, attached to an
    account that names no one."""
    close_account(db, learner)
    learner.username = ERASED_PREFIX + secrets.token_hex(8)
    learner.display_name = ERASED_NAME  # not translated here: each reader sees it in theirs
    learner.locale = None
    learner.last_seen_at = None
    db.flush()


def erase(db: Session, actor: User | None, learner: User, reason: str = "request") -> dict:
    """Anonymise the learner in place (see the module's docstring); returns what was done per
    table. actor None is the command line (retention). Audited."""
    if actor is not None:
        require_privacy_officer(actor)
    if learner.role != Role.LEARNER:
        raise NotFound()
    if is_erased(learner):
        raise Invalid(_("This account is already erased."))
    done = erase_records(db, learner)
    erase_identity(db, learner)
    audit.record(db, actor, "learner.erase", target=learner, reason=reason, records=done)
    return done


# --- retention ----------------------------------------------------------------------------------


def inactive_learners(db: Session, days: int, now: datetime | None = None):
    """Learners (not erased) with no sign-in and no recorded activity for more than `days`
    days, with the date of their last activity, oldest first."""
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    recent = exists().where(ProgressEvent.user_id == User.id, ProgressEvent.created_at >= cutoff)
    last_event = (
        select(ProgressEvent.user_id, func.max(ProgressEvent.created_at).label("at"))
        .group_by(ProgressEvent.user_id)
        .subquery()
    )
    rows = db.execute(
        select(User, last_event.c.at)
        .outerjoin(last_event, last_event.c.user_id == User.id)
        .where(
            User.role == Role.LEARNER,
            ~User.username.startswith(ERASED_PREFIX, autoescape=True),
            User.created_at < cutoff,
            or_(User.last_seen_at.is_(None), User.last_seen_at < cutoff),
            ~recent,
        )
        .order_by(User.organisation_id, User.id)
    ).all()
    found = []
    for user, last_event_at in rows:
        moments = [m for m in (user.created_at, user.last_seen_at, last_event_at) if m]
        found.append((user, max(moments)))
    return found
