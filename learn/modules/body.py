"""The Markdown text of a file: its parts (`## Title {#id}`), rendered once into sections.

The whole-body HTML (`ModuleVariant.html`) is the intro followed by one wrapper per part:
`<section aria-labelledby="<id>" class="part"><h2 id="<id>">Title</h2>...</section>`
(attributes in the order the sanitiser writes them, so sanitising it again changes nothing).
Blocks (questions, activity, workshop, glossary, selfcheck) are not in it: they have their own
fields, which the app places after the parts.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .frontmatter import is_id
from .lint import plain_text
from .model import Section
from .render import Renderer, count_words

Line = tuple[int, str]

HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
BRACES_RE = re.compile(r"\s*\{([^{}]*)\}\s*$")
ID_IN_BRACES_RE = re.compile(r"^\s*:?\s*#([^\s}]+)\s*$")
SETEXT_RE = re.compile(r"^ {0,3}(=+|-{2,})[ \t]*$")
NOT_PARAGRAPH_RE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||>|#|!!!|$)")
SENTINEL = "PARCOURSPARTBREAK7F3A"


@dataclass
class PartHead:
    """A `## Title {#id}` heading."""

    id: str
    title: str
    line: int


@dataclass
class Parts:
    """The part headings of a file and their problems."""

    heads: list[PartHead] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def scan_parts(lines: list[Line]) -> Parts:
    """Find the `##` part headings and check them."""
    parts = Parts()
    seen: dict[str, int] = {}
    previous = ""
    for n, raw in lines:
        if SETEXT_RE.match(raw) and previous.strip() and not NOT_PARAGRAPH_RE.match(previous):
            parts.problems.append(
                (
                    n,
                    "error",
                    "this line makes the line above a heading without "
                    "an id: start a part with '## Title {#id}', or leave a blank "
                    "line before the separator",
                )
            )
        previous = raw
        m = HEADING_RE.match(raw)
        if not m:
            continue
        level, text = len(m.group(1)), (m.group(2) or "").rstrip("#").rstrip()
        if level == 1:
            parts.problems.append(
                (
                    n,
                    "warning",
                    "the title comes from the front matter: start a part with '## Title {#id}'",
                )
            )
        if level != 2:
            continue
        braces = BRACES_RE.search(text)
        ident = ID_IN_BRACES_RE.match(braces.group(1)) if braces else None
        if not braces:
            parts.problems.append(
                (
                    n,
                    "error",
                    "a part heading ends with its id in braces, like '## Au travail {#au-travail}'",
                )
            )
            continue
        if not ident:
            parts.problems.append(
                (n, "error", "the braces of a part heading hold only its id, like {#au-travail}")
            )
            continue
        part_id, title = ident.group(1), text[: braces.start()].strip()
        if not is_id(part_id):
            parts.problems.append(
                (
                    n,
                    "error",
                    f"the part id '{part_id}' is not valid: use "
                    "lower-case letters, digits and dashes",
                )
            )
            continue
        if part_id.startswith("gloss-"):
            parts.problems.append((n, "error", "part ids may not start with 'gloss-'"))
            continue
        if part_id in seen:
            parts.problems.append(
                (
                    n,
                    "error",
                    f"the part id '{part_id}' is used twice (also on line {seen[part_id]})",
                )
            )
            continue
        if not title:
            parts.problems.append((n, "error", "this part heading has no title"))
        seen[part_id] = n
        parts.heads.append(PartHead(part_id, plain_text(title).strip(), n))
    return parts


def render_parts(
    lines: list[Line], heads: list[PartHead], renderer: Renderer
) -> tuple[str, int, tuple[Section, ...], str]:
    """(intro HTML, intro words, sections, whole-body HTML), rendered in one Markdown pass."""
    starts = {h.line for h in heads}
    chunks: list[str] = []
    for n, raw in lines:
        if n in starts:
            chunks.append(f"\n{SENTINEL}\n")
        chunks.append(raw)
    pieces = renderer.markdown("\n".join(chunks)).split(f"<p>{SENTINEL}</p>")
    if len(pieces) != len(heads) + 1:  # should not happen; render the parts one by one instead
        pieces = [renderer.markdown(_between(lines, None, heads[0].line if heads else None))]
        for index, head in enumerate(heads):
            end = heads[index + 1].line if index + 1 < len(heads) else None
            pieces.append(renderer.markdown(_between(lines, head.line, end)))
    intro = renderer.sanitize(pieces[0]).strip()
    sections = []
    wrapped = [intro] if intro else []
    for head, piece in zip(heads, pieces[1:], strict=True):
        section_html = renderer.sanitize(piece).strip()
        sections.append(
            Section(head.id, head.title, section_html, count_words(section_html), head.line)
        )
        wrapped.append(
            f'<section aria-labelledby="{html.escape(head.id)}" class="part">'
            f"\n{section_html}\n</section>"
        )
    return intro, count_words(intro), tuple(sections), "\n".join(wrapped)


def _between(lines: list[Line], start: int | None, end: int | None) -> str:
    return "\n".join(
        raw for n, raw in lines if (start is None or n >= start) and (end is None or n < end)
    )
