"""Quiz attempts: graded by the content engine, stored exactly once, pinned to their content.

A quiz form carries the attempt number it was opened for (the learner's attempts so far + 1) and
the fingerprints of its questions. (user, module, number) is unique in the database, so a double
click, a resent form or a second tab opened on the same attempt records one attempt; the second
submission is shown the first one's result. A question changed since the form was opened is
reported, never graded against a text the learner did not see.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from learn.db import connection_of
from learn.i18n import _, ngettext
from learn.models import QuizAttempt, Role, User
from learn.models.people import utcnow
from learn.modules import apply_order, attempt_order, grade, grade_quiz
from learn.services import accounts
from learn.services import progress as progress_service
from learn.services.errors import NotFound
from learn.services.reports import percent


@dataclass(frozen=True)
class QuizTicket:
    """What the quiz form carries between opening and submitting."""

    seq: int
    started_at: datetime
    versions: dict[str, str]


class QuizChanged(Exception):
    """Questions changed since the form was opened; `question_ids` says which."""

    def __init__(self, question_ids: set[str]):
        super().__init__(", ".join(sorted(question_ids)))
        self.question_ids = question_ids


class StaleForm(Exception):
    """The form carries an attempt number the learner's record no longer leads to (attempts were
    removed since it was opened, e.g. by restoring a backup): it must be opened again."""

    question_ids: frozenset[str] = frozenset()  # no question changed


class AttemptsUsed(Exception):
    """Every assessed attempt allowed by the content is used."""


@dataclass(frozen=True)
class Submitted:
    attempt: QuizAttempt
    duplicate: bool  # True when this submission repeated one already recorded


def attempt_seed(user_id: int, module_id: str, seq: int) -> str:
    """The seed of one attempt's order: the same in a second tab or after a reload, another for
    the next attempt."""
    return f"{user_id}:{module_id}:{seq}"


def shown_order(variant, seed: str) -> list:
    """The questions and options in the order the attempt of this seed shows them: options
    mixed per attempt, questions too when the quiz says `shuffle` (learn.modules.shuffle)."""
    mix = bool(variant.quiz and variant.quiz.shuffle)
    return attempt_order(variant.questions, seed, mix)


def attempts_made(db: Session, user: User, module_id: str) -> int:
    """How many attempts the learner has recorded on this module."""
    return db.scalar(
        select(func.count())
        .select_from(QuizAttempt)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.module_id == module_id)
    )


def attempts_left(db: Session, user: User, variant) -> int | None:
    """Assessed attempts left, or None when unlimited."""
    rules = variant.quiz
    if rules is None or rules.mode != "assessed" or rules.attempts is None:
        return None
    return max(0, rules.attempts - attempts_made(db, user, variant.id))


def open_ticket(db: Session, user: User, variant, now: datetime | None = None) -> QuizTicket:
    """The ticket for a new quiz form: the next attempt number and the question fingerprints."""
    if attempts_left(db, user, variant) == 0:
        raise AttemptsUsed()
    return QuizTicket(
        seq=attempts_made(db, user, variant.id) + 1,
        started_at=now or utcnow(),
        versions=dict(variant.question_versions),
    )


def changed_since(ticket: QuizTicket, variant) -> set[str]:
    """Question ids whose content differs from when the form was opened."""
    current = dict(variant.question_versions)
    ids = set(current) | set(ticket.versions)
    return {qid for qid in ids if current.get(qid) != ticket.versions.get(qid)}


def existing_attempt(db: Session, user: User, module_id: str, seq: int) -> QuizAttempt | None:
    """The attempt recorded with this number, if any."""
    return db.scalar(
        select(QuizAttempt).where(
            QuizAttempt.user_id == user.id,
            QuizAttempt.module_id == module_id,
            QuizAttempt.seq == seq,
        )
    )


_RECORDED = select(func.count(), func.count(case((QuizAttempt.seq == bindparam("seq"), 1)))).where(
    QuizAttempt.user_id == bindparam("user_id"), QuizAttempt.module_id == bindparam("module_id")
)


def _recorded(db: Session, user: User, module_id: str, seq: int) -> tuple[int, bool]:
    """How many attempts the learner recorded on this module, and whether one has this number
    (one query, built once)."""
    made, taken = (
        connection_of(db)
        .execute(_RECORDED, {"user_id": user.id, "module_id": module_id, "seq": seq})
        .one()
    )
    return made, bool(taken)


@functools.cache
def _record_statement(dialect: str):
    """INSERT … ON CONFLICT (user, module, number) DO NOTHING RETURNING id, built once per
    database: the unique number decides between two submissions of the same form (another tab,
    a second click), without a savepoint."""
    return (
        progress_service.insert_for(dialect)(QuizAttempt.__table__)
        .on_conflict_do_nothing(index_elements=["user_id", "module_id", "seq"])
        .returning(QuizAttempt.id)
    )


def submit(
    db: Session,
    user: User,
    variant,
    ticket: QuizTicket,
    answers: dict,
    now: datetime | None = None,
) -> Submitted:
    """Grade and record one attempt (or return the one this ticket already recorded)."""
    now = now or utcnow()
    if variant.quiz is None or not variant.questions:
        raise NotFound()
    made, already = _recorded(db, user, variant.id, ticket.seq)
    if already:
        return Submitted(existing_attempt(db, user, variant.id, ticket.seq), duplicate=True)
    changed = changed_since(ticket, variant)
    if changed:
        raise QuizChanged(changed)
    if ticket.seq > made + 1:
        raise StaleForm()
    rules = variant.quiz
    if rules.mode == "assessed" and rules.attempts is not None and ticket.seq > rules.attempts:
        raise AttemptsUsed()
    result = grade_quiz(variant.quiz, variant.questions, answers)
    values = {
        "user_id": user.id,
        "organisation_id": user.organisation_id,
        "module_id": variant.id,
        "seq": ticket.seq,
        "mode": variant.quiz.mode,
        "lang": variant.lang,
        "variant": variant.variant,
        "content_version": variant.version,
        "started_at": ticket.started_at,
        "submitted_at": now,
        "duration_seconds": max(0, int((now - ticket.started_at).total_seconds())),
        "score": round(result.score, 4),
        "correct_count": result.correct_count,
        "total": result.total,
        "passed": result.passed,
        "shown_order": shown_order(variant, attempt_seed(user.id, variant.id, ticket.seq)),
        "answers": {
            q.id: {
                "answer": answers.get(q.id),
                "correct": result.results[q.id].correct if q.id in result.results else False,
                "score": result.results[q.id].score if q.id in result.results else 0.0,
                "error": result.errors.get(q.id),
                "version": variant.question_versions.get(q.id),
            }
            for q in variant.questions
        },
    }
    conn = connection_of(db)
    new_id = conn.execute(_record_statement(conn.dialect.name), values).scalar()
    if new_id is None:  # another request recorded this attempt number first: show theirs
        return Submitted(existing_attempt(db, user, variant.id, ticket.seq), duplicate=True)
    attempt = QuizAttempt(id=new_id, **values)
    progress_service.record_attempt(db, user, variant, attempt, now)
    return Submitted(attempt, duplicate=False)


def get_attempt(db: Session, viewer: User, attempt_id: int) -> QuizAttempt:
    """An attempt the viewer may see: their own, or one of their organisation for staff."""
    stmt = select(QuizAttempt).where(QuizAttempt.id == attempt_id)
    if not viewer.is_staff:
        stmt = stmt.where(QuizAttempt.user_id == viewer.id)
    elif not viewer.is_platform_admin:
        stmt = stmt.where(QuizAttempt.organisation_id == viewer.organisation_id)
        if accounts.restricted_to_groups(viewer):
            visible = accounts.people_query(viewer, Role.LEARNER).with_only_columns(User.id)
            stmt = stmt.where(QuizAttempt.user_id.in_(visible))
    attempt = db.scalar(stmt)
    if attempt is None:
        raise NotFound()
    return attempt


def corrections(attempt: QuizAttempt, variant) -> list[tuple]:
    """Per question, in the order the attempt showed them: (question, its options in the order
    shown, the engine's grading of the stored answer — or None when the question changed since
    the attempt: it is not re-graded against a text the learner did not see —, the stored
    answer)."""
    results = []
    for question, options in apply_order(variant.questions, attempt.shown_order):
        stored = (attempt.answers or {}).get(question.id) or {}
        same = stored.get("version") == variant.question_versions.get(question.id)
        graded = grade(question, stored.get("answer")) if same else None
        results.append((question, options, graded, stored))
    return results


def answer_verdict(correct: bool, score: float | None) -> str:
    """One question's result in words, as the learner's corrections and the trainer's attempt
    page both say it: right, partly right (partial credit) or wrong."""
    if correct:
        return _("right")
    return _("partly right") if (score or 0) > 0 else _("wrong")


def score_text(attempt: QuizAttempt) -> str:
    """An attempt's score as the learner and the trainer both read it: the percent that counts
    for passing (partial credit included), then the right and partly right answers."""
    partly = sum(
        1
        for stored in (attempt.answers or {}).values()
        if isinstance(stored, dict) and not stored.get("correct") and (stored.get("score") or 0) > 0
    )
    right = ngettext(
        "%(num)d right answer of %(total)d",
        "%(num)d right answers of %(total)d",
        attempt.correct_count,
        total=attempt.total,
    )
    if partly:
        right += ngettext(", %(num)d partly right", ", %(num)d partly right", partly)
    return _("%(percent)d %% (%(detail)s)", percent=percent(attempt.score) or 0, detail=right)
