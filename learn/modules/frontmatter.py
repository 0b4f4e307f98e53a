"""The front matter of a content file: split it from the body, then check every key."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from .model import (
    KINDS,
    LANGS,
    QUIZ_MODES,
    TRANSLATION_STATUSES,
    VARIANTS,
    Objective,
    QuizRules,
    Translation,
)
from .yamlutil import LineMap, load_yaml

ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
ID_HINT = "lower-case letters, digits and dashes, like 'ecoute-1'"
FENCE_RE = re.compile(r"^---\s*$")
PASS_PERCENT_RE = re.compile(r"^\s*(\d{1,3}(?:[.,]\d+)?)\s*%\s*$")
PASS_COUNT_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")

ALL_KEYS = [
    "id", "kind", "title", "lang", "variant", "course", "skill", "level", "minutes",
    "objectives", "prerequisites", "sources", "quiz", "translation",
]  # fmt: skip
KIND_KEYS = {
    "module": set(ALL_KEYS),
    "placement": {
        "id",
        "kind",
        "title",
        "lang",
        "variant",
        "course",
        "skill",
        "sources",
        "translation",
    },
    "guide": {
        "id",
        "kind",
        "title",
        "lang",
        "variant",
        "course",
        "skill",
        "sources",
        "translation",
    },
}
KIND_NAMES = {
    "module": "a module",
    "placement": "a placement questionnaire",
    "guide": "a trainer guide",
}
QUIZ_KEYS = ("mode", "pass", "attempts", "shuffle")


def is_id(value: object) -> bool:
    """Whether `value` is a well-formed id (lower-case letters, digits, dashes)."""
    return isinstance(value, str) and bool(ID_RE.match(value))


def did_you_mean(word: str, choices) -> str:
    """A ' (did you mean 'x'?)' hint, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass
class FrontMatter:
    """The checked values of a front matter; a value that failed its check is None."""

    id: str | None = None
    kind: str = "module"
    title: str = ""
    lang: str | None = None
    variant: str | None = None
    course: str | None = None
    skill: str | None = None
    level: int | None = None
    minutes: int | None = None
    objectives: list[Objective] = field(default_factory=list)
    prerequisites: list[tuple[str, int]] = field(default_factory=list)  # (id, line)
    sources: list[str] = field(default_factory=list)
    quiz: QuizRules | None = None
    translation: Translation | None = None  # None: the file is an original, not a translation
    has_quiz_key: bool = False
    loaded: bool = False  # False when the YAML could not be read: later checks are skipped
    lines: LineMap = field(default_factory=LineMap)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, severity, message)

    def error(self, line: int, message: str) -> None:
        """Record an error at `line`."""
        self.problems.append((line, "error", message))

    def warning(self, line: int, message: str) -> None:
        """Record a warning at `line`."""
        self.problems.append((line, "warning", message))


def split_front_matter(text: str) -> tuple[str | None, int, list[str], int, str | None]:
    """(YAML text, its first line, body lines, the body's first line, error) of a file's text."""
    lines = text.split("\n")
    if not FENCE_RE.match(lines[0]):
        return (
            None,
            1,
            lines,
            1,
            (
                "missing front matter: the file must start with a line '---', then the keys "
                "(id, title, lang...), then another line '---'"
            ),
        )
    for index in range(1, len(lines)):
        if FENCE_RE.match(lines[index]) or lines[index].rstrip() == "...":
            return "\n".join(lines[1:index]), 2, lines[index + 1 :], index + 2, None
    return None, 1, lines, 1, "the front matter is not closed: add a line '---' after its last key"


def _text(fm: FrontMatter, data: dict, key: str, *path) -> str | None:
    value = data.get(key)
    line = fm.lines.at(*path, key)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        fm.error(line, f"'{key}' must be a text (put it between double quotes)")
        return None
    value = str(value).strip()
    if not value:
        fm.error(line, f"'{key}' is empty")
        return None
    return value


def _choice(fm: FrontMatter, data: dict, key: str, choices) -> str | None:
    value = data.get(key)
    if value not in choices:
        fm.error(
            fm.lines.at(key),
            f"'{key}' must be one of {', '.join(choices)}, not {value!r}"
            + (did_you_mean(value, choices) if isinstance(value, str) else ""),
        )
        return None
    return value


def _int(fm: FrontMatter, data: dict, key: str, low: int, high: int | None) -> int | None:
    value = data.get(key)
    bounds = f"from {low} to {high}" if high else f"of at least {low}"
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < low
        or (high is not None and value > high)
    ):
        fm.error(fm.lines.at(key), f"'{key}' must be a whole number {bounds}, not {value!r}")
        return None
    return value


def _id(fm: FrontMatter, value: Any, line: int, what: str) -> str | None:
    if not is_id(value):
        fm.error(line, f"{what} {value!r} is not a valid id: use {ID_HINT}")
        return None
    return value


