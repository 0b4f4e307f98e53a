"""A group at a glance: one line per learner — what was assigned to them, how much of it is done,
in progress, not started or overdue, their last activity and whether they need help — the sheet
a trainer used to keep in Excel. A fixed number of queries, whatever the size of the group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from learn.models import Assignment, Group, GroupMembership, ModuleProgress, Organisation, User
from learn.models.people import shown_name, utcnow
from learn.services import needs_help
from learn.services.assignments import expand_target
from learn.services.groups import members, require_staff

DONE = ("completed", "mastered")


@dataclass(frozen=True)
class LearnerGlance:
    learner: User
    display_name: str  # as shown to the reader (an erased account's in their language)
    assigned: int  # modules assigned to the learner (through any group of theirs, or directly)
    done: int
    in_progress: int
    not_started: int
    overdue: int  # assigned, past due, not done (counted in in_progress or not_started too)
    last_active: datetime | None
    help_kinds: tuple[str, ...]  # needs_help.KINDS of the learner's reasons, most urgent first


def _assigned(db: Session, ids: list[int], catalog) -> dict[int, dict[str, date | None]]:
    """{learner: {module: earliest due date}} of what reaches each learner (1 query)."""
    stmt = (
        select(
            Assignment.target_kind,
            Assignment.target_ref,
            Assignment.due_on,
            func.coalesce(Assignment.user_id, GroupMembership.user_id),
        )
        .outerjoin(Group, Group.id == Assignment.group_id)
        .outerjoin(GroupMembership, GroupMembership.group_id == Assignment.group_id)
        .where(
            or_(
                Assignment.user_id.in_(ids),
                GroupMembership.user_id.in_(ids) & Group.archived_at.is_(None),
            )
        )
    )
    served = needs_help.served_modules(catalog)
    expanded: dict[tuple[str, str], list[str]] = {}
    found: dict[int, dict[str, date | None]] = {uid: {} for uid in ids}
    for kind, ref, due, uid in db.connection().execute(stmt):
        if (kind, ref) not in expanded:
            expanded[kind, ref] = [m for m in expand_target(catalog, kind, ref) if m in served]
        for module_id in expanded[kind, ref]:
            mine = found.setdefault(uid, {})
            # As on the learner's pathway: the earliest due date of a module wins.
            known = mine.get(module_id)
            if module_id not in mine or (due is not None and (known is None or due < known)):
                mine[module_id] = due
    return found


def group_overview(
    db: Session, actor: User, group: Group, catalog, now: datetime | None = None
) -> list[LearnerGlance]:
    """One line per learner of the group (scoped by the caller's get_group), by name;
    8 queries for any number of learners."""
    require_staff(actor)
    now = now or utcnow()
    people = members(db, actor, group)
    ids = [p.id for p in people]
    if not ids:
        return []
    timezone = db.scalar(
        select(Organisation.timezone).where(Organisation.id == group.organisation_id)
    )
    assigned = _assigned(db, ids, catalog)
    statuses = {
        (uid, module_id): status
        for uid, module_id, status in db.connection().execute(
            select(ModuleProgress.user_id, ModuleProgress.module_id, ModuleProgress.status).where(
                ModuleProgress.user_id.in_(ids),
                ModuleProgress.module_id.in_({m for mods in assigned.values() for m in mods}),
            )
        )
    }
    facts = needs_help.gather(
        db, [(p.id, p.created_at, p.last_seen_at, timezone) for p in people], catalog, now
    )
    today = needs_help.today_in(timezone, now)
    lines = []
    for person in people:
        modules = assigned.get(person.id, {})
        counts = {"done": 0, "in_progress": 0, "not_started": 0, "overdue": 0}
        for module_id, due in modules.items():
            status = statuses.get((person.id, module_id), "not_started")
            bucket = "done" if status in DONE else status
            counts[bucket if bucket in counts else "in_progress"] += 1
            if due is not None and due < today and status not in DONE:
                counts["overdue"] += 1
        reasons = needs_help.reasons_from(facts[person.id], now) if person.active else []
        lines.append(
            LearnerGlance(
                learner=person,
                display_name=shown_name(person.username, person.display_name),
                assigned=len(modules),
                last_active=facts[person.id].last_active,
                help_kinds=tuple(dict.fromkeys(r.kind for r in reasons)),
                **counts,
            )
        )
    return lines
