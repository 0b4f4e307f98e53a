"""Figures about the quizzes of a content tree (`learn content stats`): how often the right option
is the longest, what the test-wise guesser passes, how balanced the keys are, how long the modules
are in easy-read and standard. Every file is counted, servable or not."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import find_files, parse_files
from .guessing import STRATEGIES, guesser_passes, guesser_placement
from .keys import correct_is_longest, truefalse_key
from .model import ModuleVariant
from .qtypes import OPTION_IDS

TRUE_KEYS = ("vrai", "true")
FALSE_KEYS = ("faux", "false")


def all_variants(root: str | os.PathLike, workers: int = 1) -> list[ModuleVariant]:
    """Every module, placement and guide file under root that has an id, lang and variant."""
    files = find_files(Path(root)) if Path(root).is_dir() else []
    parsed = parse_files(files, "/content-assets", "/modules", workers)
    return [pf.variant for pf in parsed if pf.variant is not None]


@dataclass
class QuizGroup:
    """The figures of a group of module quizzes (one course, level, language and variant)."""

    quizzes: int = 0
    singles: int = 0
    longest: int = 0
    passes: Counter = field(default_factory=Counter)
    positions: Counter = field(default_factory=Counter)
    truefalse: Counter = field(default_factory=Counter)
    multiple_correct: Counter = field(default_factory=Counter)
    words: list[int] = field(default_factory=list)
    passed_files: dict[str, list[str]] = field(default_factory=dict)

    def add(self, variant: ModuleVariant) -> None:
        """Count one module variant (its words always; its quiz when it has one)."""
        self.words.append(variant.words)
        if not variant.questions:
            return
        self.quizzes += 1
        for q in variant.questions:
            if q.type == "single":
                self.singles += 1
                self.longest += correct_is_longest(q)
            if q.type in ("single", "multiple"):
                self.positions.update(OPTION_IDS[i] for i, o in enumerate(q.options) if o.correct)
            if q.type == "multiple":
                self.multiple_correct[sum(o.correct for o in q.options)] += 1
            if q.type == "truefalse":
                key = truefalse_key(q)
                self.truefalse[
                    "Vrai" if key in TRUE_KEYS else "Faux" if key in FALSE_KEYS else key
                ] += 1
        for strategy in STRATEGIES:
            if guesser_passes(variant, strategy):
                self.passes[strategy] += 1
                self.passed_files.setdefault(strategy, []).append(variant.path)

    @property
    def mean_words(self) -> int:
        """Words of reading text per module, on average."""
        return round(sum(self.words) / len(self.words)) if self.words else 0


@dataclass
class PlacementGroup:
    """The levels the guesser earns in the placement questionnaires of a group."""

    count: int = 0
    highest: Counter = field(default_factory=Counter)
    above_one: Counter = field(default_factory=Counter)
    above_one_files: dict[str, list[str]] = field(default_factory=dict)

    def add(self, placement: ModuleVariant) -> None:
        """Count one placement questionnaire."""
        self.count += 1
        for strategy in STRATEGIES:
            level = guesser_placement(placement, strategy)
            self.highest[strategy] = max(self.highest[strategy], level)
            if level > 1:
                self.above_one[strategy] += 1
                self.above_one_files.setdefault(strategy, []).append(f"{placement.path} ({level})")


def _level(variant: ModuleVariant) -> str:
    return f"level {variant.level}" if variant.level else "all levels"


def quiz_groups(variants: Iterable[ModuleVariant]) -> dict[tuple[str, ...], QuizGroup]:
    """Module figures by (course, level, lang, variant), with an "all levels" group per course."""
    groups: dict[tuple[str, ...], QuizGroup] = {}
    for v in sorted(variants, key=lambda v: v.path):
        if v.kind != "module":
            continue
        keys = {
            (v.course, _level(v), v.lang, v.variant),
            (v.course, "all levels", v.lang, v.variant),
        }
        for key in keys:
            groups.setdefault(key, QuizGroup()).add(v)
    order = {"all levels": "~", "standard": "0", "easy": "1"}
    return dict(sorted(groups.items(), key=lambda kv: [order.get(k, k) for k in kv[0]]))


def placement_groups(variants: Iterable[ModuleVariant]) -> dict[tuple[str, ...], PlacementGroup]:
    """Placement figures by (course, lang, variant)."""
    groups: dict[tuple[str, ...], PlacementGroup] = {}
    for v in sorted(variants, key=lambda v: (v.course, v.lang, v.variant, v.path)):
        if v.kind == "placement":
            groups.setdefault((v.course, v.lang, v.variant), PlacementGroup()).add(v)
    return groups


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}{'zes' if word == 'quiz' else 's'}"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "-"


def _counts(counter: Counter, order: Sequence | None = None, label: str = "{}") -> str:
    keys = order if order is not None else sorted(counter)
    found = (f"{label.format(key)} {counter[key]}" for key in keys if counter[key])
    return " · ".join(found) or "none"


def format_stats(variants: Sequence[ModuleVariant]) -> list[str]:
    """The report printed by `learn content stats`, as lines."""
    lines = ["Quizzes, by course, level, language and variant"]
    groups = quiz_groups(variants)
    for (course, level, lang, variant), g in groups.items():
        words = f"{g.mean_words} words per module"
        standard = groups.get((course, level, lang, "standard"))
        if variant == "easy" and standard and standard.mean_words:
            words += f" ({_percent(g.mean_words, standard.mean_words)} of the standard's)"
        lines.append(f"{course} {level} {lang} {variant}: {_plural(g.quizzes, 'quiz')}, {words}")
        if not g.quizzes:
            continue
        other = set(g.truefalse) - {"Vrai", "Faux"}
        lines += [
            f"  correct option strictly the longest: {g.longest} of {g.singles} single "
            f"questions ({_percent(g.longest, g.singles)})",
            "  guesser passes: "
            + " · ".join(
                f"{s} {g.passes[s]} ({_percent(g.passes[s], g.quizzes)})" for s in STRATEGIES
            ),
            f"  correct positions (single, multiple): {_counts(g.positions, OPTION_IDS)}",
            f"  true/false keys: {_counts(g.truefalse, ('Vrai', 'Faux', *sorted(other)))}",
            "  multiple questions by number of correct options: "
            + _counts(g.multiple_correct, label="{} correct:"),
        ]
    lines.append("")
    lines.append("Placement questionnaires (the guesser rates every statement 4 of 4)")
    for (course, lang, variant), p in placement_groups(variants).items():
        lines.append(f"{course} {lang} {variant}: {_plural(p.count, 'questionnaire')}")
        lines.append(
            "  highest level earned: "
            + " · ".join(f"{s} {p.highest[s]} ({p.above_one[s]} above level 1)" for s in STRATEGIES)
        )
    lines.append("")
    lines += pictogram_lines(variants)
    return lines


def pictograms_per_part(variants: Iterable[ModuleVariant]) -> list[int]:
    """How many pictograms each part of the easy-read modules shows."""
    return [
        section.html.count('class="pic"')
        for v in variants
        if v.variant == "easy" and v.kind == "module"
        for section in v.sections
    ]


def pictogram_lines(variants: Sequence[ModuleVariant]) -> list[str]:
    """Pictograms per easy-read part (content/README.md: at least one a part)."""
    counts = sorted(pictograms_per_part(variants))
    if not counts:
        return ["Pictograms: no easy-read part"]
    easy = [v for v in variants if v.variant == "easy" and v.kind == "module"]
    bare = sum(1 for v in easy if not any('class="pic"' in s.html for s in v.sections))
    return [
        f"Pictograms per easy-read part: min {counts[0]}, median {counts[len(counts) // 2]}, "
        f"max {counts[-1]} over {_plural(len(counts), 'part')}; "
        f"{_plural(sum(1 for c in counts if c), 'part')} with one or more; "
        f"{bare} of {len(easy)} easy-read modules without any"
    ]
