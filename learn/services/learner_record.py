"""Everything a trainer sees about one learner: activity, attempts with their answers, placement,
self-assessments, help requests, worksheets, observations, assignments, the competency grid and
the needs-help reasons — in a fixed number of queries, whatever the size of the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.models import (
    Group,
    HelpRequest,
    ModuleProgress,
    Observation,
    PlacementResult,
    ProgressEvent,
    QuizAttempt,
    SelfAssessment,
    User,
    WorkshopAnswer,
)
from learn.models.people import utcnow
from learn.modules import apply_order, question_type
from learn.services import accounts, assigning, groups, needs_help, quizzes
from learn.services.competencies import (
    Grid,
    build_grid,
    skill_validations,
    worksheets_by_module,
)
from learn.services.groups import require_staff

TIMELINE_LIMIT = 200
NO_ANSWER = "—"
VISIT_GAP = timedelta(minutes=30)  # events closer than this belong to one visit


@dataclass(frozen=True)
class AnswerLine:
    question_id: str
    question: str
    answer: str
    correct: bool
    changed: bool  # the question was edited since the attempt
    # single, true/false, multiple: (option text, chosen) in the order the learner saw them
    options: tuple[tuple[str, bool], ...] = ()
    score: float = 0.0  # partial credit, 0..1


@dataclass(frozen=True)
class AttemptView:
    attempt: QuizAttempt
    lines: tuple[AnswerLine, ...]


@dataclass
class LearnerRecord:
    learner: User
    groups: list[Group]
    progress: dict[str, ModuleProgress]
    events: list[ProgressEvent]
    attempts: list[AttemptView]
    placements: list[PlacementResult]
    self_assessments: list[SelfAssessment]
    help_requests: list[HelpRequest]
    workshops: list[WorkshopAnswer]
    observations: list[Observation]
    assignments: list
    grid: Grid
    reasons: list

    @property
    def total_seconds(self) -> int:
        return sum(p.active_seconds or 0 for p in self.progress.values())


@dataclass(frozen=True)
class Visit:
    """Events of one sitting, latest first: each less than VISIT_GAP after the one before."""

    start: datetime
    end: datetime
    events: tuple[ProgressEvent, ...]

    @property
    def minutes(self) -> int:
        return round((self.end - self.start).total_seconds() / 60)


def visits(events: list[ProgressEvent], gap: timedelta = VISIT_GAP) -> list[Visit]:
    """The timeline cut into visits, latest first (events come latest first)."""
    found: list[list[ProgressEvent]] = []
    for event in sorted(events, key=lambda e: (e.created_at, e.id or 0), reverse=True):
        if found and found[-1][-1].created_at - event.created_at < gap:
            found[-1].append(event)
        else:
            found.append([event])
    return [Visit(group[-1].created_at, group[0].created_at, tuple(group)) for group in found]


def part_title(catalog, module_id: str | None, section_id: str | None, lang: str, variant=None):
    """The title of a module's part as the catalog holds it (the reader's language first), or
    the part's id when the content no longer has it."""
    module = catalog.modules.get(module_id) if module_id else None
    if module is None or not section_id:
        return section_id or ""
    keys = [(lang, variant or "standard"), (lang, "standard"), ("fr", variant or "standard")]
    keys += [("fr", "standard"), *module.variants]
    for key in keys:
        found = module.variants.get(key)
        section = found.section(section_id) if found else None
        if section is not None:
            return section.title
    return section_id


def describe_answer(question, answer) -> str:
    """A learner's answer as the text of the options they chose (or what they typed)."""
    if answer is None or answer == "" or answer == [] or answer == {}:
        return NO_ANSWER
    return question_type(question).describe(question, answer)


def attempt_view(attempt: QuizAttempt, catalog) -> AttemptView:
    """An attempt with each question and answer as the learner saw them."""
    variant = catalog.variant(attempt.module_id, attempt.lang, attempt.variant)
    lines = []
    shown = apply_order(variant.questions, attempt.shown_order) if variant else ()
    for question, options in shown:
        stored = (attempt.answers or {}).get(question.id) or {}
        lines.append(
            AnswerLine(
                question.id,
                question.text,
                describe_answer(question, stored.get("answer")),
                bool(stored.get("correct")),
                stored.get("version") != variant.question_versions.get(question.id),
                question_type(question).options_seen(question, options, stored.get("answer")),
                float(stored.get("score") or 0.0),
            )
        )
    return AttemptView(attempt, tuple(lines))


def _by_user(model, learner: User, *order):
    return select(model).where(model.user_id == learner.id).order_by(*order)


def learner_record(
    db: Session, actor: User, learner_id: int, catalog, now: datetime | None = None
) -> LearnerRecord:
    """The whole record of a learner the actor sees (NotFound otherwise); 16 queries."""
    require_staff(actor)
    now = now or utcnow()
    learner = accounts.get_learner(db, actor, learner_id)
    progress = {
        row.module_id: row
        for row in db.scalars(_by_user(ModuleProgress, learner, ModuleProgress.module_id))
    }
    events = list(
        db.scalars(
            select(ProgressEvent)
            .where(ProgressEvent.user_id == learner.id, ProgressEvent.kind != "heartbeat")
            .order_by(ProgressEvent.id.desc())
            .limit(TIMELINE_LIMIT)
        )
    )
    attempts = [
        attempt_view(a, catalog)
        for a in db.scalars(
            _by_user(QuizAttempt, learner, QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
        )
    ]
    placements = list(db.scalars(_by_user(PlacementResult, learner, PlacementResult.id.desc())))
    assessments = list(db.scalars(_by_user(SelfAssessment, learner, SelfAssessment.id.desc())))
    help_requests = list(db.scalars(_by_user(HelpRequest, learner, HelpRequest.id.desc())))
    workshops = list(db.scalars(_by_user(WorkshopAnswer, learner, WorkshopAnswer.id)))
    observations = list(
        db.scalars(
            _by_user(Observation, learner, Observation.observed_on.desc(), Observation.id.desc())
        )
    )
    latest_assessments = {}
    for row in sorted(assessments, key=lambda a: a.id):
        latest_assessments[row.module_id] = row
    tz = learner.organisation.timezone if learner.organisation else "Europe/Paris"
    return LearnerRecord(
        learner=learner,
        groups=groups.groups_of(db, learner),
        progress=progress,
        events=events,
        attempts=attempts,
        placements=placements,
        self_assessments=assessments,
        help_requests=help_requests,
        workshops=workshops,
        observations=observations,
        assignments=assigning.for_learner(db, actor, learner),
        grid=build_grid(
            catalog,
            progress,
            latest_assessments,
            observations,
            tz,
            worksheets_by_module(workshops),
            skill_validations(db, learner),
        ),
        reasons=needs_help.reasons_for_learner(db, learner, catalog, now),
    )


def get_attempt(db: Session, actor: User, attempt_id: int, catalog) -> tuple[User, AttemptView]:
    """One attempt of a learner the actor sees, with its answers (NotFound otherwise)."""
    require_staff(actor)
    attempt = quizzes.get_attempt(db, actor, attempt_id)
    learner = accounts.get_learner(db, actor, attempt.user_id)
    return learner, attempt_view(attempt, catalog)
