"""The short satisfaction questionnaire a learner may answer at the end of a course or an
assignment (Qualiopi indicator 30: docs/funders.md): five easy-read statements on a four-point
scale in words, and a free comment, every answer optional; one response per learner and subject,
which a second sending replaces. Group results never show a name next to an answer."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import (
    Assignment,
    GroupMembership,
    ModuleProgress,
    Role,
    SatisfactionResponse,
    User,
)
from learn.models.people import utcnow
from learn.services.assignments import expand_target
from learn.services.errors import Forbidden, NotFound
from learn.services.textinput import without_control_characters

QUESTIONS = ("useful", "understood", "easy", "helped", "recommend")
SCALE = (1, 2, 3, 4)
COMMENT_MAX = 1000


def question_text(question_id: str) -> str:
    """A statement in easy-read words, in the reader's language."""
    return {
        "useful": _("This training is useful for me."),
        "understood": _("I understood the explanations."),
        "easy": _("The site is easy to use."),
        "helped": _("When I asked for help, I got an answer."),
        "recommend": _("I would tell a friend to do this training."),
    }[question_id]


def scale_text(value: int) -> str:
    """A point of the scale in words."""
    return {
        1: _("No, not at all"),
        2: _("Rather no"),
        3: _("Rather yes"),
        4: _("Yes, completely"),
    }[value]


def check_subject(db: Session, learner: User, kind: str, ref: str, catalog) -> str:
    """The subject key of a course or an assignment that reaches the learner (NotFound
    otherwise): "course:<id>" or "assignment:<id>"."""
    if learner.role != Role.LEARNER or learner.organisation_id is None:
        raise Forbidden()
    if kind == "course":
        if ref not in {m.course for m in catalog.modules.values()}:
            raise NotFound()
        return f"course:{ref}"
    if kind == "assignment" and ref.isdigit():
        groups = select(GroupMembership.group_id).where(GroupMembership.user_id == learner.id)
        found = db.scalar(
            select(Assignment.id).where(
                Assignment.id == int(ref),
                Assignment.organisation_id == learner.organisation_id,
                (Assignment.user_id == learner.id) | Assignment.group_id.in_(groups),
            )
        )
        if found is not None:
            return f"assignment:{found}"
    raise NotFound()


def response_of(db: Session, learner: User, subject: str) -> SatisfactionResponse | None:
    """The learner's own response on a subject, if they gave one."""
    return db.scalar(
        select(SatisfactionResponse).where(
            SatisfactionResponse.user_id == learner.id, SatisfactionResponse.subject == subject
        )
    )


def answer(db: Session, learner: User, subject: str, form: dict) -> SatisfactionResponse:
    """Save the learner's answers (anything not on the scale is left unanswered)."""
    ratings = {}
    for question in QUESTIONS:
        value = str(form.get(question, ""))
        if value in {str(v) for v in SCALE}:
            ratings[question] = int(value)
    comment = without_control_characters(str(form.get("comment", ""))).strip()[:COMMENT_MAX]
    row = response_of(db, learner, subject)
    if row is None:
        row = SatisfactionResponse(
            user_id=learner.id, organisation_id=learner.organisation_id, subject=subject
        )
        db.add(row)
    row.ratings, row.comment, row.created_at = ratings, comment, utcnow()
    db.flush()
    return row


@dataclass(frozen=True)
class ToRate:
    """A finished assignment the learner has not given their opinion on yet."""

    assignment_id: int
    kind: str
    ref: str
    module_ids: tuple[str, ...]


