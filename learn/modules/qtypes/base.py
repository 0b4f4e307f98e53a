"""The base class of the question types, and the helpers the types share."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..model import Option, Question

MAX_TEXT_ANSWER = 2000
MAX_ID = 40  # an option id read from a form is cut here (ids are one letter)
OPTION_IDS = string.ascii_lowercase
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'"})

# How a type shows its options in an attempt (the seed of the attempt fixes the mix).
WRITTEN = "written"  # in the order the author wrote them
MIXED = "mixed"  # mixed, unless the question says `fixed`
MIXED_AWAY = "mixed away"  # always mixed, and never in the authored (right) order


def normalize_text(text: str) -> str:
    """Text answers compare without case, accents, punctuation or extra spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


class QuestionType:
    """Everything about one type of question: how it is written (`markers`, `build`), graded
    (`answer_error`, `score`), shown (`template`, `option_order`), read back from a form
    (`read_form`, `first_input`) and reported (`right_answer`, `describe`, `wrong_parts`,
    `typed_text`, `options_seen`). Plain Python: a form is any multidict (`get`, `getlist`, `in`).

    `per_option_feedback` says whether each option has its own `>` feedback (else the question
    has `correct:` and `incorrect:` lines). `template` names the Jinja template whose macros
    `fields(question, options, rights, values, name, lang)` and `correction(question, options,
    answer)` draw the question in a quiz and in its corrections."""

    name = ""
    markers = ""
    per_option_feedback = True
    min_options = 2
    max_options: int | None = len(OPTION_IDS)
    template = ""
    option_order = WRITTEN
    mixes_right_sides = False  # matching: the right sides are mixed and their order is stored

    # --- writing ---------------------------------------------------------------------------

    def marker_ok(self, marker: str) -> bool:
        """Whether an option line `[marker] ...` belongs to this type."""
        raise NotImplementedError

    def build(self, draft, ctx) -> list[Option]:
        """Options from the draft's option lines; problems are reported through ctx.error."""
        raise NotImplementedError

    def accepted_answers(self, draft) -> tuple[str, ...]:
        """The answers accepted as written (types graded against a list of them)."""
        return ()

    @property
    def can_be_fixed(self) -> bool:
        """Whether `fixed` (options in the authored order) means something for this type."""
        return self.option_order == MIXED

    # --- grading ---------------------------------------------------------------------------

    def answer_error(self, question: Question, answer: Any) -> str | None:
        """Why an answer is malformed, or None."""
        raise NotImplementedError

    def score(self, question: Question, answer: Any) -> tuple[bool, float, tuple]:
        """(correct, score 0..1, feedback pairs) for a well-formed answer."""
        raise NotImplementedError

    def right_answer(self, question: Question) -> Any:
        """The expected answer, in this type's answer shape."""
        raise NotImplementedError

    def _general(self, question: Question, correct: bool) -> tuple[tuple[str, str], ...]:
        html = question.correct_feedback_html if correct else question.incorrect_feedback_html
        return (("", html),) if html else ()

    # --- the form --------------------------------------------------------------------------

    def read_form(self, question: Question, form, name: str) -> Any:
        """The answer in a submitted form (fields named from `name`), or None if left out."""
        raise NotImplementedError

    def first_input(self, question: Question, options: Sequence[Option], name: str) -> str:
        """The id of the question's first form control, as its template writes it."""
        return f"{name}-{options[0].id}" if options else name

    # --- records and reports ---------------------------------------------------------------

    def describe(self, question: Question, answer: Any) -> str:
        """A well-formed or stored answer as text a trainer can read."""
        return str(answer)[:MAX_TEXT_ANSWER]

    def wrong_parts(self, question: Question, answer: Any) -> list[str]:
        """The wrong parts of an incorrect answer, as text a trainer can read (for the
        'difficult questions' report); none by default."""
        return []

    def typed_text(self, answer: Any) -> str | None:
        """What the learner typed, for types whose answers a trainer reads as a list."""
        return None

    def options_seen(
        self, question: Question, options: Sequence[Option], answer: Any
    ) -> tuple[tuple[str, bool], ...]:
        """(option text, chosen) in the order shown, for types whose options are chosen."""
        return ()


def option_text(question: Question, option_id: Any) -> str:
    """The text of an option, or the id itself (cut) when the option is gone."""
    option = question.option(option_id) if isinstance(option_id, str) else None
    return option.text if option else str(option_id)[:MAX_ID]


def ids(question: Question) -> list[str]:
    """The ids of the question's options, in the written order."""
    return [o.id for o in question.options]


def one_id(question: Question, answer: Any) -> str | None:
    """Why an answer is not one option id of the question, or None."""
    if not isinstance(answer, str):
        return "choose one option"
    if answer not in ids(question):
        return f"unknown option {answer[:20]!r}"
    return None


def id_list(question: Question, answer: Any) -> str | None:
    """Why an answer is not a list of distinct option ids of the question, or None."""
    if isinstance(answer, str | bytes) or not isinstance(answer, Sequence | set | frozenset):
        return "expected a list of options"
    items = list(answer)
    if not all(isinstance(item, str) for item in items):
        return "expected a list of option ids"
    unknown = [item for item in items if item not in ids(question)]
    if unknown:
        return f"unknown option {unknown[0][:20]!r}"
    if len(set(items)) != len(items):
        return "an option is given twice"
    return None


class GeneralFeedbackType(QuestionType):
    """Types with correct:/incorrect: feedback lines."""

    per_option_feedback = False

    def _option(self, index: int, item, ctx, **extra) -> Option:
        return Option(
            id=OPTION_IDS[index],
            text=item.text,
            text_html=ctx.inline(item.text),
            line=item.line,
            **extra,
        )