def _objectives(fm: FrontMatter, value: Any) -> None:
    if not isinstance(value, list):
        fm.error(fm.lines.at("objectives"), "'objectives' must be a list of '- id: ... text: ...'")
        return
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        line = fm.lines.at("objectives", index)
        if not isinstance(item, dict):
            fm.error(line, "each objective needs an 'id' and a 'text' (like '- id: o1')")
            continue
        for key in item:
            if key not in ("id", "text"):
                fm.error(
                    fm.lines.at("objectives", index, key),
                    f"unknown key '{key}' in an objective: only 'id' and 'text'"
                    + did_you_mean(str(key), ("id", "text")),
                )
        if "id" not in item or "text" not in item:
            missing = "'id'" if "id" not in item else "'text'"
            fm.error(line, f"this objective has no {missing}")
            continue
        oid = _id(fm, item["id"], fm.lines.at("objectives", index, "id"), "the objective id")
        text = _text(fm, item, "text", "objectives", index)
        if oid is None or text is None:
            continue
        if oid in seen:
            fm.error(
                fm.lines.at("objectives", index, "id"),
                f"the objective id '{oid}' is used twice (also on line {seen[oid]})",
            )
            continue
        seen[oid] = fm.lines.at("objectives", index, "id")
        fm.objectives.append(Objective(oid, text, seen[oid]))
    if fm.objectives and not 2 <= len(fm.objectives) <= 4:
        fm.warning(fm.lines.at("objectives"), f"a module has 2 to 4 objectives, not {len(value)}")


def _list_of_text(fm: FrontMatter, data: dict, key: str) -> list[tuple[str, int]]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        fm.error(fm.lines.at(key), f"'{key}' must be a list (one '- item' per line, or [])")
        return []
    out = []
    for index, item in enumerate(value):
        line = fm.lines.at(key, index)
        if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item):
            fm.error(line, f"each item of '{key}' must be a text (put it between double quotes)")
            continue
        out.append((str(item).strip(), line))
    return out


def _quiz(fm: FrontMatter, value: Any) -> None:
    line = fm.lines.at("quiz")
    if not isinstance(value, dict):
        fm.error(line, "'quiz' must hold 'mode' and 'pass' (and maybe 'attempts', 'shuffle')")
        return
    ok = True
    for key in value:
        if key not in QUIZ_KEYS:
            ok = False
            fm.error(
                fm.lines.at("quiz", key),
                f"unknown key '{key}' in 'quiz'" + did_you_mean(str(key), QUIZ_KEYS),
            )
    for key in ("mode", "pass"):
        if key not in value:
            ok = False
            fm.error(line, f"'quiz' has no '{key}'")
    mode = value.get("mode", "practice")
    if "mode" in value and mode not in QUIZ_MODES:
        ok = False
        fm.error(
            fm.lines.at("quiz", "mode"), f"quiz 'mode' must be practice or assessed, not {mode!r}"
        )
    percent = correct = total = None
    raw = value.get("pass")
    if "pass" in value:
        text = str(raw) if isinstance(raw, str) else ""
        if m := PASS_PERCENT_RE.match(text):
            percent = float(m.group(1).replace(",", "."))
            if not 0 < percent <= 100:
                ok = False
                fm.error(
                    fm.lines.at("quiz", "pass"), f"quiz 'pass' {raw!r} must be from 1% to 100%"
                )
        elif m := PASS_COUNT_RE.match(text):
            correct, total = int(m.group(1)), int(m.group(2))
            if correct < 1 or correct > total:
                ok = False
                fm.error(
                    fm.lines.at("quiz", "pass"),
                    f"quiz 'pass' {raw!r}: m correct of n needs 1 <= m <= n",
                )
        else:
            ok = False
            fm.error(
                fm.lines.at("quiz", "pass"),
                "quiz 'pass' must be a percentage like 80% or m correct of n like 4/5, "
                f"not {raw!r}",
            )
    attempts = value.get("attempts")
    if attempts is not None and (
        isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1
    ):
        ok = False
        fm.error(
            fm.lines.at("quiz", "attempts"),
            f"quiz 'attempts' must be a whole number of at least 1 (or left out), not {attempts!r}",
        )
        attempts = None
    if attempts is not None and mode == "practice":
        fm.warning(fm.lines.at("quiz", "attempts"), "'attempts' only counts in assessed mode")
    shuffle = value.get("shuffle", False)
    if not isinstance(shuffle, bool):
        ok = False
        fm.error(
            fm.lines.at("quiz", "shuffle"), f"quiz 'shuffle' must be true or false, not {shuffle!r}"
        )
        shuffle = False
    if ok:
        fm.quiz = QuizRules(mode, percent, correct, total, attempts, shuffle)


