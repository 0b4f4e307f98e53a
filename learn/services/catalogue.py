"""The catalogue as a learner browses it: per course, its skills with their level modules (soft
skills) or its modules, narrowed by a search that ignores case and accents."""

from __future__ import annotations

from dataclasses import dataclass

from learn.modules import normalize_text

MAX_QUERY = 100


@dataclass(frozen=True)
class SkillEntry:
    skill: object  # learn.modules.Skill
    module_ids: tuple[str, ...]


@dataclass(frozen=True)
class CourseEntry:
    course: object  # learn.modules.Course
    skills: tuple[SkillEntry, ...] = ()
    module_ids: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many modules (or skills without a module yet) the entry lists."""
        return len(self.module_ids) + sum(max(1, len(s.module_ids)) for s in self.skills)


def _servable(catalog, module_id: str) -> bool:
    module = catalog.modules.get(module_id)
    return module is not None and module.valid


def _found(words: list[str], *texts: str) -> bool:
    haystack = normalize_text(" ".join(t for t in texts if t))
    return all(word in haystack for word in words)


def _module_texts(catalog, module_id: str, lang: str) -> tuple[str, ...]:
    module = catalog.modules[module_id]
    return (module.title(lang), module.title("fr"), module_id)


def browse(catalog, lang: str, query: str = "") -> list[CourseEntry]:
    """Every course with what it holds; with a query, only the skills whose name or definition
    match (with all their modules) and the modules whose title matches, in either language."""
    words = normalize_text((query or "")[:MAX_QUERY]).split()
    entries = []
    for course in catalog.courses:
        if course.id == "softskills":
            skills = []
            for skill in catalog.skills:
                modules = tuple(
                    f"{skill.id}-{level.level}"
                    for level in skill.levels
                    if _servable(catalog, f"{skill.id}-{level.level}")
                )
                if words and not _found(
                    words, skill.title.get(lang), skill.title.get("fr"), skill.definition.get(lang)
                ):
                    modules = tuple(
                        m for m in modules if _found(words, *_module_texts(catalog, m, lang))
                    )
                    if not modules:
                        continue
                skills.append(SkillEntry(skill, modules))
            if skills or not words:
                entries.append(CourseEntry(course, skills=tuple(skills)))
        else:
            modules = tuple(
                m
                for m in course.module_ids
                if _servable(catalog, m)
                and (not words or _found(words, *_module_texts(catalog, m, lang)))
            )
            if modules or not words:
                entries.append(CourseEntry(course, module_ids=modules))
    return entries
