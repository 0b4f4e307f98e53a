"""Read one Markdown content file into a ModuleVariant, collecting every problem on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .blockparse import (
    glossary_html,
    parse_activity,
    parse_glossary,
    parse_selfcheck,
    parse_workshop,
)
from .blocks import Block, scan_body
from .body import render_parts, scan_parts
from .frontmatter import KIND_NAMES, FrontMatter, check_front_matter, split_front_matter
from .keys import key_warnings
from .lint import check_html, check_italics, lint_easy
from .model import ModuleVariant, Problem, Question, frozen_map
from .pictograms import check_pictograms
from .questions import parse_question
from .refs import check_refs
from .render import Renderer
from .versions import file_version, question_fingerprint

MIN_QUIZ = 5
PLACEMENT_LEVELS = ("level-1", "level-2", "level-3")


class FileContext:
    """Where the parts of the parser report problems and render text, for one file."""

    def __init__(self, path: str, renderer: Renderer):
        self.path = path
        self.renderer = renderer
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        """Report an error at `line` of this file."""
        self.problems.append(Problem(self.path, max(line, 1), "error", message))

    def warning(self, line: int, message: str) -> None:
        """Report a warning at `line` of this file."""
        self.problems.append(Problem(self.path, max(line, 1), "warning", message))

    def add(self, found) -> None:
        """Report (line, severity, message) triples."""
        for line, severity, message in found:
            self.problems.append(Problem(self.path, max(line, 1), severity, message))

    def inline(self, text: str) -> str:
        """Render a short text (no outer paragraph)."""
        return self.renderer.inline(text)

    def block(self, text: str) -> str:
        """Render Markdown paragraphs."""
        return self.renderer.block(text)

    def sanitize(self, html: str) -> str:
        """Sanitise HTML built by the parser."""
        return self.renderer.sanitize(html)


@dataclass
class ParsedFile:
    """A parsed file: its problems, and its variant when the id, lang and variant are known."""

    path: str
    file: Path
    problems: list[Problem]
    variant: ModuleVariant | None = None
    fm: FrontMatter | None = None
    module_links: list[tuple[int, str, str]] = field(default_factory=list)


def parse_file(file: Path, display: str, renderer: Renderer) -> ParsedFile:
    """Parse and check one content file; never raises on bad content."""
    ctx = FileContext(display, renderer)
    result = ParsedFile(display, file, ctx.problems)
    try:
        data = file.read_bytes()
    except OSError as exc:
        ctx.error(1, f"the file cannot be read: {exc.strerror}")
        return result
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        ctx.error(
            data[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text: save it as UTF-8"
        )
        return result
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    yaml_text, yaml_first, body_lines, body_first, problem = split_front_matter(text)
    if problem or yaml_text is None:
        ctx.error(1, problem or "missing front matter")
        return result
    fm = check_front_matter(yaml_text, yaml_first)
    result.fm = fm
    ctx.add(fm.problems)
    renderer.module_id = fm.id or ""
    renderer.easy = fm.variant == "easy"
    renderer.lang = fm.lang or ""
    body = scan_body(body_lines, body_first)
    for line, message in body.problems:
        ctx.error(line, message)
    _build(ctx, result, fm, body, file, file_version(data))
    return result


def _blocks_by_type(ctx: FileContext, fm: FrontMatter, blocks: list[Block]) -> dict[str, list]:
    by_type: dict[str, list[Block]] = {}
    for block in blocks:
        by_type.setdefault(block.type, []).append(block)
    for kind in ("glossary", "activity", "workshop", "selfcheck"):
        for extra in by_type.get(kind, [])[1:]:
            ctx.error(
                extra.line,
                f"only one {kind} block per file (the first is on line {by_type[kind][0].line})",
            )
    forbidden = {
        "guide": ("question", "activity", "workshop", "selfcheck"),
        "placement": ("activity", "workshop"),
    }.get(fm.kind, ())
    for kind in forbidden:
        for block in by_type.pop(kind, []):
            ctx.error(block.line, f"{KIND_NAMES[fm.kind]} has no {kind} block")
    return by_type


def _glossary_words(glossary: dict) -> set[str]:
    words = set()
    for term, _, _ in glossary.values():
        words.add(term)
        words.update(re.findall(r"[^\W\d_]+", term))
    return words


def _build(ctx, result: ParsedFile, fm: FrontMatter, body, file: Path, version: str) -> None:
    by_type = _blocks_by_type(ctx, fm, body.blocks)
    glossary = parse_glossary(by_type["glossary"][0], ctx) if "glossary" in by_type else {}
    parts = scan_parts(body.text)
    ctx.add(parts.problems)
    block_lines = [line for block in body.blocks for line in block.lines]
    all_lines = body.text + block_lines
    refs = check_refs(all_lines, file.parent, {h.id for h in parts.heads}, set(glossary))
    ctx.add(refs.problems)
    result.module_links = refs.module_links
    ctx.add(check_html(all_lines))
    ctx.add(check_pictograms(all_lines, ctx.renderer.pictures, fm.variant == "easy"))
    if fm.variant == "easy":
        front = [(fm.lines.at("title"), fm.title)] + [(o.line, o.text) for o in fm.objectives]
        ctx.add(lint_easy(front + all_lines, _glossary_words(glossary), fm.lang or "fr"))
    else:
        ctx.add(check_italics(all_lines, "warning"))
    intro_html, intro_words, sections, html = render_parts(body.text, parts.heads, ctx.renderer)
    questions = _questions(ctx, fm, by_type.get("question", []))
    selfcheck = parse_selfcheck(by_type["selfcheck"][0], ctx) if "selfcheck" in by_type else ()
    if fm.loaded:  # else these checks would only repeat that the front matter is unreadable
        _check_quiz(ctx, fm, questions, by_type.get("question", []))
        if fm.kind in ("module", "placement"):
            for line, message in key_warnings(questions):
                ctx.warning(line, message)
        _check_selfcheck(ctx, fm, selfcheck, by_type)
    if parts.heads and questions and parts.heads[-1].line > questions[0].line:
        ctx.warning(parts.heads[-1].line, "put the questions at the end, after the last part")
    if fm.kind == "module" and fm.level and fm.level >= 2 and "activity" not in by_type:
        ctx.warning(
            fm.lines.at("level"),
            "from level 2, a module has a workplace activity ('::: activity' block)",
        )
    if fm.kind == "module" and fm.course == "entrepreneurship" and "workshop" not in by_type:
        ctx.warning(
            fm.lines.at("course"),
            "a module of this course ends with a workshop ('::: workshop id' block)",
        )
    activity = parse_activity(by_type["activity"][0], ctx) if "activity" in by_type else ""
    workshop = parse_workshop(by_type["workshop"][0], ctx) if "workshop" in by_type else None
    if workshop and workshop.rubric and fm.variant == "easy":
        ctx.error(
            workshop.rubric[0].line,
            "the rubric is for the trainer: write it in the standard variant only (the trainer "
            "sees it beside the answers of either variant)",
        )
    definitions = glossary_html(glossary, ctx)
    if not (fm.id and fm.lang and fm.variant):
        return
    result.variant = ModuleVariant(
        id=fm.id,
        kind=fm.kind,
        title=fm.title,
        lang=fm.lang,
        variant=fm.variant,
        course=fm.course or "",
        skill=fm.skill,
        level=fm.level,
        minutes=fm.minutes,
        objectives=tuple(fm.objectives),
        prerequisites=tuple(pid for pid, _ in fm.prerequisites),
        sources=tuple(fm.sources),
        quiz=fm.quiz,
        intro_html=intro_html,
        intro_words=intro_words,
        sections=sections,
        questions=tuple(questions),
        glossary=frozen_map((t, d) for t, d, _ in glossary.values()),
        glossary_html=definitions,
        activity_html=activity,
        workshop=workshop,
        selfcheck=selfcheck,
        html=html,
        assets=frozenset(refs.assets),
        path=result.path,
        version=version,
        question_versions=frozen_map((q.id, question_fingerprint(q)) for q in questions),
        translation=fm.translation,
    )


def _questions(ctx, fm: FrontMatter, blocks: list[Block]) -> list[Question]:
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for block in blocks:
        question = parse_question(block, ctx, placement=fm.kind == "placement")
        if question is None:
            continue
        if question.id in seen:
            ctx.error(
                block.line,
                f"the question id '{question.id}' is used twice (also on line {seen[question.id]})",
            )
            continue
        seen[question.id] = block.line
        questions.append(question)
    return questions


def _check_quiz(ctx, fm: FrontMatter, questions: list[Question], blocks: list[Block]) -> None:
    if fm.kind == "placement":
        if not 3 <= len(blocks) <= 6:
            ctx.error(
                blocks[0].line if blocks else fm.lines.at("kind"),
                f"a placement questionnaire has 3 to 6 questions, not {len(blocks)}",
            )
        return
    if fm.kind != "module":
        return
    if blocks and not fm.has_quiz_key:
        ctx.error(
            blocks[0].line,
            "the file has questions but no 'quiz' key in its front matter (quiz: mode and pass)",
        )
    if fm.has_quiz_key and not blocks:
        ctx.error(fm.lines.at("quiz"), "'quiz' is set but the file has no '::: question' block")
    if fm.quiz and fm.quiz.pass_total is not None and blocks and fm.quiz.pass_total != len(blocks):
        ctx.error(
            fm.lines.at("quiz", "pass"),
            f"quiz 'pass' {fm.quiz.pass_label}: n must be the number of questions, {len(blocks)}",
        )
    if len(blocks) < MIN_QUIZ:
        line = blocks[0].line if blocks else fm.lines.at("quiz") if fm.has_quiz_key else 1
        ctx.warning(line, f"a module's quiz has at least {MIN_QUIZ} questions, not {len(blocks)}")


def _check_selfcheck(ctx, fm: FrontMatter, items, by_type: dict) -> None:
    if fm.kind == "guide":
        return
    if "selfcheck" not in by_type:
        where = fm.lines.at("objectives") if fm.kind == "module" else fm.lines.at("kind")
        what = (
            "'[o1] I can...' per objective" if fm.kind == "module" else "'[level-1]' to '[level-3]'"
        )
        ctx.error(where, f"{KIND_NAMES[fm.kind]} closes with a '::: selfcheck' block ({what})")
        return
    line = by_type["selfcheck"][0].line
    if fm.kind == "placement":
        wanted = list(PLACEMENT_LEVELS)
        hint = "level-1, level-2 or level-3"
    else:
        wanted = [o.id for o in fm.objectives]
        hint = "an objective id: " + (", ".join(wanted) or "none is defined")
    for item in items:
        if item.id not in wanted:
            ctx.error(item.line, f"'[{item.id}]' is not {hint}")
    have = {item.id for item in items}
    for missing in wanted:
        if missing not in have:
            ctx.error(line, f"the selfcheck has no statement '[{missing}]'")
