"""Pure grading: one answer, a whole quiz, and the placement recommendation. Nothing here raises on
a learner's input: a malformed answer gives a result whose `error` says what is wrong."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .model import GradeResult, ModuleVariant, Question, QuizResult, QuizRules, frozen_map
from .qtypes import QUESTION_TYPES

NO_ANSWER = "no answer given"


def grade(question: Question, answer: Any) -> GradeResult:
    """Grade one answer (shapes in qtypes); a malformed answer gives `error` and score 0."""
    qtype = QUESTION_TYPES.get(question.type)
    if qtype is None:
        return GradeResult(False, 0.0, error=f"unknown question type {question.type!r}")
    if answer is None:
        return GradeResult(False, 0.0, error=NO_ANSWER)
    try:
        problem = qtype.answer_error(question, answer)
    except TypeError:  # e.g. unhashable items in a list
        problem = "malformed answer"
    if problem is not None:
        return GradeResult(False, 0.0, error=problem)
    correct, score, feedback = qtype.score(question, answer)
    score = min(1.0, max(0.0, float(score)))
    return GradeResult(correct, score, tuple(feedback), question.explanation_html)


def grade_quiz(
    rules: QuizRules | None, questions: Iterable[Question], answers: Mapping[str, Any]
) -> QuizResult:
    """Grade every question of a quiz; unanswered and malformed answers score 0 (see `errors`)."""
    questions = list(questions)
    if not isinstance(answers, Mapping):
        answers = {}
    results: dict[str, GradeResult] = {}
    errors: dict[str, str] = {}
    for question in questions:
        result = grade(question, answers.get(question.id))
        results[question.id] = result
        if result.error:
            errors[question.id] = result.error
    known = {q.id for q in questions}
    for qid in answers:
        if qid not in known:
            errors[str(qid)] = "unknown question"
    total = len(questions)
    correct_count = sum(r.correct for r in results.values())
    score = sum(r.score for r in results.values()) / total if total else 0.0
    passed = (rules or QuizRules()).passes(score, correct_count) if total else False
    return QuizResult(score, correct_count, total, passed, frozen_map(results), frozen_map(errors))


def recommend_level(
    placement: ModuleVariant, self_ratings: Mapping[str, Any], answers: Mapping[str, Any]
) -> int:
    """The level to start at (1-4): one more than the levels proven in a row from level 1.

    Level N is proven when every question of level N is answered correctly and the learner rated
    the `[level-N]` statement 3 or 4 (of 4)."""
    if not isinstance(self_ratings, Mapping):
        self_ratings = {}
    if not isinstance(answers, Mapping):
        answers = {}
    proven = 0
    for level in (1, 2, 3):
        rating = self_ratings.get(f"level-{level}")
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in (3, 4):
            break
        questions = [q for q in placement.questions if q.level == level]
        if not all(grade(q, answers.get(q.id)).correct for q in questions):
            break
        proven += 1
    return proven + 1
