"""The pictogram vocabulary (static/pictos/names.yaml) and the `:pic: name` mark of the text.

An author starts a line (or a list item) with `:pic: broom`, or `:pic: broom decorative` for a
picture that adds nothing to the words (its alternative text is then empty). It renders as
`<img class="pic" src="/static/pictos/broom.svg" alt="balai" width="48" height="48">`, the
alternative text in the file's language, from names.yaml.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .model import LANGS as MODEL_LANGS
from .model import frozen_map

Line = tuple[int, str]
Found = tuple[int, str, str]

MARK = ":pic:"
# The mark as Markdown's inline pattern sees it, and as the checker finds it on a raw line (the
# name is read loosely there, so that a misspelt one is reported rather than left as text).
PIC_PATTERN = r":pic:[ \t]+([a-z0-9][a-z0-9-]*)(?:[ \t]+(decorative))?(?![\w-])[ \t]*"
PIC_RE = re.compile(PIC_PATTERN)
LOOSE_RE = re.compile(r":pic:(?:[ \t]+([^\s]+)(?:[ \t]+(decorative)(?![\w-]))?)?[ \t]*")
# What may come before a mark on its line: list markers, a quote, an option's or a self-check
# item's brackets, a key of a question (explanation: ...).
LEAD_RE = re.compile(
    r"^\s*(?:(?:[-*+]|\d{1,3}[.)])\s+|>\s*|\[[^\]]*\]\s+|"
    r"(?:explanation|correct|incorrect)\s*:\s*)*"
)
# A line after which a new line starts its own paragraph or item: blank, a heading, a block's
# first line, an option.
STARTS_AFTER_RE = re.compile(r"^\s*(?:$|#|:::|\[[^\]]*\]|!!!)")
# A line that is an item of its own: a list item, a quote, an option, a question's key.
OWN_ITEM_RE = re.compile(
    r"^\s*(?:(?:[-*+]|\d{1,3}[.)])\s|>|\[[^\]]*\]\s|(?:explanation|correct|incorrect)\s*:)"
)
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGS = MODEL_LANGS


@dataclass(frozen=True)
class Pictogram:
    """One picture of the set: its name, its alternative text by language, its category."""

    name: str
    alt: Mapping[str, str]
    category: str
    source: str


@dataclass(frozen=True)
class PictogramSet:
    """The shipped pictures by name, and their sources (title, author, url, licence...)."""

    by_name: Mapping[str, Pictogram]
    sources: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: frozen_map(()))

    def alt(self, name: str, lang: str) -> str | None:
        """The alternative text of a picture in `lang` (French when missing), None if unknown."""
        found = self.by_name.get(name)
        if found is None:
            return None
        return found.alt.get(lang) or found.alt.get("fr", "")

    def nearest(self, name: str) -> list[str]:
        """The known names closest to a misspelt one, best first."""
        return difflib.get_close_matches(name.lower(), list(self.by_name), n=3, cutoff=0.6)


def default_names_file() -> Path:
    """static/pictos/names.yaml: inside the installed package, else at the checkout's top level."""
    package = Path(__file__).resolve().parent.parent
    for static in (package / "static", package.parent / "static"):
        if static.is_dir():
            return static / "pictos" / "names.yaml"
    return package.parent / "static" / "pictos" / "names.yaml"


@lru_cache(maxsize=4)
def load_pictograms(path: Path | None = None) -> PictogramSet:
    """The set listed in names.yaml; an empty set when the file is missing or unreadable."""
    path = path or default_names_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return PictogramSet(frozen_map(()))
    pictures = {}
    for name, entry in (data.get("pictograms") or {}).items():
        if not (isinstance(entry, dict) and NAME_RE.match(str(name))):
            continue
        alt = frozen_map((lang, str(entry[lang])) for lang in LANGS if entry.get(lang))
        pictures[str(name)] = Pictogram(
            str(name), alt, str(entry.get("category", "")), str(entry.get("source", ""))
        )
    sources = {
        str(key): frozen_map((str(k), str(v)) for k, v in value.items())
        for key, value in (data.get("sources") or {}).items()
        if isinstance(value, dict)
    }
    return PictogramSet(frozen_map(pictures.items()), frozen_map(sources.items()))


def strip_marks(text: str) -> str:
    """A line without its pictogram marks (the words a reader sees)."""
    return LOOSE_RE.sub("", text) if MARK in text else text


def check_pictograms(lines: list[Line], pictures: PictogramSet, easy: bool) -> list[Found]:
    """Unknown names (with the nearest known ones), marks not at the start of a line, and more
    than one picture for a sentence."""
    found: list[Found] = []
    previous = ""
    for n, raw in lines:
        if MARK in raw:
            found.extend(_check_line(n, raw, previous, pictures, easy))
        previous = raw
    return found


def _check_line(n: int, raw: str, previous: str, pictures: PictogramSet, easy: bool):
    lead = LEAD_RE.match(raw).end()
    at_start = 0
    position = lead
    for m in LOOSE_RE.finditer(raw):
        name = m.group(1)
        if m.start() == position:
            at_start += 1
            position = m.end()
        else:
            yield (
                n,
                "error",
                "a pictogram goes at the start of the line, before its sentence: "
                "':pic: name' then the text",
            )
        if not name:
            yield (n, "error", "':pic:' needs the name of a picture, like ':pic: broom'")
        elif pictures.alt(name, "fr") is None:
            nearest = pictures.nearest(name)
            hint = f"nearest: {', '.join(nearest)}" if nearest else "see static/pictos/names.yaml"
            yield (n, "error", f'unknown pictogram "{name}" ({hint})')
    if at_start > 1:
        yield (
            n,
            "warning",
            "more than one pictogram for one sentence: keep the one that says its key idea",
        )
    starts_block = STARTS_AFTER_RE.match(previous) or OWN_ITEM_RE.match(raw)
    if at_start and not easy and not starts_block:
        yield (
            n,
            "warning",
            "this pictogram would sit inside a paragraph: leave a blank line before its line, "
            "or make the line a list item",
        )
