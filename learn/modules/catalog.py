"""Load a whole content tree into a Catalog: parse, check across files, decide what is served."""

from __future__ import annotations

import os
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .datafiles import DataFile, load_course, load_skills, load_syllables
from .model import (
    DEFAULT_LANG,
    EMPTY_MAP,
    Course,
    Module,
    ModuleVariant,
    Problem,
    Skill,
    frozen_map,
)
from .parse import ParsedFile, parse_file
from .referentiels import (
    Referentiel,
    ReferentielFile,
    check_links,
    find_referentiels,
    load_referentiel,
)
from .render import Renderer
from .translations import check_translations
from .validate import (
    Checker,
    check_courses,
    check_module_group,
    check_references,
    group_files,
    reference_of,
)

SKILLS_FILE = ("softskills", "skills.yaml")
COURSE_FILE = ("entrepreneurship", "course.yaml")
SYLLABLES_FILE = ("softskills", "syllables.yaml")
KNOWN_COURSES = ("softskills", "entrepreneurship")
METIERS_FOLDER = "metiers"  # one course per job: metiers/<job>/course.yaml, id metier-<job>
METIER_PREFIX = "metier-"


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything under content/, parsed and checked. Only servable variants are returned by
    `variant()`, `placements` and `guides`; `modules` lists every module, servable or not."""

    root: str
    courses: tuple[Course, ...] = ()
    skills: tuple[Skill, ...] = ()
    modules: Mapping[str, Module] = field(default_factory=lambda: EMPTY_MAP)
    # skill id -> (lang, variant) -> the questionnaire (guides alike, by skill or course id)
    placements: Mapping[str, Mapping[tuple[str, str], ModuleVariant]] = field(
        default_factory=lambda: EMPTY_MAP
    )
    guides: Mapping[str, Mapping[tuple[str, str], ModuleVariant]] = field(
        default_factory=lambda: EMPTY_MAP
    )
    problems: tuple[Problem, ...] = ()
    syllables: Mapping[str, Mapping[str, tuple[str, ...]]] = field(
        default_factory=lambda: EMPTY_MAP
    )
    files: tuple[str, ...] = ()
    # the job référentiels without errors, in file-name order
    referentiels: tuple[Referentiel, ...] = ()

    @property
    def errors(self) -> int:
        """How many errors."""
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many warnings."""
        return sum(not p.is_error for p in self.problems)

    def course(self, course_id: str) -> Course | None:
        """The course with this id, or None."""
        return next((c for c in self.courses if c.id == course_id), None)

    def metier_courses(self) -> list[Course]:
        """The job courses (content/metiers/<job>/), in folder order."""
        return [c for c in self.courses if c.id.startswith(METIER_PREFIX)]

    def referentiel(self, referentiel_id: str) -> Referentiel | None:
        """The job référentiel with this id (without errors), or None."""
        return next((r for r in self.referentiels if r.id == referentiel_id), None)

    def referentiels_for_module(self, module_id: str) -> list[Referentiel]:
        """The référentiels with a competence that this module trains."""
        return [r for r in self.referentiels if module_id in r.module_ids]

    def skill(self, skill_id: str) -> Skill | None:
        """The skill with this id, or None."""
        return next((s for s in self.skills if s.id == skill_id), None)

    def module(self, module_id: str) -> Module | None:
        """The module with this id (servable or not), or None."""
        return self.modules.get(module_id)

    def is_valid(self, module_id: str, lang: str | None = None) -> bool:
        """Whether the module can be served (in `lang`, or in at least one language)."""
        module = self.modules.get(module_id)
        if module is None:
            return False
        return lang in module.servable_langs if lang else module.valid

    def variant(
        self,
        module_id: str,
        lang: str = DEFAULT_LANG,
        variant: str = "standard",
        preview: bool = False,
    ) -> ModuleVariant | None:
        """The servable variant: lang+variant, else the other variant in lang, else French.

        A `machine` translation is skipped (learners are served `reviewed` or better) unless
        `preview` (staff only): the page then says it is an unreviewed machine translation."""
        module = self.modules.get(module_id)
        if module is None:
            return None
        other = "easy" if variant == "standard" else "standard"
        for key in ((lang, variant), (lang, other), (DEFAULT_LANG, variant), (DEFAULT_LANG, other)):
            found = module.variants.get(key)
            if key[0] in module.servable_langs and found and (preview or found.for_learners):
                return found
        for (vlang, _), found in module.variants.items():
            if vlang in module.servable_langs and (preview or found.for_learners):
                return found
        return None

    def modules_for_skill(self, skill_id: str, include_invalid: bool = False) -> list[Module]:
        """The modules of a soft skill, by level."""
        found = [m for m in self.modules.values() if m.skill == skill_id]
        return sorted(
            (m for m in found if include_invalid or m.valid), key=lambda m: (m.level or 0, m.id)
        )

    def course_modules(self, course_id: str, include_invalid: bool = False) -> list[Module]:
        """The modules of a course in the order learners follow them."""
        course = self.course(course_id)
        if course is None:
            return []
        found = (self.modules.get(mid) for mid in course.module_ids)
        return [m for m in found if m is not None and (include_invalid or m.valid)]

    def placement(
        self,
        skill_id: str,
        lang: str = DEFAULT_LANG,
        variant: str = "standard",
        preview: bool = False,
    ) -> ModuleVariant | None:
        """The placement questionnaire of a skill in `lang` and `variant` (easy-read or standard),
        else the other variant, else in French; a `machine` translation only when `preview`."""
        return _pick(self.placements.get(skill_id, {}), lang, variant, preview)

    def guide(
        self, skill_id: str, lang: str = DEFAULT_LANG, preview: bool = False
    ) -> ModuleVariant | None:
        """The trainer guide of a skill (or of a course) in `lang`, else in French; a `machine`
        translation only when `preview`."""
        return _pick(self.guides.get(skill_id, {}), lang, "standard", preview)

    def asset_path(self, module_id: str, filename: str) -> Path | None:
        """The file behind `<asset_url_prefix>/<module_id>/<filename>`, if a variant uses it."""
        module = self.modules.get(module_id)
        groups = [module.variants.values()] if module else []
        groups += [
            by_lang.values() for by_lang in (*self.placements.values(), *self.guides.values())
        ]
        for variants in groups:
            for v in variants:
                if v.id == module_id and filename in v.assets:
                    return Path(v.path).parent / filename
        return None


