"""Key balance of a quiz: the tells a learner who reads nothing can follow (the right option is the
longest, the right options sit at the top, true/false always the same, multiple questions always
with the same number of right options). `learn content check` warns about them per quiz."""

from __future__ import annotations

from collections.abc import Sequence

from .lint import plain_text
from .model import Option, Question
from .qtypes import normalize_text

CHOICE_TYPES = ("single", "multiple")
MIN_TRUEFALSE = 2
MIN_MULTIPLE = 2
MIN_CHOICE = 2


def option_length(option: Option) -> int:
    """The length of an option as a reader sees it (marks and extra spaces left out)."""
    return len(" ".join(plain_text(option.text).split()))


def longest_index(question: Question) -> int | None:
    """The index of the option strictly longer than every other one, or None on a tie."""
    lengths = [option_length(o) for o in question.options]
    if not lengths:
        return None
    top = max(lengths)
    return lengths.index(top) if lengths.count(top) == 1 else None


def correct_is_longest(question: Question) -> bool:
    """Whether the one right option of a single question is strictly the longest."""
    index = longest_index(question)
    return index is not None and question.options[index].correct


def in_first_half(index: int, count: int) -> bool:
    """Whether the option at 0-based `index` of `count` is in the first half (a middle one of an
    odd count is not)."""
    return 2 * (index + 1) <= count


def truefalse_key(question: Question) -> str:
    """The right answer of a true/false question, as a normalised text ("vrai", "faux"...)."""
    right = next((o for o in question.options if o.correct), None)
    return normalize_text(right.text) if right else ""


def key_warnings(questions: Sequence[Question]) -> list[tuple[int, str]]:
    """(line, message) for each tell of a quiz; the line is that of its first question."""
    if not questions:
        return []
    line = questions[0].line
    found: list[tuple[int, str]] = []
    singles = [q for q in questions if q.type == "single"]
    longest = [q.id for q in singles if correct_is_longest(q)]
    if singles and 2 * len(longest) > len(singles):
        found.append(
            (
                line,
                f"the correct option is strictly the longest in {len(longest)} of "
                f"{len(singles)} single-choice questions ({', '.join(longest)}): a learner "
                "who picks the longest passes; make the distractors as long and specific",
            )
        )
    choice = [q for q in questions if q.type in CHOICE_TYPES]
    positions = [(i, len(q.options)) for q in choice for i, o in enumerate(q.options) if o.correct]
    if len(choice) >= MIN_CHOICE and positions and all(in_first_half(*p) for p in positions):
        found.append(
            (
                line,
                "the correct options are all in the first half of the options "
                f"({len(choice)} single and multiple questions): move some lower",
            )
        )
    truefalse = [q for q in questions if q.type == "truefalse"]
    keys = {truefalse_key(q) for q in truefalse}
    if len(truefalse) >= MIN_TRUEFALSE and len(keys) == 1:
        found.append(
            (
                line,
                f"the {len(truefalse)} true/false questions all have the same answer "
                f"'{_key_text(truefalse[0])}': "
                "make about half of them true",
            )
        )
    multiple = [q for q in questions if q.type == "multiple"]
    counts = {sum(o.correct for o in q.options) for q in multiple}
    if len(multiple) >= MIN_MULTIPLE and len(counts) == 1:
        found.append(
            (
                line,
                f"every multiple question has {counts.pop()} correct options: vary it, "
                "from one to all of them",
            )
        )
    return found


def _key_text(question: Question) -> str:
    right = next((o for o in question.options if o.correct), None)
    return right.text if right else ""
