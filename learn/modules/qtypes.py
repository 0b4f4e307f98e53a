"""Question types: a small registry of classes, each knowing its option lines, its checks and how
to grade an answer. A new type is one new class added to QUESTION_TYPES.

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

import string
import unicodedata
from collections.abc import Sequence
from typing import Any

from .model import Option, Question

MAX_TEXT_ANSWER = 2000
OPTION_IDS = string.ascii_lowercase
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'"})


def normalize_text(text: str) -> str:
    """Text answers compare without case, accents, punctuation or extra spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


class QuestionType:
    """Base class: `markers` is how options are written, `per_option_feedback` says whether each
    option has its own `>` feedback (else the question has `correct:` and `incorrect:` lines)."""

    name = ""
    markers = ""
    per_option_feedback = True
    min_options = 2
    max_options: int | None = len(OPTION_IDS)

    def marker_ok(self, marker: str) -> bool:
        """Whether an option line `[marker] ...` belongs to this type."""
        raise NotImplementedError

    def build(self, draft, ctx) -> list[Option]:
        """Options from the draft's option lines; problems are reported through ctx.error."""
        raise NotImplementedError

    def answer_error(self, question: Question, answer: Any) -> str | None:
        """Why an answer is malformed, or None."""
        raise NotImplementedError

    def score(self, question: Question, answer: Any) -> tuple[bool, float, tuple]:
        """(correct, score 0..1, feedback pairs) for a well-formed answer."""
        raise NotImplementedError

    def _general(self, question: Question, correct: bool) -> tuple[tuple[str, str], ...]:
        html = question.correct_feedback_html if correct else question.incorrect_feedback_html
        return (("", html),) if html else ()


def _ids(question: Question) -> list[str]:
    return [o.id for o in question.options]


def _one_id(question: Question, answer: Any) -> str | None:
    if not isinstance(answer, str):
        return "choose one option"
    if answer not in _ids(question):
        return f"unknown option {answer[:20]!r}"
    return None


def _id_list(question: Question, answer: Any) -> str | None:
    if isinstance(answer, str | bytes) or not isinstance(answer, Sequence | set | frozenset):
        return "expected a list of options"
    items = list(answer)
    if not all(isinstance(item, str) for item in items):
        return "expected a list of option ids"
    unknown = [item for item in items if item not in _ids(question)]
    if unknown:
        return f"unknown option {unknown[0][:20]!r}"
    if len(set(items)) != len(items):
        return "an option is given twice"
    return None


class ChoiceType(QuestionType):
    """Options marked [x] or [ ], each with its own feedback."""

    markers = "[x] and [ ]"
    exact_correct: int | None = 1

    def marker_ok(self, marker: str) -> bool:
        return marker.strip().lower() in ("", "x")

    def build(self, draft, ctx) -> list[Option]:
        options = []
        for index, item in enumerate(draft.options):
            correct = item.marker.strip().lower() == "x"
            if not item.feedback:
                ctx.error(
                    item.line,
                    f"option {OPTION_IDS[index]} has no feedback: add an indented '> ...' line "
                    "under it that explains why",
                )
            feedback = " ".join(item.feedback).strip()
            options.append(
                Option(
                    id=OPTION_IDS[index],
                    text=item.text,
                    text_html=ctx.inline(item.text),
                    correct=correct,
                    feedback=feedback,
                    feedback_html=ctx.inline(feedback),
                    line=item.line,
                )
            )
        count = sum(o.correct for o in options)
        if self.exact_correct is not None and count != self.exact_correct and options:
            ctx.error(
                draft.line,
                f"a {self.name} question has exactly one correct option [x], not {count}",
            )
        elif count == 0 and options:
            ctx.error(draft.line, f"a {self.name} question needs at least one correct option [x]")
        return options

    def answer_error(self, question, answer):
        return _one_id(question, answer)

    def score(self, question, answer):
        option = question.option(answer)
        return option.correct, float(option.correct), ((option.id, option.feedback_html),)


class Single(ChoiceType):
    """Exactly one right option."""

    name = "single"


class TrueFalse(ChoiceType):
    """Two options, one right."""

    name = "truefalse"
    min_options = 2
    max_options = 2


