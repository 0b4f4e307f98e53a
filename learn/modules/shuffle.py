"""Deterministic shuffling: the app stores one seed per attempt and gets the same order back.
Option ids never change; only the order in which they are shown does."""

from __future__ import annotations

import random
from collections.abc import Sequence

from .model import Option, Question


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
    """The options in an order fixed by the seed (a true/false question keeps its order; an
    ordering question never shows the right order when it has more than one step)."""
    items = list(question.options)
    if question.type == "truefalse":
        return items
    rng = _rng(seed, f"options:{question.id}")
    if question.type == "ordering":
        return _shuffle_away(items, rng)
    rng.shuffle(items)
    return items


def display_options(question: Question, seed: int | str, shuffle: bool) -> list[Option]:
    """The options as shown: ordering steps are always mixed, others only when `shuffle` is on."""
    if shuffle or question.type == "ordering":
        return shuffled_options(question, seed)
    return list(question.options)


def shuffled_right_sides(question: Question, seed: int | str) -> list[tuple[str, str]]:
    """Matching: the right sides as (option id, HTML), always mixed, never in the pairs' order."""
    items = [(o.id, o.right_html) for o in question.options]
    return _shuffle_away(items, _rng(seed, f"right:{question.id}"))
