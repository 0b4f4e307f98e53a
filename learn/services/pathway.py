"""What a learner may open, and where they stand: the catalog and dashboard, computed once.

A module is open when it has no prerequisite, when its prerequisites are mastered, when a
trainer assigned it, or — for a soft-skill level — when placement recommended that level or a
higher one. Otherwise it is shown as "later" with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import ModuleProgress, User, WorkshopAnswer
from learn.models.people import utcnow
from learn.services import assignments as assignment_service
from learn.services import competencies, learning, needs_help
from learn.services import progress as progress_service

DONE = ("completed", "mastered")  # statuses of work that is done: not overdue, not to continue


@dataclass(frozen=True)
class ModuleState:
    module_id: str
    status: str
    open: bool
    reason: str  # why it is open ("assigned", "placement") or why it is later
    due_on: date | None = None
    overdue: bool = False
    easy_read: bool = False
    minutes: int | None = None
    progress: ModuleProgress | None = None


@dataclass
class Pathway:
    states: dict[str, ModuleState]
    placements: dict = field(default_factory=dict)
    # (session, learner, catalog, now): lets the dashboard ask for the grid and the needs-help
    # reasons, computed by the very services the trainer's pages use, only when it shows them.
    context: tuple | None = field(default=None, repr=False, compare=False)

    def state(self, module_id: str) -> ModuleState:
        return self.states[module_id]

    @cached_property
    def competency_grid(self):
        """The learner's competency grid, as their trainer sees it (3 queries, once)."""
        db, user, catalog, _now = self.context
        return competencies.grid_for(db, user, catalog)

    @cached_property
    def help_reasons(self) -> list:
        """Why the learner needs help, as their trainer's list says (5 queries, once)."""
        db, user, catalog, now = self.context
        return needs_help.reasons_for_learner(db, user, catalog, now)

    def help_messages(self, lang: str) -> list[str]:
        """The needs-help reasons in words addressed to the learner."""
        catalog = self.context[2]
        return [needs_help.describe(r, catalog, lang, for_learner=True) for r in self.help_reasons]


def _later_reason(catalog, missing: list[str], lang: str) -> str:
    titles = ", ".join(catalog.modules[m].title(lang) for m in missing if m in catalog.modules)
    return _("Later: first master %(titles)s.", titles=titles)


def compute(
    db: Session,
    user: User,
    catalog,
    lang: str,
    now: datetime | None = None,
    only: str | None = None,
) -> Pathway:
    """Status, openness and due dates of every served module for this learner (4 queries);
    with `only`, of that one module (what a page about one module needs: 2 queries, and the
    placement is read only when it alone could open the module)."""
    now = now or utcnow()
    today = assignment_service.today_for(user, now)
    placements: dict | None
    if only is not None:
        module = catalog.modules.get(only)
        wanted = {only, *(module.prerequisites if module else ())}
        progress = progress_service.progress_by_module(db, user, wanted)
        placements = None
        modules = [module] if module else []
    else:
        progress = progress_service.progress_by_module(db, user)
        placements = learning.placements_by_skill(db, user)
        modules = catalog.modules.values()
    assigned = assignment_service.for_learner(db, user, catalog)
    states: dict[str, ModuleState] = {}
    for module in modules:
        if module.kind != "module" or not module.valid:
            continue
        row = progress.get(module.id)
        status = row.status if row else "not_started"
        assignment = assigned.get(module.id)
        missing = [
            p for p in module.prerequisites if getattr(progress.get(p), "status", "") != "mastered"
        ]
        if (
            placements is None
            and module.skill
            and not assignment
            and missing
            and status == "not_started"
        ):
            placements = learning.placements_by_skill(db, user, module.skill)
        placed = placements.get(module.skill) if module.skill and placements else None
        if assignment is not None:
            is_open, reason = True, "assigned"
        elif placed is not None and module.level and module.level <= placed.recommended_level:
            is_open, reason = True, "placement"
        elif not missing or status != "not_started":
            is_open, reason = True, ""
        else:
            is_open, reason = False, _later_reason(catalog, missing, lang)
        due = assignment.due_on if assignment else None
        done = status in DONE
        variant = catalog.variant(module.id, lang, "standard")
        states[module.id] = ModuleState(
            module_id=module.id,
            status=status,
            open=is_open,
            reason=reason,
            due_on=due,
            overdue=bool(due and due < today and not done),
            easy_read=bool(assignment and assignment.easy_read),
            minutes=variant.minutes if variant else None,
            progress=row,
        )
    return Pathway(states=states, placements=placements or {}, context=(db, user, catalog, now))


def continue_module(pathway: Pathway) -> ModuleState | None:
    """The module to pick up: the assigned work due first (earliest due date, not done yet),
    else the most recently visited one not yet mastered, else undated assigned work."""
    assigned = [
        s for s in pathway.states.values() if s.reason == "assigned" and s.status not in DONE
    ]
    dated = sorted((s for s in assigned if s.due_on), key=lambda s: (s.due_on, s.module_id))
    if dated:
        return dated[0]
    visited = last_visited(pathway)
    if visited is not None:
        return visited
    return min(assigned, key=lambda s: s.module_id, default=None)


def last_visited(pathway: Pathway) -> ModuleState | None:
    """The most recently visited module not yet mastered."""
    candidates = [
        s
        for s in pathway.states.values()
        if s.progress is not None
        and s.status in ("in_progress", "completed")
        and s.progress.last_visit_at is not None
    ]
    return max(candidates, key=lambda s: s.progress.last_visit_at, default=None)


def recent_feedback(db: Session, user: User, limit: int = 5) -> list[WorkshopAnswer]:
    """The learner's worksheets a trainer reviewed, newest first."""
    return list(
        db.scalars(
            select(WorkshopAnswer)
            .where(WorkshopAnswer.user_id == user.id, WorkshopAnswer.reviewed_at.is_not(None))
            .order_by(WorkshopAnswer.reviewed_at.desc())
            .limit(limit)
        )
    )
