"""Reports on a group: the learner × module matrix and the questions learners get wrong.

Both read the summaries and attempts in a fixed number of queries, whatever the number of
learners and modules: the matrix is one query over module_progress for the page's learners plus
the learners query, never a query per learner.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from learn.models import Assignment, Group, GroupMembership, ModuleProgress, QuizAttempt, Role, User
from learn.models.people import shown_name
from learn.modules import normalize_text, question_type
from learn.services import accounts
from learn.services.assignments import expand_target
from learn.services.groups import get_group, require_staff
from learn.services.paging import clamp_page

STATUSES = ("not_started", "in_progress", "completed", "mastered")
PER_PAGE = 50


def half_up(value: float) -> int:
    """Round .5 up (Python's round() goes to the even number: 12.5 would show 12)."""
    return math.floor(value + 0.5)


# Every page and file that shows a score or a time rounds it with these two, so that a learner's
# 1 right answer of 8 is 13 % on their page, in the matrix and in the record of training alike.
def percent(score: float | None) -> int | None:
    """A score from 0 to 1 in whole percent, half up."""
    return None if score is None else half_up(float(score) * 100)


def minutes(seconds: int | None) -> int:
    """A duration in whole minutes, half up."""
    return half_up((seconds or 0) / 60)


def ordered_modules(catalog) -> list:
    """The servable modules in the order learners meet them: course by course, then the rest."""
    seen: dict[str, object] = {}
    for course in catalog.courses:
        for module in catalog.course_modules(course.id):
            if module.kind == "module":
                seen.setdefault(module.id, module)
    for module in catalog.modules.values():
        if module.kind == "module" and module.valid:
            seen.setdefault(module.id, module)
    return list(seen.values())


def quiz_modules(catalog, lang: str) -> list[tuple[str, str]]:
    """(id, title) of the modules with quiz questions, in the learners' order."""
    found = []
    for module in ordered_modules(catalog):
        variant = catalog.variant(module.id, lang, "standard")
        if variant is not None and variant.questions:
            found.append((module.id, module.title(lang)))
    return found


@dataclass(frozen=True)
class MatrixFilters:
    course: str | None = None
    skill: str | None = None
    level: int | None = None
    assigned_only: bool = False
    status: str | None = None  # learners with at least one shown module in this status

    def module_ids(self, catalog, assigned: set[str]) -> list[str]:
        """The ids of the modules these filters show, in catalog order."""
        chosen = []
        course_ids = set(catalog.course(self.course).module_ids) if self.course else None
        for module in ordered_modules(catalog):
            if course_ids is not None and module.id not in course_ids:
                continue
            if self.skill and module.skill != self.skill:
                continue
            if self.level and module.level != self.level:
                continue
            if self.assigned_only and module.id not in assigned:
                continue
            chosen.append(module.id)
        return chosen


class MatrixCell(NamedTuple):
    """One learner on one module (a tuple: a matrix holds tens of thousands)."""

    status: str
    best_score: float | None  # 0..1
    seconds: int

    @property
    def percent(self) -> int | None:
        """Best score in whole percent (half up, as people round)."""
        return percent(self.best_score)

    @property
    def minutes(self) -> int | None:
        """Active time in whole minutes; None for a module never opened."""
        if self.status == "not_started" and not self.seconds:
            return None
        return minutes(self.seconds)


NOT_STARTED = MatrixCell("not_started", None, 0)


@dataclass(frozen=True)
class LearnerLine:
    id: int
    display_name: str  # as shown to the reader (an erased account's in their language)
    username: str
    closed_on: date | None = None  # the exit date of a closed account ("sortie")


@dataclass
class Matrix:
    group: Group
    module_ids: list[str]
    learners: list[LearnerLine]
    # (learner, module) -> (status, best score, seconds) as plain tuples: the garbage collector
    # stops tracking those (not subclasses such as MatrixCell), so tens of thousands of cells do
    # not set off full collections of the whole heap, which made the slowest runs 3 times slower.
    cells: dict[tuple[int, str], tuple[str, float | None, int]]
    total: int
    page: int = 1
    pages: int = 1
    assigned: set[str] = field(default_factory=set)
    filters: MatrixFilters | None = None  # as applied (with the default focus)

    def cell(self, learner_id: int, module_id: str) -> MatrixCell:
        found = self.cells.get((learner_id, module_id))
        return NOT_STARTED if found is None else MatrixCell._make(found)


def _group_targets(db: Session, group: Group) -> list[tuple[str, str]]:
    """(kind, ref) of the group's assignments, soonest due first (1 query)."""
    return list(
        db.execute(
            select(Assignment.target_kind, Assignment.target_ref)
            .where(Assignment.group_id == group.id)
            .order_by(Assignment.due_on.is_(None), Assignment.due_on, Assignment.id)
        )
    )


def assigned_to_group(db: Session, group: Group, catalog) -> set[str]:
    """The module ids assigned to the whole group (1 query)."""
    return {
        mid for kind, ref in _group_targets(db, group) for mid in expand_target(catalog, kind, ref)
    }


def default_focus(catalog, targets: list[tuple[str, str]]) -> MatrixFilters:
    """What the matrix opens on: the course or skill of the group's first assignment, else the
    first skill that has modules — one course or skill, never the whole catalog."""
    for kind, ref in targets:
        if kind == "course" and catalog.course(ref):
            return MatrixFilters(course=ref)
        skill_id = ref.partition(":")[0] if kind in ("skill", "level") else None
        if kind == "module" and ref in catalog.modules:
            module = catalog.modules[ref]
            if not module.skill:
                return (
                    MatrixFilters(course=module.course)
                    if catalog.course(module.course)
                    else MatrixFilters()
                )
            skill_id = module.skill
        if skill_id and catalog.skill(skill_id):
            return MatrixFilters(skill=skill_id)
    for skill in catalog.skills:
        if catalog.modules_for_skill(skill.id):
            return MatrixFilters(skill=skill.id)
    return MatrixFilters(course=catalog.courses[0].id) if catalog.courses else MatrixFilters()


def _status_condition(status: str, module_ids: list[str]):
    """Learners having at least one of the modules in this status (no row = not started)."""
    if status == "not_started":
        started = (
            select(func.count())
            .select_from(ModuleProgress)
            .where(
                ModuleProgress.user_id == User.id,
                ModuleProgress.module_id.in_(module_ids),
                ModuleProgress.status != "not_started",
            )
            .scalar_subquery()
        )
        return started < len(module_ids)
    return (
        select(ModuleProgress.user_id)
        .where(
            ModuleProgress.user_id == User.id,
            ModuleProgress.module_id.in_(module_ids),
            ModuleProgress.status == status,
        )
        .exists()
    )


def group_matrix(
    db: Session,
    actor: User,
    catalog,
    group_id: int,
    filters: MatrixFilters,
    page: int | None = 1,
    per_page: int = PER_PAGE,
    focus: bool = False,
) -> Matrix:
    """Status, best score and time of each learner of the group on each module the filters
    show; `page=None` gives every learner (for the export). With `focus`, filters naming no
    course nor skill get the group's (`default_focus`). Five queries, whatever the sizes."""
    require_staff(actor)
    group = get_group(db, actor, group_id)
    targets = _group_targets(db, group)
    assigned = {mid for kind, ref in targets for mid in expand_target(catalog, kind, ref)}
    if focus and not (filters.course or filters.skill):
        chosen = default_focus(catalog, targets)
        filters = replace(filters, course=chosen.course, skill=chosen.skill)
    module_ids = filters.module_ids(catalog, assigned)
    learners_stmt = (
        accounts.people_query(actor, Role.LEARNER)
        .join(GroupMembership, GroupMembership.user_id == User.id)
        .where(
            GroupMembership.group_id == group.id,
            # Open accounts and closed ones (marked with their exit date); not erased ones.
            or_(User.active.is_(True), User.closed_at.is_not(None)),
        )
    )
    if filters.status in STATUSES and module_ids:
        learners_stmt = learners_stmt.where(_status_condition(filters.status, module_ids))
    total = db.scalar(learners_stmt.with_only_columns(func.count(User.id)).order_by(None))
    lines_stmt = learners_stmt.with_only_columns(
        User.id, User.display_name, User.username, User.closed_on
    ).order_by(func.lower(User.display_name), User.id)
    pages = 1
    if page is not None:
        page, pages = clamp_page(total, page, per_page)
        lines_stmt = lines_stmt.limit(per_page).offset((page - 1) * per_page)
    learners = [
        LearnerLine(uid, shown_name(username, name), username, closed_on)
        for uid, name, username, closed_on in db.execute(lines_stmt)
    ]
    shown = set(module_ids)
    table = ModuleProgress.__table__
    progress = select(
        table.c.user_id,
        table.c.module_id,
        table.c.status,
        table.c.best_score,
        func.coalesce(table.c.active_seconds, 0),
    ).where(table.c.user_id.in_([line.id for line in learners]))
    if len(module_ids) < len(catalog.modules):
        progress = progress.where(table.c.module_id.in_(module_ids))
    # Core rows on the session's connection: the ORM's row processing cost a third of the time.
    cells = {
        (user_id, module_id): (status, best, seconds)
        for user_id, module_id, status, best, seconds in db.connection().execute(progress)
        if module_id in shown
    }
    return Matrix(group, module_ids, learners, cells, total, page or 1, pages, assigned, filters)


# --- difficult questions ------------------------------------------------------------------------


class TypedAnswer(NamedTuple):
    text: str  # as the first learner typed it (spaces tidied); same answer = same normalised text
    count: int
    correct: bool


@dataclass(frozen=True)
class QuestionStats:
    question: object  # learn.modules.Question of the reference variant
    answered: int
    wrong: int
    top_wrong: str | None  # the wrong answer chosen most often, as the learner saw it
    top_wrong_count: int
    typed: tuple[TypedAnswer, ...] = ()  # text questions: what learners typed, most often first

    @property
    def share_wrong(self) -> int:
        """Percentage of wrong answers, rounded half up."""
        return half_up(100 * self.wrong / self.answered) if self.answered else 0


@dataclass(frozen=True)
class DifficultQuestions:
    variant: object
    questions: list[QuestionStats]
    attempts: int
    left_out: int  # answers given to an older version of a question, not counted
    group: Group | None = None


def _note_typed(seen: dict[str, list], text: str | None, stored: dict) -> None:
    """Count a typed answer under its normalised text (the first spelling met is shown)."""
    if text is not None:
        seen.setdefault(normalize_text(text), [text, 0, bool(stored.get("correct"))])[1] += 1


def _typed_list(typed: dict[str, list]) -> tuple[TypedAnswer, ...]:
    """Typed answers, most often first, then in alphabetical order."""
    answers = [TypedAnswer(text, count, correct) for text, count, correct in typed.values()]
    return tuple(sorted(answers, key=lambda a: (-a.count, normalize_text(a.text))))


def difficult_questions(
    db: Session, actor: User, catalog, module_id: str, lang: str, group_id: int | None = None
) -> DifficultQuestions | None:
    """For each question of a module: how often it was answered wrong by the learners the actor
    sees (or a group's), and the wrong answer chosen most often; hardest first (1-2 queries)."""
    require_staff(actor)
    module = catalog.modules.get(module_id)
    variant = catalog.variant(module_id, lang, "standard") if module else None
    if variant is None or not variant.questions:
        return None
    group = get_group(db, actor, group_id) if group_id is not None else None
    learners = accounts.people_query(actor, Role.LEARNER).with_only_columns(User.id)
    if group is not None:
        learners = learners.join(GroupMembership, GroupMembership.user_id == User.id).where(
            GroupMembership.group_id == group.id
        )
    stmt = select(QuizAttempt.answers).where(
        QuizAttempt.module_id == module_id, QuizAttempt.user_id.in_(learners)
    )
    if not actor.is_platform_admin:
        stmt = stmt.where(QuizAttempt.organisation_id == actor.organisation_id)
    current = {
        q.id: {v.question_versions.get(q.id) for v in module.variants.values()}
        for q in variant.questions
    }
    answered, wrong = Counter(), Counter()
    wrong_answers: dict[str, Counter] = {q.id: Counter() for q in variant.questions}
    attempts = left_out = 0
    typed: dict[str, dict[str, list]] = {q.id: {} for q in variant.questions}
    for (answers,) in db.execute(stmt):
        attempts += 1
        for question in variant.questions:
            stored = (answers or {}).get(question.id)
            if not isinstance(stored, dict):
                continue
            if stored.get("version") not in current[question.id]:
                left_out += 1
                continue
            answered[question.id] += 1
            qtype = question_type(question)
            _note_typed(typed[question.id], qtype.typed_text(stored.get("answer")), stored)
            if not stored.get("correct"):
                wrong[question.id] += 1
                wrong_answers[question.id].update(qtype.wrong_parts(question, stored.get("answer")))
    stats = []
    for question in variant.questions:
        top = wrong_answers[question.id].most_common(1)
        stats.append(
            QuestionStats(
                question,
                answered[question.id],
                wrong[question.id],
                top[0][0] if top else None,
                top[0][1] if top else 0,
                _typed_list(typed[question.id]),
            )
        )
    order = {q.id: i for i, q in enumerate(variant.questions)}
    stats.sort(key=lambda s: (-s.share_wrong, -s.wrong, order[s.question.id]))
    return DifficultQuestions(variant, stats, attempts, left_out, group)
