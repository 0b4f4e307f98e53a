"""Documents for learners and funders: the attestation of the skills validated, and the record
of training (modules completed, time spent, assessment results by date)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.models import (
    ModuleProgress,
    Observation,
    Organisation,
    PlacementResult,
    QuizAttempt,
    SelfAssessment,
    User,
    WorkshopAnswer,
)
from learn.models.people import utcnow
from learn.services import accounts
from learn.services.competencies import (
    CompetencyCell,
    build_grid,
    skill_validations,
    worksheets_by_module,
)
from learn.services.groups import require_staff
from learn.services.reports import minutes, ordered_modules, percent


@dataclass(frozen=True)
class Attestation:
    learner: User
    organisation: Organisation | None
    issued_on: date
    validated: list[CompetencyCell]


@dataclass(frozen=True)
class ModuleLine:
    module_id: str
    status: str
    completed_on: date | None
    mastered_on: date | None
    minutes: int
    best_percent: int | None
    attempts: int


@dataclass(frozen=True)
class ResultLine:
    when: datetime
    kind: str  # quiz, placement, selfcheck, observation
    subject_id: str  # module or skill id
    level: int | None
    percent: int | None
    outcome: str  # passed / not_passed / level / validated / not_yet / rated
    detail: str  # observer's name, or the average self rating


@dataclass(frozen=True)
class TrainingRecord:
    learner: User
    organisation: Organisation | None
    issued_on: date
    first_activity: datetime | None
    last_activity: datetime | None
    modules: list[ModuleLine]
    total_minutes: int
    results: list[ResultLine]


def _records(db: Session, learner: User):
    def rows(model, *order):
        return list(db.scalars(select(model).where(model.user_id == learner.id).order_by(*order)))

    progress = {p.module_id: p for p in rows(ModuleProgress, ModuleProgress.module_id)}
    assessments = rows(SelfAssessment, SelfAssessment.created_at, SelfAssessment.id)
    observations = rows(Observation, Observation.observed_on, Observation.id)
    return progress, assessments, observations


def _worksheets(db: Session, learner: User):
    rows = db.scalars(select(WorkshopAnswer).where(WorkshopAnswer.user_id == learner.id))
    return worksheets_by_module(rows)


def _tz(learner: User) -> str:
    return learner.organisation.timezone if learner.organisation else "Europe/Paris"


def attestation(
    db: Session, actor: User, learner_id: int, catalog, now: datetime | None = None
) -> Attestation:
    """The skills a learner has validated (skill, level, date, observer), for printing."""
    require_staff(actor)
    learner = accounts.get_learner(db, actor, learner_id)
    progress, assessments, observations = _records(db, learner)
    latest = {a.module_id: a for a in assessments}
    grid = build_grid(
        catalog,
        progress,
        latest,
        observations,
        _tz(learner),
        _worksheets(db, learner),
        skill_validations(db, learner),
    )
    today = (now or utcnow()).astimezone(ZoneInfo(_tz(learner))).date()
    return Attestation(learner, learner.organisation, today, grid.validated())


def training_record(
    db: Session, actor: User, learner_id: int, catalog, now: datetime | None = None
) -> TrainingRecord:
    """Modules completed, time spent and every assessment result by date (6 queries)."""
    require_staff(actor)
    learner = accounts.get_learner(db, actor, learner_id)
    return training_records(db, [learner], catalog, now)[learner.id]


def _by_learner(db: Session, model, ids: list[int], *order) -> dict[int, list]:
    """The rows of `model` of these learners, grouped by learner id (1 query)."""
    found: dict[int, list] = defaultdict(list)
    if ids:
        for row in db.scalars(select(model).where(model.user_id.in_(ids)).order_by(*order)):
            found[row.user_id].append(row)
    return found


def training_records(
    db: Session, learners: list[User], catalog, now: datetime | None = None
) -> dict[int, TrainingRecord]:
    """The training record of each of these learners, by id, in a fixed number of queries
    (5, whatever their number: IN (...) selects grouped here). The caller checked access."""
    ids = [learner.id for learner in learners]
    progress_rows = _by_learner(db, ModuleProgress, ids, ModuleProgress.module_id)
    assessment_rows = _by_learner(
        db, SelfAssessment, ids, SelfAssessment.created_at, SelfAssessment.id
    )
    observation_rows = _by_learner(db, Observation, ids, Observation.observed_on, Observation.id)
    attempt_rows = _by_learner(db, QuizAttempt, ids, QuizAttempt.id)
    placement_rows = _by_learner(db, PlacementResult, ids, PlacementResult.id)
    order = {m.id: i for i, m in enumerate(ordered_modules(catalog))}
    now = now or utcnow()
    return {
        learner.id: _record(
            learner,
            {p.module_id: p for p in progress_rows[learner.id]},
            assessment_rows[learner.id],
            observation_rows[learner.id],
            attempt_rows[learner.id],
            placement_rows[learner.id],
            order,
            now,
        )
        for learner in learners
    }


def _record(
    learner: User, progress, assessments, observations, attempts, placements, order, now
) -> TrainingRecord:
    tz = ZoneInfo(_tz(learner))

    def day(moment):
        return moment.astimezone(tz).date() if moment else None

    modules = [
        ModuleLine(
            p.module_id,
            p.status,
            day(p.completed_at),
            day(p.mastered_at),
            minutes(p.active_seconds),
            percent(p.best_score),
            p.attempts or 0,
        )
        for p in sorted(progress.values(), key=lambda p: (order.get(p.module_id, 1e9), p.module_id))
        if p.status != "not_started" or p.active_seconds
    ]
    results = [
        ResultLine(
            a.submitted_at,
            "quiz",
            a.module_id,
            None,
            percent(a.score),
            "passed" if a.passed else "not_passed",
            f"{a.correct_count}/{a.total}",
        )
        for a in attempts
    ]
    results += [
        ResultLine(p.created_at, "placement", p.skill_id, p.recommended_level, None, "level", "")
        for p in placements
    ]
    for a in assessments:
        values = [v for v in (a.ratings or {}).values() if isinstance(v, int)]
        average = f"{sum(values) / len(values):.1f}" if values else ""
        results.append(
            ResultLine(a.created_at, "selfcheck", a.module_id, None, None, "rated", average)
        )
    for o in observations:
        moment = datetime.combine(o.observed_on, datetime.min.time(), tzinfo=tz)
        results.append(
            ResultLine(
                moment,
                "observation",
                o.skill_id,
                o.level,
                None,
                "validated" if o.validated else "not_yet",
                o.credit,
            )
        )
    results.sort(key=lambda r: (r.when, r.kind))
    visits = [p.first_visit_at for p in progress.values() if p.first_visit_at]
    lasts = [p.last_visit_at for p in progress.values() if p.last_visit_at]
    today = now.astimezone(tz).date()
    return TrainingRecord(
        learner,
        learner.organisation,
        today,
        min(visits, default=None),
        max(lasts, default=None),
        modules,
        # Rounded once, from the seconds, as on the learner's page (a sum of rounded minutes can
        # differ by a few).
        minutes(sum(p.active_seconds or 0 for p in progress.values())),
        results,
    )
