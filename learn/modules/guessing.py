"""The test-wise learner: answers a quiz without reading it, by one of a few rules, on the options
in the order the author wrote them. A quiz that such a guesser passes does not measure the skill.

Strategies:
- "longest": single, the strictly longest option (on a tie, the first of the longest); true/false,
  "Faux" ("False"); multiple, the three longest options (all when there are 3 or fewer);
- "shortest": single, the shortest option; true/false, "Vrai" ("True"); multiple, the shortest one;
- "position-k" (k = 0 to 3): single, option k (the last when there are fewer); true/false,
  option k mod 2; multiple, option k alone.
Ordering, matching and text questions are always answered wrong (left unanswered).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .grading import grade_quiz, recommend_level
from .keys import option_length
from .model import ModuleVariant, Option, Question
from .parse import PLACEMENT_LEVELS
from .qtypes import normalize_text

STRATEGIES = ("longest", "shortest", "position-0", "position-1", "position-2", "position-3")
MULTIPLE_LONGEST = 3
TRUE_WORDS = ("vrai", "true")
FALSE_WORDS = ("faux", "false")
TOP_RATING = 4


def _by_length(options: Sequence[Option], longest: bool) -> list[Option]:
    """Options sorted by length (longest or shortest first), the authored order on a tie."""
    sign = -1 if longest else 1
    indexed = list(enumerate(options))
    indexed.sort(key=lambda pair: (sign * option_length(pair[1]), pair[0]))
    return [option for _, option in indexed]


def _truefalse(question: Question, words: tuple[str, ...], fallback: int) -> str:
    for option in question.options:
        if normalize_text(option.text) in words:
            return option.id
    return question.options[min(fallback, len(question.options) - 1)].id


def _at(question: Question, index: int) -> Option:
    return question.options[min(index, len(question.options) - 1)]


def _longest(question: Question) -> Any:
    if question.type == "single":
        return _by_length(question.options, longest=True)[0].id
    if question.type == "truefalse":
        return _truefalse(question, FALSE_WORDS, 1)
    if question.type == "multiple":
        return [o.id for o in _by_length(question.options, longest=True)[:MULTIPLE_LONGEST]]
    return None


def _shortest(question: Question) -> Any:
    if question.type == "single":
        return _by_length(question.options, longest=False)[0].id
    if question.type == "truefalse":
        return _truefalse(question, TRUE_WORDS, 0)
    if question.type == "multiple":
        return [_by_length(question.options, longest=False)[0].id]
    return None


def _position(k: int) -> Callable[[Question], Any]:
    def answer(question: Question) -> Any:
        if question.type == "single":
            return _at(question, k).id
        if question.type == "truefalse":
            return _at(question, k % 2).id
        if question.type == "multiple":
            return [_at(question, k).id]
        return None

    return answer


def answerer(strategy: str) -> Callable[[Question], Any]:
    """The function that gives the strategy's answer to a question (None: left wrong)."""
    if strategy == "longest":
        return _longest
    if strategy == "shortest":
        return _shortest
    if strategy.startswith("position-") and strategy[9:].isdigit():
        return _position(int(strategy[9:]))
    raise ValueError(f"unknown strategy {strategy!r}: one of {', '.join(STRATEGIES)}")


def guess_answers(questions: Sequence[Question], strategy: str) -> dict[str, Any]:
    """The guesser's answers, by question id (questions it cannot answer are left out)."""
    answer = answerer(strategy)
    found = {q.id: answer(q) for q in questions if q.options}
    return {qid: value for qid, value in found.items() if value is not None}


def guesser_passes(variant: ModuleVariant, strategy: str) -> bool:
    """Whether the guesser passes the quiz of a module variant, by its own pass mark."""
    if not variant.questions:
        return False
    answers = guess_answers(variant.questions, strategy)
    return grade_quiz(variant.quiz, variant.questions, answers).passed


def guesser_placement(placement: ModuleVariant, strategy: str) -> int:
    """The level a placement questionnaire recommends to the guesser, who rates every statement
    4 of 4."""
    ratings = dict.fromkeys(PLACEMENT_LEVELS, TOP_RATING)
    return recommend_level(placement, ratings, guess_answers(placement.questions, strategy))
