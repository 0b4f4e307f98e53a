"""Progress: the event log and the per-module summary, updated in the same transaction.

Status moves one way: not_started → in_progress (first visit) → completed (every part seen) →
mastered (the quiz passed under its pass rule). Active time comes from visits and heartbeats: each
one credits the time since the learner's previous activity on the module, capped at
ACTIVE_CAP_SECONDS, so an idle open tab — which sends no heartbeat — never counts hours.
"""

from __future__ import annotations

import functools
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from learn.db import connection_of
from learn.models import ModuleProgress, ProgressEvent, User
from learn.models.people import utcnow

ACTIVE_CAP_SECONDS = 120
STATUS_RANK = {"not_started": 0, "in_progress": 1, "completed": 2, "mastered": 3}

# The statements of every page view, built once: SQLAlchemy then only binds their values (building
# and keying a statement took longer than running it). Rows are read as Core rows, whose
# attributes are the columns (row.status), and written with Core statements.
_SUMMARY = ModuleProgress.__table__
_OWN = _SUMMARY.c.user_id == bindparam("user_id")
_ROWS = select(_SUMMARY).where(_OWN)
_ROWS_OF = _ROWS.where(_SUMMARY.c.module_id.in_(bindparam("module_ids", expanding=True)))
_ONE = _ROWS.where(_SUMMARY.c.module_id == bindparam("module_id"))
_ONE_LOCKED = _ONE.with_for_update()
_WRITE = update(_SUMMARY).where(
    _SUMMARY.c.user_id == bindparam("key_user"), _SUMMARY.c.module_id == bindparam("key_module")
)
_EVENT = insert(ProgressEvent.__table__)


class Summary(SimpleNamespace):
    """A learner's summary of one module (the columns of module_progress) as a write left it."""


def insert_for(dialect: str):
    """The INSERT construct of this database ("postgresql" or "sqlite"; for ON CONFLICT)."""
    return pg_insert if dialect == "postgresql" else sqlite_insert


@functools.cache
def _create_statement(dialect: str):
    return (
        insert_for(dialect)(_SUMMARY)
        .values(
            user_id=bindparam("user_id"),
            module_id=bindparam("module_id"),
            organisation_id=bindparam("organisation_id"),
            status="not_started",
            sections_seen=[],
            active_seconds=0,
            attempts=0,
            failed_in_a_row=0,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "module_id"])
    )


def summary(db: Session, user: User, module_id: str, *, lock: bool = False):
    """The learner's summary row for a module, created if missing (safe under concurrency: two
    first visits both insert-or-ignore, then both read the one row, locked in turn)."""
    conn = connection_of(db)
    key = {"user_id": user.id, "module_id": module_id}
    query = _ONE_LOCKED if lock else _ONE
    row = conn.execute(query, key).one_or_none()
    if row is not None:
        return row
    conn.execute(
        _create_statement(conn.dialect.name), {**key, "organisation_id": user.organisation_id}
    )
    return conn.execute(query, key).one()


def _save(db: Session, row, changes: dict) -> Summary:
    """Write the changed columns of a summary row; the row as written."""
    if changes:
        connection_of(db).execute(
            _WRITE, {"key_user": row.user_id, "key_module": row.module_id, **changes}
        )
    return Summary(**{**row._asdict(), **changes})


def raise_status(current, status: str, now: datetime, changes: dict) -> None:
    """Move the status forward in `changes`, never back, stamping when it was reached."""
    before = changes.get("status", current.status)
    if STATUS_RANK[status] <= STATUS_RANK[before]:
        return
    changes["status"] = status
    if STATUS_RANK[status] >= STATUS_RANK["completed"] and current.completed_at is None:
        changes.setdefault("completed_at", now)
    if status == "mastered":
        changes["mastered_at"] = now


def log(db: Session, user: User, kind: str, module_id: str | None = None, **fields) -> None:
    """Append one event to the learner's record (one INSERT, in the caller's transaction)."""
    connection_of(db).execute(
        _EVENT,
        {
            "user_id": user.id,
            "organisation_id": user.organisation_id,
            "module_id": module_id,
            "kind": kind,
            **fields,
        },
    )


def _credit(last_visit_at: datetime | None, now: datetime) -> int:
    if last_visit_at is None:
        return 0
    elapsed = int((now - last_visit_at).total_seconds())
    return max(0, min(elapsed, ACTIVE_CAP_SECONDS))


def _active(row, now: datetime, seconds: int = 0) -> dict:
    """The changes any activity on a module makes: time credited, last (and first) visit."""
    changes = {"active_seconds": row.active_seconds + seconds, "last_visit_at": now}
    if row.first_visit_at is None:
        changes["first_visit_at"] = now
    return changes


def record_visit(
    db: Session,
    user: User,
    variant,
    section_id: str | None,
    now: datetime | None = None,
) -> Summary:
    """The learner opened a part of a module: remember the place, count time, move status."""
    now = now or utcnow()
    row = summary(db, user, variant.id, lock=True)
    seconds = _credit(row.last_visit_at, now)
    changes = {**_active(row, now, seconds), "content_version": variant.version}
    raise_status(row, "in_progress", now, changes)
    section_ids = [s.id for s in variant.sections]
    seen = list(row.sections_seen or [])
    if section_id in section_ids:
        changes["last_section"] = section_id
        if section_id not in seen:
            seen.append(section_id)
            changes["sections_seen"] = seen
    if section_ids and set(section_ids) <= set(seen):
        raise_status(row, "completed", now, changes)
    log(
        db,
        user,
        "visit",
        variant.id,
        section_id=section_id,
        variant=variant.variant,
        content_version=variant.version,
        seconds=seconds,
        created_at=now,
    )
    return _save(db, row, changes)


def record_heartbeat(
    db: Session, user: User, module_id: str, now: datetime | None = None
) -> Summary:
    """The page says the learner is active: credit the time since their last activity (capped)."""
    now = now or utcnow()
    row = summary(db, user, module_id, lock=True)
    seconds = _credit(row.last_visit_at, now)
    changes = _active(row, now, seconds)
    if seconds:
        log(db, user, "heartbeat", module_id, seconds=seconds, created_at=now)
    return _save(db, row, changes)


def record_attempt(db: Session, user: User, variant, attempt, now: datetime) -> Summary:
    """A quiz attempt was recorded: count it, keep the best score, master on a pass."""
    row = summary(db, user, variant.id, lock=True)
    changes = {
        **_active(row, now),
        "attempts": row.attempts + 1,
        "best_score": max(row.best_score or 0.0, attempt.score),
        "failed_in_a_row": 0 if attempt.passed else row.failed_in_a_row + 1,
        "content_version": variant.version,
    }
    raise_status(row, "in_progress", now, changes)
    if attempt.passed:
        raise_status(row, "mastered", now, changes)
    log(
        db,
        user,
        "quiz",
        variant.id,
        variant=variant.variant,
        content_version=variant.version,
        data={"attempt": attempt.seq, "score": attempt.score, "passed": attempt.passed},
        created_at=now,
    )
    return _save(db, row, changes)


def progress_by_module(db: Session, user: User, module_ids=None) -> dict:
    """The learner's summary rows (all, or of these modules), by module id (one query)."""
    conn = connection_of(db)
    if module_ids is None:
        rows = conn.execute(_ROWS, {"user_id": user.id})
    else:
        rows = conn.execute(_ROWS_OF, {"user_id": user.id, "module_ids": list(module_ids)})
    return {row.module_id: row for row in rows}