class Multiple(ChoiceType):
    """At least one right option; partial credit."""

    name = "multiple"
    exact_correct = None

    def answer_error(self, question, answer):
        return _id_list(question, answer)

    def score(self, question, answer):
        chosen = set(answer)
        right = {o.id for o in question.options if o.correct}
        score = max(0.0, (len(chosen & right) - len(chosen - right)) / len(right)) if right else 0.0
        feedback = tuple((o.id, o.feedback_html) for o in question.options if o.id in chosen)
        return chosen == right, score, feedback


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


class Ordering(GeneralFeedbackType):
    """Steps written in the right order, shown mixed."""

    name = "ordering"
    markers = "[1], [2], [3]..."

    def marker_ok(self, marker: str) -> bool:
        return marker.strip().isdigit()

    def build(self, draft, ctx) -> list[Option]:
        options = []
        for index, item in enumerate(draft.options):
            number = int(item.marker.strip())
            if number != index + 1:
                ctx.error(
                    item.line,
                    f"the steps are numbered 1, 2, 3... in the right order: [{index + 1}] was "
                    f"expected here, not [{number}]",
                )
            options.append(self._option(index, item, ctx, position=index + 1))
        return options

    def answer_error(self, question, answer):
        if not isinstance(answer, list | tuple):
            return "expected a list of the steps, in order"
        problem = _id_list(question, answer)
        if problem is None and len(answer) != len(question.options):
            return f"expected all {len(question.options)} steps in an order"
        return problem

    def score(self, question, answer):
        right = sum(
            1 for place, oid in enumerate(answer, 1) if question.option(oid).position == place
        )
        correct = right == len(question.options)
        return correct, right / len(question.options), self._general(question, correct)


class Matching(GeneralFeedbackType):
    """Pairs left => right; the right sides are shown mixed."""

    name = "matching"
    markers = "[=] left => right"

    def marker_ok(self, marker: str) -> bool:
        return marker.strip() == "="

    def build(self, draft, ctx) -> list[Option]:
        options = []
        lefts: dict[str, int] = {}
        rights: dict[str, int] = {}
        for index, item in enumerate(draft.options):
            if "=>" not in item.text:
                ctx.error(item.line, "a matching line is '[=] left => right': '=>' is missing")
                continue
            left, _, right = (part.strip() for part in item.text.partition("=>"))
            if not left or not right:
                ctx.error(item.line, "a matching line needs a text on both sides of '=>'")
                continue
            for side, seen in ((left, lefts), (right, rights)):
                key = normalize_text(side)
                if key in seen:
                    ctx.error(item.line, f"'{side}' is already used on line {seen[key]}")
                seen.setdefault(key, item.line)
            item.text = left
            options.append(
                self._option(index, item, ctx, right=right, right_html=ctx.inline(right))
            )
        return options

    def answer_error(self, question, answer):
        if not isinstance(answer, dict):
            return "expected a pair for every left side"
        ids = _ids(question)
        if set(answer) != set(ids):
            return f"expected a choice for each of the {len(ids)} left sides"
        for value in answer.values():
            if not isinstance(value, str) or value not in ids:
                return "unknown right side"
        return None

    def score(self, question, answer):
        right = sum(1 for left, chosen in answer.items() if left == chosen)
        correct = right == len(question.options)
        return correct, right / len(question.options), self._general(question, correct)


class Text(GeneralFeedbackType):
    """A free answer compared with the accepted ones."""

    name = "text"
    markers = "[accept] an accepted answer"
    min_options = 1

    def marker_ok(self, marker: str) -> bool:
        return marker.strip() == "accept"

    def build(self, draft, ctx) -> list[Option]:
        for item in draft.options:
            if not normalize_text(item.text):
                ctx.error(item.line, "this accepted answer is empty once punctuation is ignored")
        return []

    def answer_error(self, question, answer):
        if not isinstance(answer, str):
            return "expected a text"
        if len(answer) > MAX_TEXT_ANSWER:
            return f"the answer is longer than {MAX_TEXT_ANSWER} characters"
        return None

    def score(self, question, answer):
        correct = normalize_text(answer) in {normalize_text(a) for a in question.accept}
        return correct, float(correct), self._general(question, correct)


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t for t in (Single(), Multiple(), TrueFalse(), Ordering(), Matching(), Text())
}
