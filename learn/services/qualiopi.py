"""The evidence a Qualiopi auditor reads for one group (docs/funders.md): entry positioning,
objectives, progress, assessments, the trainers' reviews and help, and the satisfaction
questionnaire's results (indicator 30) without names — in a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.models import (
    Group,
    HelpRequest,
    ModuleProgress,
    Observation,
    PlacementResult,
    QuizAttempt,
    User,
    WorkshopAnswer,
)
from learn.models.people import utcnow
from learn.services import assigning, groups, satisfaction
from learn.services.groups import require_staff


@dataclass(frozen=True)
class LearnerProgress:
    learner: User
    started: int
    completed: int
    mastered: int
    active_seconds: int


@dataclass(frozen=True)
class Delays:
    count: int
    answered: int
    average_hours: float | None


@dataclass(frozen=True)
class Evidence:
    group: Group
    issued_at: datetime
    learners: list[User]
    placements: dict[str, Counter]  # skill -> {level: learners}
    assignments: list
    progress: list[LearnerProgress]
    quiz_attempts: int
    quiz_passed: int
    observations: int
    observations_validated: int
    reviews: Delays
    help: Delays
    satisfaction: satisfaction.Results


def _delays(pairs) -> Delays:
    pairs = list(pairs)
    waits = [(done - asked).total_seconds() / 3600 for asked, done in pairs if asked and done]
    average = round(sum(waits) / len(waits), 1) if waits else None
    return Delays(len(pairs), len(waits), average)


def _review_of_last_sending(sheet: WorkshopAnswer) -> datetime | None:
    reviewed = sheet.reviewed_at
    return reviewed if reviewed and reviewed >= sheet.submitted_at else None


def evidence(db: Session, actor: User, group_id: int, now: datetime | None = None) -> Evidence:
    """The group's Qualiopi evidence (NotFound for a group the actor does not see)."""
    require_staff(actor)
    group = groups.get_group(db, actor, group_id)
    learners = groups.members(db, actor, group)
    ids = [p.id for p in learners]

    def rows(model):
        return list(db.scalars(select(model).where(model.user_id.in_(ids)))) if ids else []

    first_placement: dict[tuple[int, str], PlacementResult] = {}
    for row in sorted(rows(PlacementResult), key=lambda r: (r.created_at, r.id)):
        first_placement.setdefault((row.user_id, row.skill_id), row)
    placements: dict[str, Counter] = defaultdict(Counter)
    for (_uid, skill), row in first_placement.items():
        placements[skill][row.recommended_level] += 1
    progress_rows = defaultdict(list)
    for row in rows(ModuleProgress):
        progress_rows[row.user_id].append(row)
    progress = [
        LearnerProgress(
            person,
            sum(1 for r in progress_rows[person.id] if r.status != "not_started"),
            sum(1 for r in progress_rows[person.id] if r.status in ("completed", "mastered")),
            sum(1 for r in progress_rows[person.id] if r.status == "mastered"),
            sum(r.active_seconds or 0 for r in progress_rows[person.id]),
        )
        for person in learners
    ]
    attempts = rows(QuizAttempt)
    observed = rows(Observation)
    sheets = [w for w in rows(WorkshopAnswer) if w.submitted_at]
    helps = rows(HelpRequest)
    return Evidence(
        group=group,
        issued_at=now or utcnow(),
        learners=learners,
        placements=dict(sorted(placements.items())),
        assignments=assigning.for_group(db, actor, group),
        progress=progress,
        quiz_attempts=len(attempts),
        quiz_passed=sum(1 for a in attempts if a.passed),
        observations=len(observed),
        observations_validated=sum(1 for o in observed if o.validated),
        reviews=_delays((w.submitted_at, _review_of_last_sending(w)) for w in sheets),
        help=_delays((h.created_at, h.resolved_at) for h in helps),
        satisfaction=satisfaction.results(db, ids),
    )
