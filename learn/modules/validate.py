"""Checks across files: duplicates, easy-read pairs, variants in step, references between files."""

from __future__ import annotations

from dataclasses import dataclass, field

from .datafiles import DataFile
from .frontmatter import did_you_mean
from .model import Problem
from .parse import ParsedFile

SAME_KEYS = ("kind", "course", "skill", "level")


@dataclass
class Checker:
    """Collects the problems found across files."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, pf: ParsedFile | DataFile | str, line: int, message: str) -> None:
        """Record an error in a file (or at a path)."""
        path = pf if isinstance(pf, str) else pf.path
        self.problems.append(Problem(path, max(line, 1), "error", message))

    def warning(self, pf: ParsedFile | DataFile | str, line: int, message: str) -> None:
        """Record a warning in a file (or at a path)."""
        path = pf if isinstance(pf, str) else pf.path
        self.problems.append(Problem(path, max(line, 1), "warning", message))


def group_files(files: list[ParsedFile], checker: Checker) -> dict[str, list[ParsedFile]]:
    """Files with a variant, grouped by id; a second file for one id+lang+variant is an error."""
    groups: dict[str, list[ParsedFile]] = {}
    seen: dict[tuple[str, str, str], ParsedFile] = {}
    for pf in files:
        v = pf.variant
        if v is None:
            continue
        key = (v.id, v.lang, v.variant)
        if key in seen:
            checker.error(
                pf,
                pf.fm.lines.at("id"),
                f"'{v.id}' in {v.lang}, {v.variant} is "
                f"already in {seen[key].path}: give this file another id, lang or "
                "variant",
            )
            continue
        seen[key] = pf
        groups.setdefault(v.id, []).append(pf)
    return groups


def reference_of(group: list[ParsedFile], lang: str | None = None) -> ParsedFile:
    """The file others are compared with: the standard in `lang` (or French, or the first)."""
    for want_lang in (lang or "fr", "fr", None):
        for pf in group:
            if pf.variant.variant == "standard" and want_lang in (None, pf.variant.lang):
                return pf
    return group[0]


def _ids_msg(what: str, ref: ParsedFile, ref_ids: list[str], ids: list[str]) -> str:
    return (
        f"the {what} are not those of {ref.path} (same ids, in the same order): "
        f"there {', '.join(ref_ids) or 'none'}; here {', '.join(ids) or 'none'}"
    )


def _first_diff(ids: list[str], ref_ids: list[str]) -> int:
    for index, (a, b) in enumerate(zip(ids, ref_ids, strict=False)):
        if a != b:
            return index
    return min(len(ids), len(ref_ids))


def compare_questions(checker: Checker, pf: ParsedFile, ref: ParsedFile) -> None:
    """Same question ids, types, levels, option counts and right answers as the reference."""
    mine, theirs = pf.variant.questions, ref.variant.questions
    ids, ref_ids = [q.id for q in mine], [q.id for q in theirs]
    if ids != ref_ids:
        index = _first_diff(ids, ref_ids)
        line = mine[index].line if index < len(mine) else (mine[-1].line if mine else 1)
        checker.error(pf, line, _ids_msg("questions", ref, ref_ids, ids))
    by_id = {q.id: q for q in theirs}
    for q in mine:
        other = by_id.get(q.id)
        if other is None:
            continue
        where = f"question '{q.id}' of {ref.path}"
        if q.type != other.type:
            checker.error(pf, q.line, f"this question is {q.type}, but {where} is {other.type}")
        elif q.level != other.level:
            checker.error(
                pf, q.line, f"this question checks level={q.level}, {where} level={other.level}"
            )
        elif q.fixed != other.fixed:
            checker.error(
                pf,
                q.line,
                f"this question is {'' if q.fixed else 'not '}'fixed', but {where} is "
                f"{'' if other.fixed else 'not '}'fixed': every variant shows the options in "
                "the same way",
            )
        elif len(q.options) != len(other.options):
            checker.error(
                pf,
                q.line,
                f"this question has {len(q.options)} options, {where} has "
                f"{len(other.options)}: keep the same options in the same order",
            )
        elif [o.correct for o in q.options] != [o.correct for o in other.options]:
            right = ", ".join(o.id for o in other.options if o.correct) or "none"
            checker.error(
                pf,
                q.line,
                f"the correct options differ from {where} ({right}): keep "
                "the same options in the same order",
            )


def _compare_lists(checker, pf, ref, what: str, mine: list, theirs: list, fallback: int) -> None:
    ids, ref_ids = [x.id for x in mine], [x.id for x in theirs]
    if ids != ref_ids:
        index = _first_diff(ids, ref_ids)
        line = mine[index].line if index < len(mine) else fallback
        checker.error(pf, line, _ids_msg(what, ref, ref_ids, ids))


def compare_variant(checker: Checker, pf: ParsedFile, ref: ParsedFile, same_lang: bool) -> None:
    """Check that one file is in step with its reference file."""
    v, r = pf.variant, ref.variant
    lines = pf.fm.lines
    for key in SAME_KEYS:
        if getattr(v, key) != getattr(r, key) and getattr(v, key) is not None:
            checker.error(
                pf,
                lines.at(key),
                f"'{key}' is {getattr(v, key)!r} here but "
                f"{getattr(r, key)!r} in {ref.path}: every variant of a module has the "
                f"same {key}",
            )
    if sorted(v.prerequisites) != sorted(r.prerequisites):
        checker.error(pf, lines.at("prerequisites"), f"the prerequisites differ from {ref.path}")
    if v.quiz and r.quiz and v.quiz != r.quiz:
        checker.error(
            pf,
            lines.at("quiz"),
            f"the quiz rules differ from {ref.path}: every "
            "variant has the same mode, pass, attempts and shuffle",
        )
    _compare_lists(
        checker,
        pf,
        ref,
        "objectives",
        list(v.objectives),
        list(r.objectives),
        lines.at("objectives"),
    )
    if same_lang:
        _compare_lists(checker, pf, ref, "parts", list(v.sections), list(r.sections), 1)
    compare_questions(checker, pf, ref)
    if v.workshop and r.workshop:
        if v.workshop.id != r.workshop.id:
            checker.error(
                pf,
                v.workshop.line,
                f"the workshop id is '{v.workshop.id}' here but '{r.workshop.id}' in {ref.path}",
            )
        # Every variant has the prompts; only standard variants carry the rubric.
        parts = [("workshop prompts", "prompts")]
        if v.variant == "standard":
            parts.append(("rubric criteria", "rubric"))
        for what, attr in parts:
            mine, theirs = getattr(v.workshop, attr), getattr(r.workshop, attr)
            _compare_lists(checker, pf, ref, what, list(mine), list(theirs), v.workshop.line)
    elif bool(v.workshop) != bool(r.workshop):
        checker.error(
            pf,
            v.workshop.line if v.workshop else 1,
            f"the workshop is {'here but not' if v.workshop else 'missing here but'} in {ref.path}",
        )


def check_module_group(checker: Checker, group: list[ParsedFile]) -> None:
    """Easy-read pairs and variants in step, for the files of one module id."""
    kind = reference_of(group).variant.kind
    langs = dict.fromkeys(pf.variant.lang for pf in group)
    if kind == "module":
        for lang in langs:
            have = {pf.variant.variant: pf for pf in group if pf.variant.lang == lang}
            for present, missing in (("standard", "easy"), ("easy", "standard")):
                if present in have and missing not in have:
                    pf = have[present]
                    name = "easy-read" if missing == "easy" else "standard"
                    checker.error(
                        pf,
                        pf.fm.lines.at("variant"),
                        f"'{pf.variant.id}' has no "
                        f"{name} variant in '{lang}': add a file with the same id, "
                        f"'lang: {lang}' and 'variant: {missing}'",
                    )
    top = reference_of(group)
    for pf in group:
        if pf is top:
            continue
        if pf.variant.variant == "standard":
            compare_variant(checker, pf, top, same_lang=pf.variant.lang == top.variant.lang)
        else:
            local = reference_of(group, pf.variant.lang)
            if local.variant.variant == "standard" and local.variant.lang == pf.variant.lang:
                compare_variant(checker, pf, local, same_lang=True)
            else:
                compare_variant(checker, pf, top, same_lang=pf.variant.lang == top.variant.lang)


def check_references(
    checker: Checker,
    groups: dict[str, list[ParsedFile]],
    course_ids: set[str],
    skills: DataFile | None,
) -> None:
    """Courses, skills, prerequisites and module: links point to things that exist."""
    modules = {mid: g for mid, g in groups.items() if reference_of(g).variant.kind == "module"}
    skill_ids = set(skills.skill_lines) if skills else None
    for group in groups.values():
        for pf in group:
            v, lines = pf.variant, pf.fm.lines
            if v.course and v.course not in course_ids:
                checker.error(
                    pf,
                    lines.at("course"),
                    f"unknown course '{v.course}': "
                    + " or ".join(sorted(course_ids))
                    + did_you_mean(v.course, course_ids),
                )
            if v.skill and skill_ids is not None and v.skill not in skill_ids:
                checker.error(
                    pf,
                    lines.at("skill"),
                    f"unknown skill '{v.skill}': it is not in "
                    "softskills/skills.yaml" + did_you_mean(v.skill, skill_ids),
                )
            for pid, line in pf.fm.prerequisites:
                if pid == v.id:
                    checker.error(pf, line, "a module cannot be its own prerequisite")
                elif pid not in modules:
                    checker.error(
                        pf,
                        line,
                        f"the prerequisite '{pid}' is not a module" + did_you_mean(pid, modules),
                    )
            for line, target, anchor in pf.module_links:
                if target not in modules:
                    checker.error(
                        pf,
                        line,
                        f"the link 'module:{target}' leads to no module"
                        + did_you_mean(target, modules),
                    )
                elif anchor and not any(x.variant.section(anchor) for x in modules[target]):
                    checker.error(pf, line, f"the module '{target}' has no part '#{anchor}'")
    _check_cycles(checker, modules)


def _check_cycles(checker: Checker, modules: dict[str, list[ParsedFile]]) -> None:
    edges = {
        mid: [p for p in reference_of(g).variant.prerequisites if p in modules]
        for mid, g in modules.items()
    }
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if state.get(start):
            continue
        state[start] = 1
        stack = [(start, iter(edges[start]))]
        path = [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                loop = path[path.index(child) :] + [child]
                pf = reference_of(modules[node])
                line = next((ln for pid, ln in pf.fm.prerequisites if pid == child), 1)
                checker.error(pf, line, "the prerequisites make a loop: " + " → ".join(loop))
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(edges[child])))
                path.append(child)


def check_courses(
    checker: Checker,
    groups: dict[str, list[ParsedFile]],
    skills: DataFile | None,
    courses: list[DataFile],
) -> None:
    """Soft-skills levels and placements are unique; each course.yaml names existing modules."""
    taken: dict[tuple[str, int], list[ParsedFile]] = {}
    singles: dict[tuple[str, str], list[ParsedFile]] = {}
    for group in groups.values():
        ref = reference_of(group)
        v = ref.variant
        if v.kind == "module" and v.course == "softskills" and v.skill and v.level:
            taken.setdefault((v.skill, v.level), []).append(ref)
        if v.kind in ("placement", "guide") and v.skill:
            singles.setdefault((v.kind, v.skill), []).append(ref)
    for (skill, level), refs in taken.items():
        for ref in refs if len(refs) > 1 else ():
            others = ", ".join(f"'{r.variant.id}'" for r in refs if r is not ref)
            checker.error(
                ref,
                ref.fm.lines.at("level"),
                f"{others} is also level {level} of the skill '{skill}': one module per level",
            )
    for (kind, skill), refs in singles.items():
        for ref in refs if len(refs) > 1 else ():
            others = ", ".join(f"'{r.variant.id}'" for r in refs if r is not ref)
            checker.error(
                ref, ref.fm.lines.at("id"), f"the skill '{skill}' has another {kind}: {others}"
            )
    if skills is not None:
        if len(skills.skill_lines) != 20 and skills.skill_lines:
            checker.warning(
                skills,
                skills.lines.at("skills"),
                f"the programme has 20 soft skills; skills.yaml lists {len(skills.skill_lines)}",
            )
        for sid, line in skills.skill_lines.items():
            missing = [f"level {n}" for n in (1, 2, 3, 4) if (sid, n) not in taken]
            missing += [kind for kind in ("placement", "guide") if (kind, sid) not in singles]
            if missing:
                checker.warning(skills, line, f"the skill '{sid}' has no {', '.join(missing)} yet")
    for course in courses:
        if course.course is not None:
            _check_course_file(checker, groups, course)


def _check_course_file(checker: Checker, groups: dict[str, list[ParsedFile]], course: DataFile):
    cid = course.course.id
    for mid, line in course.module_lines.items():
        group = groups.get(mid)
        if group is None:
            checker.error(
                course,
                line,
                f"the module '{mid}' is not in any content file" + did_you_mean(mid, groups),
            )
        elif reference_of(group).variant.course != cid:
            checker.error(
                course,
                line,
                f"the module '{mid}' belongs to the course "
                f"'{reference_of(group).variant.course}', not '{cid}'",
            )
    for mid, group in groups.items():
        ref = reference_of(group)
        if (
            ref.variant.kind == "module"
            and ref.variant.course == cid
            and mid not in course.module_lines
        ):
            checker.warning(
                ref,
                ref.fm.lines.at("course"),
                f"'{mid}' is not listed in {course.path}: learners will not find it",
            )
