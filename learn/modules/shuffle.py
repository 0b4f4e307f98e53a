"""Deterministic shuffling: the app keeps one seed per attempt and gets the same order back.
Option ids never change; only the order in which they are shown does.

What is mixed, per attempt, is each type's rule (`option_order` and `mixes_right_sides` in qtypes):
the options of single and multiple questions (unless the question is `fixed`), the steps of an
ordering question (never in the right order), the right sides of a matching question; the
questions themselves only when the quiz says `shuffle: true`. True/false options and matching left
sides keep the written order.

An attempt's order is kept as `[[question id, [ids as shown]], ...]` (for matching, the ids of the
right sides as shown), so that its corrections show what the learner saw even after the content
changed: `apply_order` puts a variant's questions back in that order.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .model import Option, Question
from .qtypes import MIXED, MIXED_AWAY, WRITTEN, question_type

ShownOrder = list[list]  # [[question id, [option ids as shown]], ...] (JSON-friendly)


def _rng(seed: int | str, salt: str) -> random.Random:
    return random.Random(f"{seed}:{salt}")  # noqa: S311 (an order to show, not a secret)


def _shuffle_away(items: list, rng: random.Random) -> list:
    """Shuffle, and never give back the original order when that can be avoided."""
    original = list(items)
    rng.shuffle(items)
    if len(items) > 1 and items == original:
        items = items[1:] + items[:1]
    return items


def shuffled_questions(questions: Sequence[Question], seed: int | str) -> list[Question]:
    """The questions in an order fixed by the seed."""
    items = list(questions)
    _rng(seed, "questions").shuffle(items)
    return items


def shuffled_options(question: Question, seed: int | str) -> list[Option]:
    """The options in an order fixed by the seed (a type shown as written, such as true/false,
    keeps its order; an ordering question never shows the right order when it has more than one
    step)."""
    items = list(question.options)
    order = question_type(question).option_order
    if order == WRITTEN:
        return items
    rng = _rng(seed, f"options:{question.id}")
    if order == MIXED_AWAY:
        return _shuffle_away(items, rng)
    rng.shuffle(items)
    return items


def display_options(question: Question, seed: int | str) -> list[Option]:
    """The options as shown in the attempt of this seed: single and multiple options mixed unless
    the question is `fixed`, ordering steps always mixed, the others in the written order."""
    order = question_type(question).option_order
    if order == MIXED_AWAY or (order == MIXED and not question.fixed):
        return shuffled_options(question, seed)
    return list(question.options)


def shuffled_right_sides(question: Question, seed: int | str) -> list[tuple[str, str]]:
    """Matching: the right sides as (option id, HTML), always mixed, never in the pairs' order."""
    items = [(o.id, o.right_html) for o in question.options]
    return _shuffle_away(items, _rng(seed, f"right:{question.id}"))


def attempt_order(
    questions: Sequence[Question], seed: int | str, mix_questions: bool = False
) -> ShownOrder:
    """The order an attempt shows: questions (mixed when asked) and the ids of their options (of
    the right sides, for matching), to store with the attempt."""
    ordered = shuffled_questions(questions, seed) if mix_questions else list(questions)
    return [
        [
            q.id,
            [oid for oid, _ in shuffled_right_sides(q, seed)]
            if question_type(q).mixes_right_sides
            else [o.id for o in display_options(q, seed)],
        ]
        for q in ordered
    ]


def _follow(ids: object, items: Sequence, key) -> list:
    """`items` in the order of `ids`; items not named there come after, in their own order."""
    ids = [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
    by_id = {key(item): item for item in items}
    first = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    return first + [item for item in items if key(item) not in set(ids)]


def apply_order(
    questions: Sequence[Question], order: object
) -> list[tuple[Question, list[Option]]]:
    """[(question, options)] in a stored order (see `attempt_order`), for the questions that
    still exist; questions or options added since come after, in the written order. A missing or
    malformed order gives the written order. For matching, the options stay in the written order
    (the stored ids are those of the right sides)."""
    pairs = order if isinstance(order, list) else []
    stored = {
        p[0]: p[1] for p in pairs if isinstance(p, list) and len(p) == 2 and isinstance(p[0], str)
    }
    ordered = _follow([p[0] for p in pairs if isinstance(p, list) and p], questions, lambda q: q.id)
    return [
        (
            q,
            list(q.options)
            if question_type(q).mixes_right_sides
            else _follow(stored.get(q.id), q.options, lambda o: o.id),
        )
        for q in ordered
    ]
