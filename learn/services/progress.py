"""Progress: the event log and the per-module summary, updated in the same transaction.

Status moves one way: not_started → in_progress (first visit) → completed (every part seen) →
mastered (the quiz passed under its pass rule). Active time comes from visits and heartbeats: each
one credits the time since the learner's previous activity on the module, capped at
ACTIVE_CAP_SECONDS, so an idle open tab — which sends no heartbeat — never counts hours.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from learn.models import ModuleProgress, ProgressEvent, User
from learn.models.people import utcnow

ACTIVE_CAP_SECONDS = 120
STATUS_RANK = {"not_started": 0, "in_progress": 1, "completed": 2, "mastered": 3}


def insert_for(db: Session):
    """The INSERT construct of the session's database (for ON CONFLICT clauses)."""
    return pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert


def summary(db: Session, user: User, module_id: str, *, lock: bool = False) -> ModuleProgress:
    """The learner's summary row for a module, created if missing (safe under concurrency: two
    first visits both insert-or-ignore, then both read the one row, locked in turn)."""
    query = select(ModuleProgress).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == module_id
    )
    if lock:
        query = query.with_for_update()
    query = query.execution_options(populate_existing=True)
    row = db.scalars(query).one_or_none()
    if row is not None:
        return row
    stmt = (
        insert_for(db)(ModuleProgress)
        .values(
            user_id=user.id,
            module_id=module_id,
            organisation_id=user.organisation_id,
            status="not_started",
            sections_seen=[],
            active_seconds=0,
            attempts=0,
            failed_in_a_row=0,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "module_id"])
    )
    db.execute(stmt)
    return db.scalars(query).one()


def raise_status(progress: ModuleProgress, status: str, now: datetime) -> None:
    """Move the status forward, never back, stamping when it was reached."""
    if STATUS_RANK[status] <= STATUS_RANK[progress.status]:
        return
    progress.status = status
    if STATUS_RANK[status] >= STATUS_RANK["completed"] and progress.completed_at is None:
        progress.completed_at = now
    if status == "mastered":
        progress.mastered_at = now


def log(db: Session, user: User, kind: str, module_id: str | None = None, **fields) -> None:
    """Append one event to the learner's record (one INSERT, in the caller's transaction)."""
    db.execute(
        insert(ProgressEvent).values(
            user_id=user.id,
            organisation_id=user.organisation_id,
            module_id=module_id,
            kind=kind,
            **fields,
        )
    )


def _credit(progress: ModuleProgress, now: datetime) -> int:
    if progress.last_visit_at is None:
        return 0
    elapsed = int((now - progress.last_visit_at).total_seconds())
    return max(0, min(elapsed, ACTIVE_CAP_SECONDS))


def record_visit(
    db: Session,
    user: User,
    variant,
    section_id: str | None,
    now: datetime | None = None,
) -> ModuleProgress:
    """The learner opened a part of a module: remember the place, count time, move status."""
    now = now or utcnow()
    progress = summary(db, user, variant.id, lock=True)
    seconds = _credit(progress, now)
    progress.active_seconds += seconds
    if progress.first_visit_at is None:
        progress.first_visit_at = now
    progress.last_visit_at = now
    progress.content_version = variant.version
    raise_status(progress, "in_progress", now)
    section_ids = [s.id for s in variant.sections]
    if section_id in section_ids:
        progress.last_section = section_id
        if section_id not in (progress.sections_seen or []):
            progress.sections_seen = [*(progress.sections_seen or []), section_id]
    if section_ids and set(section_ids) <= set(progress.sections_seen or []):
        raise_status(progress, "completed", now)
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
    db.flush()
    return progress


def record_heartbeat(
    db: Session, user: User, module_id: str, now: datetime | None = None
) -> ModuleProgress:
    """The page says the learner is active: credit the time since their last activity (capped)."""
    now = now or utcnow()
    progress = summary(db, user, module_id, lock=True)
    seconds = _credit(progress, now)
    progress.active_seconds += seconds
    progress.last_visit_at = now
    if progress.first_visit_at is None:
        progress.first_visit_at = now
    if seconds:
        log(db, user, "heartbeat", module_id, seconds=seconds, created_at=now)
    db.flush()
    return progress


def progress_by_module(db: Session, user: User, module_ids=None) -> dict[str, ModuleProgress]:
    """The learner's summary rows (all, or of these modules), by module id (one query)."""
    stmt = select(ModuleProgress).where(ModuleProgress.user_id == user.id)
    if module_ids is not None:
        stmt = stmt.where(ModuleProgress.module_id.in_(list(module_ids)))
    rows = db.scalars(stmt)
    return {row.module_id: row for row in rows}