def find_files(root: Path) -> list[Path]:
    """The Markdown content files under root (not README.md, nothing hidden), sorted."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            if name.endswith(".md") and name != "README.md" and not name.startswith("."):
                found.append(Path(folder) / name)
    return found


def _safe_parse(file: Path, display: str, renderer: Renderer) -> ParsedFile:
    try:
        return parse_file(file, display, renderer)
    except Exception as exc:  # a bug must not take the whole catalogue down; it is reported
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = (
            f"internal error while reading this file ({type(exc).__name__}: {exc} at "
            f"{Path(where.filename).name}:{where.lineno}); please report it"
        )
        return ParsedFile(display, file, [Problem(display, 1, "error", message)])


_WORKER_RENDERER: Renderer | None = None


def _parse_chunk(job: tuple[list[Path], str, str]) -> list[ParsedFile]:
    """Parse some files in a worker process (one Renderer per process)."""
    global _WORKER_RENDERER
    files, asset_prefix, module_prefix = job
    if _WORKER_RENDERER is None or (
        _WORKER_RENDERER.asset_url_prefix,
        _WORKER_RENDERER.module_url_prefix,
    ) != (asset_prefix.rstrip("/"), module_prefix.rstrip("/")):
        _WORKER_RENDERER = Renderer(asset_prefix, module_prefix)
    return [_safe_parse(f, str(f), _WORKER_RENDERER) for f in files]


def parse_files(files: list[Path], asset_prefix: str, module_prefix: str, workers: int):
    """Parse files, in `workers` processes when asked and worth it (parsing is CPU-bound)."""
    if workers <= 1 or len(files) < 8 * workers:
        renderer = Renderer(asset_prefix, module_prefix)
        return [_safe_parse(f, str(f), renderer) for f in files]
    from concurrent.futures import ProcessPoolExecutor

    chunks = [files[i :: workers * 4] for i in range(workers * 4)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parsed = pool.map(_parse_chunk, [(c, asset_prefix, module_prefix) for c in chunks])
        by_path = {pf.path: pf for chunk in parsed for pf in chunk}
    return [by_path[str(f)] for f in files]


def _data_file(root: Path, parts, loader, checker: Checker, required: bool) -> DataFile | None:
    file = root.joinpath(*parts)
    if file.is_file():
        return loader(file, str(file))
    if required and (root / parts[0]).is_dir():
        checker.error(str(file), 1, f"the file {'/'.join(parts)} is missing")
    return None


def load_catalog(
    path: str | os.PathLike,
    asset_url_prefix: str = "/content-assets",
    module_url_prefix: str = "/modules",
    workers: int = 1,
) -> Catalog:
    """Parse, check and render the content tree at `path`; problems are in `catalog.problems`.

    `workers` > 1 parses in that many processes: for the command line and big trees, not inside
    a threaded web server (a fork there is unsafe)."""
    root = Path(path)
    checker = Checker()
    skills = _data_file(root, SKILLS_FILE, load_skills, checker, required=True)
    course = _data_file(root, COURSE_FILE, load_course, checker, required=True)
    syllables = _data_file(root, SYLLABLES_FILE, load_syllables, checker, required=False)
    metiers = _metier_courses(root, checker)
    paths = find_files(root) if root.is_dir() else []
    files = parse_files(paths, asset_url_prefix, module_url_prefix, workers)
    if not root.is_dir():
        checker.error(str(root), 1, "the content folder does not exist")
    groups = group_files(files, checker)
    for group in groups.values():
        check_module_group(checker, group)
    check_translations(checker, files)
    course_ids = set(KNOWN_COURSES) | {m.course.id for m in metiers if m.course}
    check_references(checker, groups, course_ids, skills)
    check_courses(checker, groups, skills, [c for c in (course, *metiers) if c is not None])
    referentiels = _referentiels(root, groups, skills)
    data_files = [d for d in (skills, course, syllables, *metiers) if d is not None]
    data_files += referentiels
    problems = [p for pf in files for p in pf.problems] + checker.problems
    problems += [p for d in data_files for p in d.problems]
    problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.severity, p.message))
    erroneous = {p.path for p in problems if p.is_error}
    modules, placements, guides = _assemble(groups, problems, erroneous)
    courses = _courses(skills, course, modules) + tuple(m.course for m in metiers if m.course)
    return Catalog(
        root=str(root),
        courses=courses,
        skills=tuple(skills.skills) if skills else (),
        modules=frozen_map(modules),
        placements=frozen_map(placements),
        guides=frozen_map(guides),
        problems=tuple(problems),
        syllables=frozen_map(syllables.syllables) if syllables else EMPTY_MAP,
        files=tuple(d.path for d in data_files) + tuple(pf.path for pf in files),
        referentiels=tuple(
            r.referentiel for r in referentiels if r.referentiel and r.path not in erroneous
        ),
    )


def _metier_courses(root: Path, checker: Checker) -> list[DataFile]:
    """The course.yaml of every job folder under metiers/ (id metier-<folder>)."""
    folder = root / METIERS_FOLDER
    found = []
    for job in sorted(folder.iterdir()) if folder.is_dir() else ():
        if not job.is_dir() or job.name.startswith((".", "_")):
            continue
        file = job / "course.yaml"
        if file.is_file():
            found.append(load_course(file, str(file), METIER_PREFIX + job.name))
        else:
            checker.error(
                str(file), 1, f"the file {METIERS_FOLDER}/{job.name}/course.yaml is missing"
            )
    return found


def _referentiels(root: Path, groups, skills: DataFile | None) -> list[ReferentielFile]:
    """Every référentiel file, read and checked against the skills and modules."""
    module_ids = {mid for mid, g in groups.items() if reference_of(g).variant.kind == "module"}
    skill_ids = set(skills.skill_lines) if skills else None
    loaded = []
    for file in find_referentiels(root):
        try:
            out = load_referentiel(file, str(file))
            check_links(out, skill_ids, module_ids)
        except Exception as exc:  # a bug must not take the whole catalogue down; it is reported
            out = ReferentielFile(str(file))
            out.error(
                1,
                f"internal error while reading this file ({type(exc).__name__}: {exc}); "
                "please report it",
            )
        loaded.append(out)
    return loaded


def _pick(by_key, lang: str, variant: str, preview: bool = False) -> ModuleVariant | None:
    other = "easy" if variant == "standard" else "standard"
    for key in ((lang, variant), (lang, other), (DEFAULT_LANG, variant), (DEFAULT_LANG, other)):
        found = by_key.get(key)
        if found is not None and (preview or found.for_learners):
            return found
    return None


def _assemble(groups, problems, erroneous):
    modules, placements, guides = {}, {}, {}
    for mid, group in groups.items():
        ref = reference_of(group).variant
        paths = {pf.path for pf in group}
        langs = dict.fromkeys(pf.variant.lang for pf in group)
        servable = frozenset(
            lang
            for lang in langs
            if not any(pf.path in erroneous for pf in group if pf.variant.lang == lang)
        )
        if ref.kind == "module":
            modules[mid] = Module(
                id=mid,
                kind=ref.kind,
                course=ref.course,
                skill=ref.skill,
                level=ref.level,
                variants=frozen_map((pf.variant.key, pf.variant) for pf in group),
                problems=tuple(p for p in problems if p.path in paths),
                servable_langs=servable,
            )
            continue
        target = placements if ref.kind == "placement" else guides
        key = ref.skill or ref.course
        by_key = target.setdefault(key, {})
        for pf in group:
            if pf.variant.lang in servable:
                by_key[(pf.variant.lang, pf.variant.variant)] = pf.variant
    return (
        modules,
        {k: frozen_map(v) for k, v in placements.items()},
        {k: frozen_map(v) for k, v in guides.items()},
    )


def _courses(skills: DataFile | None, course: DataFile | None, modules) -> tuple[Course, ...]:
    courses = []
    if skills and skills.course:
        c = skills.course
        ordered = sorted(
            (m for m in modules.values() if m.course == c.id and m.skill in skills.skill_lines),
            key=lambda m: (list(skills.skill_lines).index(m.skill), m.level or 0, m.id),
        )
        ids = tuple(m.id for m in ordered)
        courses.append(Course(c.id, c.title, c.description, ids, c.path))
    if course and course.course:
        courses.append(course.course)
    return tuple(courses)
