"""Job référentiels (content/referentiels/<id>.yaml): a job → activities → competences →
observable criteria, an assessment scale, links to soft skills and modules, and the public
references it was written from. Format: content/README.md, "Job référentiels"."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .datafiles import DataFile, _keys, _load, _localized
from .frontmatter import did_you_mean, is_id
from .model import Localized

SECTORS = ("proprete", "espaces-verts", "commerce", "biodechets")
TOP_KEYS = ("id", "title", "summary", "sector", "sources", "scale", "activities")
SOURCE_KEYS = ("title", "publisher", "reference", "url", "note")
SOURCE_REQUIRED = ("title", "publisher")
STEP_KEYS = ("id", "label")
ACTIVITY_KEYS = ("id", "title", "competences")
COMPETENCE_KEYS = ("id", "title", "criteria", "soft_skills", "modules", "scale")
COMPETENCE_REQUIRED = ("id", "title", "criteria")
CRITERION_KEYS = ("id", "text", "safety")
CRITERION_REQUIRED = ("id", "text")
ACTIVITIES = (4, 8)
COMPETENCES = (1, 5)
CRITERIA = (2, 6)
SCALE_STEPS = (2, 6)
MIN_SAFETY = 3


@dataclass(frozen=True, slots=True)
class ScaleStep:
    """One step of an assessment scale (`not-yet`, `with-help`...)."""

    id: str
    label: Localized


@dataclass(frozen=True, slots=True)
class Source:
    """A public reference the référentiel was written from."""

    title: str
    publisher: str
    reference: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ObservableCriterion:
    """Something a tutor sees at the workstation; `safety` marks a safety criterion."""

    id: str
    text: Localized
    safety: bool = False


@dataclass(frozen=True, slots=True)
class Competence:
    """A competence with its criteria, its scale (the file's unless overridden) and its links."""

    id: str
    title: Localized
    criteria: tuple[ObservableCriterion, ...]
    scale: tuple[ScaleStep, ...]
    soft_skills: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    own_scale: bool = False


@dataclass(frozen=True, slots=True)
class Activity:
    """An activity of the job and its competences."""

    id: str
    title: Localized
    competences: tuple[Competence, ...]


@dataclass(frozen=True, slots=True)
class Referentiel:
    """A checked job référentiel."""

    id: str
    title: Localized
    summary: Localized
    sector: str
    sources: tuple[Source, ...]
    scale: tuple[ScaleStep, ...]
    activities: tuple[Activity, ...]
    path: str = ""

    @property
    def competences(self) -> tuple[Competence, ...]:
        """Every competence, activity by activity."""
        return tuple(c for a in self.activities for c in a.competences)

    def competence(self, competence_id: str) -> Competence | None:
        """The competence with this id, or None."""
        return next((c for c in self.competences if c.id == competence_id), None)

    @property
    def version(self) -> str:
        """A short hash of everything a tutor reads in it (not where the file lies): what an
        assessment keeps to say which text it was made against."""
        content = (
            self.id,
            self.title,
            self.summary,
            self.sector,
            self.sources,
            self.scale,
            self.activities,
        )
        return hashlib.sha256(repr(content).encode()).hexdigest()[:16]

    @property
    def safety_count(self) -> int:
        """How many safety criteria the file marks."""
        return sum(k.safety for c in self.competences for k in c.criteria)

    @property
    def module_ids(self) -> tuple[str, ...]:
        """The modules linked from its competences, each once, in order."""
        return tuple(dict.fromkeys(m for c in self.competences for m in c.modules))


@dataclass
class ReferentielFile(DataFile):
    """A référentiel file as read: the référentiel (None if unusable), its links with lines."""

    referentiel: Referentiel | None = None
    skill_links: list[tuple[str, int]] = field(default_factory=list)
    module_links: list[tuple[str, int]] = field(default_factory=list)


def _count(out: DataFile, items: list, bounds: tuple[int, int], line: int, what: str) -> None:
    low, high = bounds
    if not low <= len(items) <= high:
        out.error(line, what.format(f"{low} to {high}") + f", not {len(items)}")


def _list(out: DataFile, data: dict, key: str, path: tuple, what: str) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        out.error(out.lines.at(*path, key), f"{what} is a list of '- ...' entries")
        return []
    return value


def _new_id(out: DataFile, item: dict, path: tuple, seen: dict[str, int], what: str) -> str | None:
    """The item's id if valid and not yet in `seen` (where it is then recorded)."""
    value = item.get("id")
    line = out.lines.at(*path, "id")
    if value is None:
        return None  # reported as a missing key
    if isinstance(value, bool):
        out.error(
            line,
            f"{what} id is read as {str(value).lower()}: put it between double quotes "
            "(YAML reads yes, no, on and off as true or false)",
        )
        return None
    if not is_id(value):
        out.error(line, f"{what} id {value!r} is not valid: use lower-case letters, digits, dashes")
        return None
    if value in seen:
        out.error(line, f"{what} id '{value}' is used twice (also on line {seen[value]})")
        return None
    seen[value] = line
    return value


def _entries(out: DataFile, items: list, path: tuple, keys, required, what: str):
    """(index, item) for the mapping items of a list, their keys checked."""
    for index, item in enumerate(items):
        where = path + (index,)
        if not isinstance(item, dict):
            out.error(out.lines.at(*where), f"each {what} is a set of 'key: value' lines")
            continue
        _keys(out, item, keys, required, where, what)
        yield where, item


def _scale(out: DataFile, value: Any, path: tuple) -> tuple[ScaleStep, ...]:
    if not isinstance(value, list):
        out.error(out.lines.at(*path), "a scale is a list of steps '- {id: ..., label: ...}'")
        return ()
    _count(out, value, SCALE_STEPS, out.lines.at(*path), "a scale has {} steps")
    steps, seen = [], {}
    for where, item in _entries(out, value, path, STEP_KEYS, STEP_KEYS, "scale step"):
        sid = _new_id(out, item, where, seen, "the scale step")
        label = _localized(out, item.get("label"), where + ("label",), "the step label")
        if sid:
            steps.append(ScaleStep(sid, label))
    return tuple(steps)


def _optional_text(out: DataFile, item: dict, key: str, where: tuple) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        out.error(out.lines.at(*where, key), f"the source's '{key}' must be a text")
        return None
    return value.strip()


def _sources(out: DataFile, data: dict) -> tuple[Source, ...]:
    items = _list(out, data, "sources", ("sources",), "'sources'")
    if "sources" in data and not items:
        out.error(out.lines.at("sources"), "give at least one source (a public reference)")
    found = []
    for where, item in _entries(out, items, ("sources",), SOURCE_KEYS, SOURCE_REQUIRED, "source"):
        texts = {key: _optional_text(out, item, key, where) for key in SOURCE_KEYS}
        url = texts["url"]
        if url and not url.startswith(("https://", "http://")):
            out.error(out.lines.at(*where, "url"), f"the url {url!r} is not a web address")
            url = None
        elif url and url.startswith("http://"):
            out.warning(out.lines.at(*where, "url"), "use an https:// address if the site has one")
        if texts["title"] and texts["publisher"]:
            found.append(
                Source(texts["title"], texts["publisher"], texts["reference"], url, texts["note"])
            )
    return tuple(found)


def _criteria(out: ReferentielFile, comp: dict, path: tuple) -> tuple[ObservableCriterion, ...]:
    items = _list(out, comp, "criteria", path, "'criteria'")
    if "criteria" in comp:
        _count(
            out, items, CRITERIA, out.lines.at(*path, "criteria"), "a competence has {} criteria"
        )
    found, seen = [], {}
    keys = (CRITERION_KEYS, CRITERION_REQUIRED)
    for where, item in _entries(out, items, path + ("criteria",), *keys, "criterion"):
        cid = _new_id(out, item, where, seen, "the criterion")
        text = _localized(out, item.get("text"), where + ("text",), "the criterion text")
        safety = item.get("safety", False)
        if not isinstance(safety, bool):
            out.error(out.lines.at(*where, "safety"), "'safety' is true or false")
            safety = False
        if cid:
            found.append(ObservableCriterion(cid, text, safety))
    return tuple(found)


def _links(out: ReferentielFile, comp: dict, path: tuple, key: str, into: list) -> tuple:
    found = []
    for index, value in enumerate(_list(out, comp, key, path, f"'{key}'")):
        line = out.lines.at(*path, key, index)
        if not is_id(value):
            out.error(line, f"{value!r} in '{key}' is not an id")
        elif value in found:
            out.error(line, f"'{value}' is listed twice in '{key}'")
        else:
            found.append(value)
            into.append((value, line))
    return tuple(found)


def _competence(out: ReferentielFile, item: dict, where: tuple, cid, default_scale):
    own = "scale" in item
    scale = _scale(out, item["scale"], where + ("scale",)) if own else default_scale
    return Competence(
        id=cid or "",
        title=_localized(out, item.get("title"), where + ("title",), "the competence title"),
        criteria=_criteria(out, item, where),
        scale=scale,
        soft_skills=_links(out, item, where, "soft_skills", out.skill_links),
        modules=_links(out, item, where, "modules", out.module_links),
        own_scale=own,
    )


def _activities(out: ReferentielFile, data: dict, scale) -> tuple[Activity, ...]:
    items = _list(out, data, "activities", ("activities",), "'activities'")
    if "activities" in data:
        _count(
            out, items, ACTIVITIES, out.lines.at("activities"), "a référentiel has {} activities"
        )
    activities, seen_activities, seen_competences = [], {}, {}
    for where, item in _entries(
        out, items, ("activities",), ACTIVITY_KEYS, ACTIVITY_KEYS, "activity"
    ):
        aid = _new_id(out, item, where, seen_activities, "the activity")
        comps = _list(out, item, "competences", where, "'competences'")
        if "competences" in item:
            line = out.lines.at(*where, "competences")
            _count(out, comps, COMPETENCES, line, "an activity has {} competences")
        competences = []
        for cwhere, comp in _entries(
            out, comps, where + ("competences",), COMPETENCE_KEYS, COMPETENCE_REQUIRED, "competence"
        ):
            cid = _new_id(out, comp, cwhere, seen_competences, "the competence")
            competences.append(_competence(out, comp, cwhere, cid, scale))
        title = _localized(out, item.get("title"), where + ("title",), "the activity title")
        if aid:
            activities.append(Activity(aid, title, tuple(c for c in competences if c.id)))
    return tuple(activities)


def load_referentiel(file: Path, display: str) -> ReferentielFile:
    """Read and check one référentiel file on its own (links are checked by `check_links`)."""
    base, data = _load(file, display)
    out = ReferentielFile(display, lines=base.lines, problems=base.problems)
    if data is None:
        return out
    _keys(out, data, TOP_KEYS, TOP_KEYS, (), "the référentiel")
    rid = data.get("id")
    if rid is not None and rid != file.stem:
        out.error(out.lines.at("id"), f"the id is the file name: '{file.stem}', not {rid!r}")
    elif rid is not None and not is_id(rid):
        out.error(out.lines.at("id"), f"the id {rid!r} is not valid: lower-case, digits, dashes")
    sector = data.get("sector")
    if sector is not None and sector not in SECTORS:
        out.error(
            out.lines.at("sector"),
            f"unknown sector {sector!r}: "
            + ", ".join(SECTORS)
            + did_you_mean(str(sector), SECTORS),
        )
    scale = _scale(out, data["scale"], ("scale",)) if "scale" in data else ()
    referentiel = Referentiel(
        id=rid if isinstance(rid, str) else file.stem,
        title=_localized(out, data.get("title"), ("title",), "the title"),
        summary=_localized(out, data.get("summary"), ("summary",), "the summary"),
        sector=sector if sector in SECTORS else "",
        sources=_sources(out, data),
        scale=scale,
        activities=_activities(out, data, scale),
        path=display,
    )
    if "activities" in data and referentiel.safety_count < MIN_SAFETY:
        out.error(
            out.lines.at("activities"),
            f"mark at least {MIN_SAFETY} safety criteria ('safety: true'), "
            f"not {referentiel.safety_count}",
        )
    out.referentiel = referentiel
    return out


def check_links(out: ReferentielFile, skill_ids, module_ids) -> None:
    """Soft skills and modules named by the référentiel exist (None: not known, not checked)."""
    if skill_ids is not None:
        for sid, line in out.skill_links:
            if sid not in skill_ids:
                out.error(
                    line,
                    f"unknown soft skill '{sid}': it is not in softskills/skills.yaml"
                    + did_you_mean(sid, skill_ids),
                )
    for mid, line in out.module_links:
        if mid not in module_ids:
            out.error(
                line,
                f"the module '{mid}' is not in any content file" + did_you_mean(mid, module_ids),
            )


def find_referentiels(root: Path) -> list[Path]:
    """The référentiel files: referentiels/*.yaml under the content root, sorted."""
    folder = root / "referentiels"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
