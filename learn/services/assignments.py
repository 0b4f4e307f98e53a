"""Assignments as a learner sees them: what was asked of them, by when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from learn.db import connection_of
from learn.models import Assignment, Group, GroupMembership, User


@dataclass(frozen=True)
class AssignedModule:
    module_id: str
    due_on: date | None
    easy_read: bool


def expand_target(catalog, kind: str, ref: str) -> list[str]:
    """The module ids an assignment target stands for, in catalog order."""
    if kind == "module":
        return [ref] if ref in catalog.modules else []
    if kind == "level":
        skill_id, _sep, level = ref.partition(":")
        return [
            m.id
            for m in catalog.modules.values()
            if m.kind == "module" and m.skill == skill_id and str(m.level) == level
        ]
    if kind == "skill":
        return sorted(
            (m.id for m in catalog.modules.values() if m.kind == "module" and m.skill == ref),
            key=lambda mid: catalog.modules[mid].level or 0,
        )
    if kind == "course":
        course = next((c for c in catalog.courses if c.id == ref), None)
        return list(course.module_ids) if course else []
    return []


# Read on every page about a module: built once, only its values are bound.
_FOR_LEARNER = (
    select(Assignment.target_kind, Assignment.target_ref, Assignment.due_on, Assignment.easy_read)
    .outerjoin(Group, Group.id == Assignment.group_id)
    .where(
        Assignment.organisation_id == bindparam("organisation_id"),
        or_(
            Assignment.user_id == bindparam("user_id"),
            Assignment.group_id.in_(
                select(GroupMembership.group_id).where(
                    GroupMembership.user_id == bindparam("user_id")
                )
            )
            & Group.archived_at.is_(None),
        ),
    )
)


def for_learner(db: Session, learner: User, catalog) -> dict[str, AssignedModule]:
    """Every module assigned to the learner, directly or through a group (one query);
    when several assignments name a module, the earliest due date wins."""
    rows = connection_of(db).execute(
        _FOR_LEARNER, {"organisation_id": learner.organisation_id, "user_id": learner.id}
    )
    assigned: dict[str, AssignedModule] = {}
    for row in rows:
        for module_id in expand_target(catalog, row.target_kind, row.target_ref):
            known = assigned.get(module_id)
            due = row.due_on
            if known is not None:
                if known.due_on is not None and (due is None or known.due_on <= due):
                    due = known.due_on
                easy = known.easy_read or row.easy_read
            else:
                easy = row.easy_read
            assigned[module_id] = AssignedModule(module_id, due, easy)
    return assigned


def today_for(user: User, now: datetime) -> date:
    """Today's date in the learner's organisation's time zone."""
    tz = ZoneInfo(user.organisation.timezone if user.organisation else "Europe/Paris")
    return now.astimezone(tz).date()