def assignments_to_rate(db: Session, learner: User, catalog) -> list[ToRate]:
    """The learner's assignments (their own or their groups') whose every module is completed
    and that they have not rated yet, oldest first (3 queries)."""
    if learner.role != Role.LEARNER or learner.organisation_id is None:
        return []
    groups = select(GroupMembership.group_id).where(GroupMembership.user_id == learner.id)
    rows = db.execute(
        select(Assignment.id, Assignment.target_kind, Assignment.target_ref)
        .where(
            Assignment.organisation_id == learner.organisation_id,
            (Assignment.user_id == learner.id) | Assignment.group_id.in_(groups),
        )
        .order_by(Assignment.id)
    ).all()
    if not rows:
        return []
    answered = set(
        db.scalars(
            select(SatisfactionResponse.subject).where(
                SatisfactionResponse.user_id == learner.id,
                SatisfactionResponse.subject.in_([f"assignment:{row.id}" for row in rows]),
            )
        )
    )
    done = set(
        db.scalars(
            select(ModuleProgress.module_id).where(
                ModuleProgress.user_id == learner.id,
                ModuleProgress.status.in_(("completed", "mastered")),
            )
        )
    )
    found = []
    for row in rows:
        modules = tuple(expand_target(catalog, row.target_kind, row.target_ref))
        if modules and set(modules) <= done and f"assignment:{row.id}" not in answered:
            found.append(ToRate(row.id, row.target_kind, row.target_ref, modules))
    return found


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    counts: dict[int, int]  # scale value -> how many learners chose it
    answered: int

    @property
    def satisfied_percent(self) -> int | None:
        """The share of "rather yes" and "yes, completely" among those who answered."""
        if not self.answered:
            return None
        return round(100 * (self.counts[3] + self.counts[4]) / self.answered)


@dataclass(frozen=True)
class SubjectResult:
    """The answers on one course or one assignment."""

    kind: str  # "course" or "assignment"
    ref: str  # the course id, or the assignment id
    target: tuple[str, str] | None  # an assignment's (target kind, target ref); None if removed
    responses: int
    questions: list[QuestionResult]
    comments: list[str]  # sorted, never with a name


@dataclass(frozen=True)
class Results:
    responses: int
    learners: int
    questions: list[QuestionResult]
    comments: list[str]  # sorted, never with a name
    subjects: list[SubjectResult] = field(default_factory=list)


def _counted(rows) -> list[QuestionResult]:
    questions = []
    for question in QUESTIONS:
        counts = Counter(r.ratings.get(question) for r in rows if r.ratings.get(question) in SCALE)
        questions.append(
            QuestionResult(question, {v: counts.get(v, 0) for v in SCALE}, sum(counts.values()))
        )
    return questions


def _comments(rows) -> list[str]:
    return sorted((r.comment for r in rows if r.comment), key=str.lower)


def results(db: Session, learner_ids: list[int]) -> Results:
    """The answers of these learners, counted per question, all together and per subject
    (course or assignment, courses first); the comments without names, in alphabetical order
    (not the order of the learners). 2 queries."""
    rows = (
        list(
            db.scalars(
                select(SatisfactionResponse).where(SatisfactionResponse.user_id.in_(learner_ids))
            )
        )
        if learner_ids
        else []
    )
    by_subject: dict[str, list[SatisfactionResponse]] = defaultdict(list)
    for row in rows:
        by_subject[row.subject].append(row)
    assignment_ids = [
        int(ref)
        for kind, _sep, ref in (subject.partition(":") for subject in by_subject)
        if kind == "assignment" and ref.isdigit()
    ]
    targets = (
        {
            a.id: (a.target_kind, a.target_ref)
            for a in db.execute(
                select(Assignment.id, Assignment.target_kind, Assignment.target_ref).where(
                    Assignment.id.in_(assignment_ids)
                )
            )
        }
        if assignment_ids
        else {}
    )
    subjects = []
    for subject, answers in by_subject.items():
        kind, _sep, ref = subject.partition(":")
        target = targets.get(int(ref)) if kind == "assignment" and ref.isdigit() else None
        subjects.append(
            SubjectResult(kind, ref, target, len(answers), _counted(answers), _comments(answers))
        )
    subjects.sort(key=lambda s: (s.kind != "course", s.kind, s.ref.zfill(12)))
    return Results(len(rows), len(learner_ids), _counted(rows), _comments(rows), subjects)
