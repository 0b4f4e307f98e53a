"""The YAML data files: softskills/skills.yaml, the courses' course.yaml (entrepreneurship/,
metiers/<job>/), syllables.yaml. The référentiels have their own loader (referentiels.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .frontmatter import did_you_mean, is_id
from .model import LANGS, Course, Localized, Problem, Skill, SkillLevel, frozen_map
from .yamlutil import LineMap, load_yaml

ESCO_RE = re.compile(r"^(?:[A-Z]\d+(?:\.\d+)*|https?://data\.europa\.eu/esco/\S+)$")
SKILL_KEYS = ("id", "title", "esco", "definition", "why", "levels")
# Optional alignments: LifeComp (the EU framework for the personal, social and learning-to-learn
# key competence, 2020) competences, and the domains of CléA (the French socle of professional
# knowledge and skills, décret n° 2015-172).
SKILL_ALIGNMENTS = ("lifecomp", "clea")
LIFECOMP = ("P1", "P2", "P3", "S1", "S2", "S3", "L1", "L2", "L3")
CLEA_DOMAINS = (1, 2, 3, 4, 5, 6, 7)
LEVEL_KEYS = ("descriptor", "behaviours")


@dataclass
class DataFile:
    """A checked data file: what it holds and its problems."""

    path: str
    course: Course | None = None
    skills: list[Skill] = field(default_factory=list)
    module_lines: dict[str, int] = field(default_factory=dict)  # course.yaml: module id -> line
    skill_lines: dict[str, int] = field(default_factory=dict)
    syllables: dict[str, Any] = field(default_factory=dict)
    lines: LineMap = field(default_factory=LineMap)
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        """Record an error at `line`."""
        self.problems.append(Problem(self.path, line, "error", message))

    def warning(self, line: int, message: str) -> None:
        """Record a warning at `line`."""
        self.problems.append(Problem(self.path, line, "warning", message))


def _load(file: Path, display: str) -> tuple[DataFile, Any]:
    out = DataFile(display)
    try:
        text = file.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        out.error(1, "the file cannot be read as UTF-8 text")
        return out, None
    loaded = load_yaml(text, 1)
    out.lines = loaded.lines
    for line, message in loaded.problems:
        out.error(line, message)
    if loaded.ok and not isinstance(loaded.data, dict):
        out.error(1, "the file must be a list of 'key: value' lines")
        return out, None
    return out, loaded.data if loaded.ok else None


def _keys(out: DataFile, data: dict, allowed, required, path: tuple, what: str) -> None:
    for key in data:
        if str(key) not in allowed:
            out.error(
                out.lines.at(*path, key),
                f"unknown key '{key}' in {what}" + did_you_mean(str(key), allowed),
            )
    for key in required:
        if key not in data:
            out.error(out.lines.at(*path), f"{what} has no '{key}'")


def _localized(out: DataFile, value: Any, path: tuple, what: str) -> Localized:
    line = out.lines.at(*path)
    if isinstance(value, str) and value.strip():
        return Localized.of(value.strip())
    if isinstance(value, dict):
        good = {}
        for lang, text in value.items():
            if lang not in LANGS:
                out.error(
                    out.lines.at(*path, lang),
                    f"{what}: '{lang}' is not a language ({', '.join(LANGS)})",
                )
            elif not isinstance(text, str) or not text.strip():
                out.error(out.lines.at(*path, lang), f"{what} in '{lang}' must be a text")
            else:
                good[lang] = text.strip()
        if "fr" not in value:
            out.error(line, f"{what} has no French text ('fr')")
        return Localized.of(good)
    out.error(line, f"{what} must be a text, or {{fr: ..., en: ...}}")
    return Localized()


def _behaviours(out: DataFile, value: Any, path: tuple, what: str) -> dict[str, tuple[str, ...]]:
    by_lang = value if isinstance(value, dict) else {"fr": value}
    result = {}
    for lang, items in by_lang.items():
        where = path + ((lang,) if isinstance(value, dict) else ())
        if lang not in LANGS:
            out.error(
                out.lines.at(*where), f"{what}: '{lang}' is not a language ({', '.join(LANGS)})"
            )
            continue
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            out.error(out.lines.at(*where), f"{what} must be a list of texts")
            continue
        if not 3 <= len(items) <= 5:
            out.error(out.lines.at(*where), f"{what} lists 3 to 5 behaviours, not {len(items)}")
        result[lang] = tuple(i.strip() for i in items)
    return result


def _levels(out: DataFile, value: Any, path: tuple, skill_id: str) -> tuple[SkillLevel, ...]:
    if not isinstance(value, dict):
        out.error(out.lines.at(*path), f"skill '{skill_id}': 'levels' holds the levels 1 to 4")
        return ()
    levels = []
    for key in value:
        if key not in (1, 2, 3, 4):
            out.error(out.lines.at(*path, key), f"skill '{skill_id}': '{key}' is not a level (1-4)")
    for number in (1, 2, 3, 4):
        if number not in value:
            out.error(out.lines.at(*path), f"skill '{skill_id}' has no level {number}")
            continue
        level = value[number]
        where = path + (number,)
        what = f"skill '{skill_id}', level {number}"
        if not isinstance(level, dict):
            out.error(out.lines.at(*where), f"{what} needs a 'descriptor' and 'behaviours'")
            continue
        _keys(out, level, LEVEL_KEYS, LEVEL_KEYS, where, what)
        levels.append(
            SkillLevel(
                number,
                _localized(out, level.get("descriptor"), where + ("descriptor",), what),
                frozen_map(
                    _behaviours(out, level.get("behaviours"), where + ("behaviours",), what)
                ),
            )
        )
    return tuple(levels)


def _course(out: DataFile, data: Any, path: tuple, expected: str, module_ids=()) -> Course | None:
    if not isinstance(data, dict):
        out.error(out.lines.at(*path), "the course needs an 'id', a 'title' and a 'description'")
        return None
    cid = data.get("id")
    if cid is None:  # reported as a missing key
        return None
    if cid != expected:
        out.error(out.lines.at(*path, "id"), f"the id of this course is '{expected}', not {cid!r}")
        return None
    title = _localized(out, data.get("title"), path + ("title",), "the course title")
    description = _localized(
        out, data.get("description"), path + ("description",), "the course description"
    )
    return Course(cid, title, description, tuple(module_ids), out.path)


def load_skills(file: Path, display: str) -> DataFile:
    """Read and check softskills/skills.yaml."""
    out, data = _load(file, display)
    if data is None:
        return out
    _keys(out, data, ("course", "skills"), ("course", "skills"), (), "skills.yaml")
    if "course" in data:
        _keys(
            out,
            data["course"] if isinstance(data["course"], dict) else {},
            ("id", "title", "description"),
            ("id", "title", "description"),
            ("course",),
            "the course",
        )
        out.course = _course(out, data["course"], ("course",), "softskills")
    skills = data.get("skills")
    if "skills" in data and not isinstance(skills, list):
        out.error(out.lines.at("skills"), "'skills' must be a list of '- id: ...' entries")
        return out
    for index, item in enumerate(skills or []):
        path = ("skills", index)
        if not isinstance(item, dict):
            out.error(out.lines.at(*path), "each skill is a set of 'key: value' lines")
            continue
        sid = item.get("id")
        _keys(out, item, SKILL_KEYS + SKILL_ALIGNMENTS, SKILL_KEYS, path, f"skill '{sid}'")
        if not is_id(sid):
            out.error(
                out.lines.at(*path, "id"),
                f"the skill id {sid!r} is not valid: use lower-case letters, digits and dashes",
            )
            continue
        if sid in out.skill_lines:
            out.error(
                out.lines.at(*path, "id"),
                f"the skill id '{sid}' is used twice (also on line {out.skill_lines[sid]})",
            )
            continue
        out.skill_lines[sid] = out.lines.at(*path, "id")
        esco = item.get("esco")
        if esco is not None and (not isinstance(esco, str) or not ESCO_RE.match(esco.strip())):
            out.warning(
                out.lines.at(*path, "esco"),
                f"skill '{sid}': {esco!r} does not look like "
                "an ESCO code or URI (or null where none matches)",
            )
        out.skills.append(
            Skill(
                id=sid,
                title=_localized(out, item.get("title"), path + ("title",), f"skill '{sid}' title"),
                esco=str(esco).strip() if esco is not None else None,
                definition=_localized(
                    out, item.get("definition"), path + ("definition",), f"skill '{sid}' definition"
                ),
                why=_localized(out, item.get("why"), path + ("why",), f"skill '{sid}' why"),
                levels=_levels(out, item.get("levels"), path + ("levels",), sid),
                lifecomp=_codes(out, item, path, "lifecomp", LIFECOMP, f"skill '{sid}'"),
                clea=_codes(out, item, path, "clea", CLEA_DOMAINS, f"skill '{sid}'"),
                line=out.skill_lines[sid],
            )
        )
    return out


def _codes(out: DataFile, item: dict, path: tuple, key: str, known: tuple, what: str) -> tuple:
    """An optional list of codes taken from `known` (LifeComp competences, CléA domains)."""
    value = item.get(key)
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    wrong = [v for v in values if v not in known]
    if wrong:
        out.error(
            out.lines.at(*path, key),
            f"{what}: '{key}' is a list of "
            + ", ".join(str(k) for k in known)
            + f", not {', '.join(repr(v) for v in wrong)}",
        )
    return tuple(v for v in values if v in known)


def load_course(file: Path, display: str, expected: str = "entrepreneurship") -> DataFile:
    """Read and check a course.yaml whose course id must be `expected`."""
    out, data = _load(file, display)
    if data is None:
        return out
    keys = ("id", "title", "description", "modules")
    _keys(out, data, keys, keys, (), "course.yaml")
    modules = data.get("modules")
    ids: list[str] = []
    if "modules" in data and not isinstance(modules, list):
        out.error(out.lines.at("modules"), "'modules' is a list of module ids, in order")
    for index, mid in enumerate(modules if isinstance(modules, list) else []):
        line = out.lines.at("modules", index)
        if not is_id(mid):
            out.error(line, f"{mid!r} is not a valid module id")
        elif mid in out.module_lines:
            out.error(
                line, f"the module '{mid}' is listed twice (also on line {out.module_lines[mid]})"
            )
        else:
            out.module_lines[mid] = line
            ids.append(mid)
    out.course = _course(out, data, (), expected, ids)
    return out


def load_syllables(file: Path, display: str) -> DataFile:
    """Read softskills/syllables.yaml: {lang: {word: "syl-la-bles"}}."""
    out, data = _load(file, display)
    if data is None:
        return out
    for lang, words in data.items():
        if lang not in LANGS:
            out.error(out.lines.at(lang), f"'{lang}' is not a language ({', '.join(LANGS)})")
            continue
        if not isinstance(words, dict):
            out.error(out.lines.at(lang), "under a language, one 'word: syl-la-bles' per line")
            continue
        good = {}
        for word, split in words.items():
            line = out.lines.at(lang, word)
            if not isinstance(word, str) or not isinstance(split, str):
                out.error(line, "each line is 'word: syl-la-bles' (texts)")
            elif split.replace("-", "").casefold() != word.casefold():
                out.error(line, f"'{split}' without its dashes is not the word '{word}'")
            else:
                good[word.casefold()] = tuple(part for part in split.split("-") if part)
        out.syllables[lang] = frozen_map(good)
    return out