def check_front_matter(yaml_text: str, first_line: int) -> FrontMatter:
    """Parse and check a front matter; problems are collected in the result."""
    loaded = load_yaml(yaml_text, first_line)
    fm = FrontMatter(lines=loaded.lines)
    for line, message in loaded.problems:
        fm.error(line, message)
    if not loaded.ok:
        return fm
    data = loaded.data
    if not isinstance(data, dict):
        fm.error(first_line, "the front matter must be a list of 'key: value' lines")
        return fm
    data = {str(k): v for k, v in data.items()}
    fm.loaded = True
    kind = data.get("kind", "module")
    if kind not in KINDS:
        fm.error(fm.lines.at("kind"), f"'kind' must be module, placement or guide, not {kind!r}")
        kind = "module"
    fm.kind = kind
    allowed = KIND_KEYS[kind]
    for key in data:
        if key not in ALL_KEYS:
            fm.error(fm.lines.at(key), f"unknown key '{key}'" + did_you_mean(key, ALL_KEYS))
        elif key not in allowed:
            fm.error(fm.lines.at(key), f"{KIND_NAMES[kind]} has no '{key}'")
    required = ["id", "title", "lang", "variant", "course"]
    if kind == "module":
        required += ["minutes", "objectives"]
    for key in required:
        if key not in data:
            fm.error(max(first_line - 1, 1), f"the key '{key}' is missing")
    if "id" in data:
        fm.id = _id(fm, data["id"], fm.lines.at("id"), "the id")
    if "title" in data:
        fm.title = _text(fm, data, "title") or ""
    if "lang" in data:
        fm.lang = _choice(fm, data, "lang", LANGS)
    if "variant" in data:
        fm.variant = _choice(fm, data, "variant", VARIANTS)
        if kind == "guide" and fm.variant == "easy":
            fm.error(fm.lines.at("variant"), "a trainer guide has only the standard variant")
    if "course" in data:
        fm.course = _id(fm, data["course"], fm.lines.at("course"), "the course")
    _check_skill_level(fm, data, kind)
    if "minutes" in data and kind == "module":
        fm.minutes = _int(fm, data, "minutes", 1, None)
        if fm.minutes is not None and fm.course == "softskills" and not 10 <= fm.minutes <= 25:
            fm.warning(
                fm.lines.at("minutes"),
                f"a soft-skills module takes 10 to 25 minutes, not {fm.minutes}",
            )
    if "objectives" in data and kind == "module":
        _objectives(fm, data["objectives"])
    if kind == "module":
        for pid, line in _list_of_text(fm, data, "prerequisites"):
            if _id(fm, pid, line, "the prerequisite") is not None:
                fm.prerequisites.append((pid, line))
    fm.sources = [text for text, _ in _list_of_text(fm, data, "sources")]
    if "quiz" in data and kind == "module":
        fm.has_quiz_key = True
        _quiz(fm, data["quiz"])
    if "translation" in data:
        _translation(fm, data["translation"])
    return fm


TRANSLATION_KEYS = ("status", "from", "source_version")
SOURCE_VERSION_RE = re.compile(r"^[0-9a-f]{12}$")


def _translation(fm: FrontMatter, value: Any) -> None:
    """`translation: {status, from, source_version}`: how far the translation is trusted, the
    language it was made from and the version (a hash) of the source file it was made from."""
    line = fm.lines.at("translation")
    if not isinstance(value, dict):
        fm.error(line, "'translation' holds 'status', 'from' and 'source_version' lines")
        return
    value = {str(k): v for k, v in value.items()}
    for key in value:
        if key not in TRANSLATION_KEYS:
            fm.error(
                fm.lines.at("translation", key),
                f"unknown key '{key}' in 'translation'" + did_you_mean(key, TRANSLATION_KEYS),
            )
    missing = [key for key in TRANSLATION_KEYS if key not in value]
    if missing:
        fm.error(line, "'translation' needs " + ", ".join(f"'{key}'" for key in missing))
        return
    status, source, version = value["status"], value["from"], str(value["source_version"])
    ok = True
    if status not in TRANSLATION_STATUSES:
        fm.error(
            fm.lines.at("translation", "status"),
            f"'status' must be {', '.join(TRANSLATION_STATUSES)}, not {status!r}",
        )
        ok = False
    if source not in LANGS:
        fm.error(
            fm.lines.at("translation", "from"),
            f"'from' must be the language translated from ({', '.join(LANGS)}), not {source!r}",
        )
        ok = False
    if not SOURCE_VERSION_RE.match(version):
        fm.error(
            fm.lines.at("translation", "source_version"),
            "'source_version' is the first 12 characters of the source file's SHA-256 "
            "(learn content stamp FILE writes it)",
        )
        ok = False
    if ok:
        fm.translation = Translation(status, source, version)


def _check_skill_level(fm: FrontMatter, data: dict, kind: str) -> None:
    softskills = fm.course == "softskills"
    if "skill" in data:
        fm.skill = _id(fm, data["skill"], fm.lines.at("skill"), "the skill")
        if fm.course and not softskills:
            fm.error(fm.lines.at("skill"), "only soft-skills content has a 'skill'")
    elif softskills or kind == "placement":
        fm.error(fm.lines.at("course"), "the key 'skill' is missing (the skill id of skills.yaml)")
    if kind == "placement" and fm.course and not softskills:
        fm.error(
            fm.lines.at("course"), "a placement questionnaire belongs to the softskills course"
        )
    if kind != "module":
        return
    if "level" in data:
        fm.level = _int(fm, data, "level", 1, 4)
        if fm.course and not softskills:
            fm.error(fm.lines.at("level"), "only soft-skills modules have a 'level'")
    elif softskills:
        fm.error(fm.lines.at("course"), "the key 'level' is missing (1 to 4)")
