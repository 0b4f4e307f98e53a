"""Question types: a registry of classes, each carrying everything about its type — how it is
written and checked, graded, shown (its template), mixed, read back from a form and reported
(see `QuestionType`). The rest of the app asks `question_type(question)` and never branches on a
type's name.

Adding a type: a class (a file here) and its line in QUESTION_TYPES, its template under
learn/templates/questions/ (macros `fields` and `correction`), its row in the authors' guide
(content/README.md).

Answer shapes (what the app passes to `grade`):

| type      | answer                                                         |
|-----------|----------------------------------------------------------------|
| single    | an option id, e.g. "b"                                         |
| truefalse | an option id, "a" or "b"                                       |
| multiple  | a list of option ids, e.g. ["a", "c"] (may be empty)           |
| ordering  | a list of every option id, in the learner's order              |
| matching  | a dict {left option id: option id of the right side chosen}    |
|           | for every left side; the pair "a" matches when {"a": "a"}      |
| text      | a string of at most 2,000 characters                           |
"""

from __future__ import annotations

from ..model import Question
from .base import (
    MAX_TEXT_ANSWER,
    MIXED,
    MIXED_AWAY,
    OPTION_IDS,
    WRITTEN,
    QuestionType,
    normalize_text,
)
from .choice import Multiple, Single, TrueFalse
from .matching import Matching
from .ordering import Ordering
from .text import Text

QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t for t in (Single(), Multiple(), TrueFalse(), Ordering(), Matching(), Text())
}


def question_type(question: Question) -> QuestionType:
    """The type of a parsed question (parsing refuses unknown types)."""
    return QUESTION_TYPES[question.type]


__all__ = [
    "MAX_TEXT_ANSWER",
    "MIXED",
    "MIXED_AWAY",
    "OPTION_IDS",
    "QUESTION_TYPES",
    "WRITTEN",
    "QuestionType",
    "normalize_text",
    "question_type",
]
