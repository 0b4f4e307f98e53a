"""Read the glossary, activity, workshop and selfcheck blocks."""

from __future__ import annotations

import html
import re

from .blocks import Block
from .frontmatter import is_id
from .model import RUBRIC_RATINGS, Criterion, Prompt, SelfcheckItem, Workshop
from .render import slugify, term_key

PROMPT_RE = re.compile(r"^\[prompt(?:\s+([^\]]*))?\]\s*(.*)$")
RUBRIC_RE = re.compile(r"^\[rubric(?:\s+([^\]]*))?\]\s*(.*)$")
DESCRIPTOR_RE = re.compile(r"^\s+([a-z-]+):\s*(.*)$")
HINT_RE = re.compile(r"^(\s*)>\s?(.*)$")
STATEMENT_RE = re.compile(r"^\[([^\]]*)\]\s*(.*)$")


def _no_id(block: Block, ctx) -> None:
    if block.args:
        ctx.error(block.line, f"a {block.type} block takes no id: write '::: {block.type}' alone")


def parse_glossary(block: Block, ctx) -> dict[str, tuple[str, str, int]]:
    """term key -> (term, definition, line)."""
    _no_id(block, ctx)
    entries: dict[str, list] = {}
    slugs: dict[str, int] = {}
    last: list | None = None
    for n, raw in block.lines:
        if not raw.strip():
            continue
        if raw[:1].isspace() and last is not None:
            last[1] = f"{last[1]} {raw.strip()}"
            continue
        term, colon, definition = raw.partition(":")
        term = term.strip()
        if not colon or not term:
            ctx.error(n, "a glossary line is 'term: definition'")
            last = None
            continue
        key, slug = term_key(term), slugify(term_key(term))
        if key in entries or slug in slugs:
            first = entries[key][2] if key in entries else slugs[slug]
            ctx.error(n, f"the glossary term '{term}' is defined twice (also on line {first})")
            last = None
            continue
        last = [term, definition.strip(), n]
        entries[key], slugs[slug] = last, n
    for term, definition, n in entries.values():
        if not definition:
            ctx.error(n, f"the glossary term '{term}' has no definition after the colon")
    if not entries:
        ctx.error(block.line, "the glossary block is empty: one 'term: definition' per line")
    return {key: (t, d, n) for key, (t, d, n) in entries.items()}


def glossary_html(entries: dict[str, tuple[str, str, int]], ctx) -> str:
    """The definitions as `<dl class="glossary"><dt>term</dt><dd id="gloss-slug">...</dd></dl>`."""
    if not entries:
        return ""
    items = "".join(
        f'<dt>{html.escape(term)}</dt><dd id="gloss-{slugify(key)}">{ctx.inline(definition)}</dd>'
        for key, (term, definition, _) in entries.items()
    )
    return ctx.sanitize(f'<dl class="glossary">{items}</dl>')


def parse_activity(block: Block, ctx) -> str:
    """The activity's HTML."""
    _no_id(block, ctx)
    text = "\n".join(raw for _, raw in block.lines).strip()
    if not text:
        ctx.error(block.line, "the activity block is empty")
    return ctx.block(text)


def parse_workshop(block: Block, ctx) -> Workshop | None:
    """The workshop: an intro, `[prompt id] question` lines with indented `> hint` lines, then
    optionally the trainer's rubric: `[rubric id] criterion` lines, each with its indented
    `not-yet:`, `partly:` and `yes:` descriptors."""
    wid = block.args[0] if block.args else ""
    if not block.args:
        ctx.error(block.line, "a workshop has an id: '::: workshop ws-social'")
    elif not is_id(wid):
        ctx.error(
            block.line,
            f"the workshop id {wid!r} is not valid: use lower-case letters, digits and dashes",
        )
    if len(block.args) > 1:
        ctx.error(block.line, f"unexpected '{block.args[1]}' after the workshop id")
    intro: list[str] = []
    prompts: list[list] = []  # [id, text, hints, line]
    rubric: list[list] = []  # [id, text, {rating: text}, line, last rating]
    seen: dict[str, int] = {}
    for n, raw in block.lines:
        if m := RUBRIC_RE.match(raw):
            _rubric_line(m, n, rubric, ctx)
        elif m := PROMPT_RE.match(raw):
            if rubric:
                ctx.error(n, "the prompts come before the rubric: move this prompt up")
                continue
            pid, text = (m.group(1) or "").strip(), m.group(2).strip()
            if not is_id(pid):
                ctx.error(
                    n,
                    f"a prompt is '[prompt id] question', with an id of lower-case "
                    f"letters, digits and dashes, not {pid!r}",
                )
                continue
            if pid in seen:
                ctx.error(n, f"the prompt id '{pid}' is used twice (also on line {seen[pid]})")
                continue
            if not text:
                ctx.error(n, "this prompt has no question after its id")
            seen[pid] = n
            prompts.append([pid, text, [], n])
        elif not prompts and not rubric:
            intro.append(raw)
        elif not raw.strip():
            continue
        elif rubric:
            _descriptor_line(raw, n, rubric[-1], ctx)
        elif hint := HINT_RE.match(raw):
            prompts[-1][2].append(hint.group(2).strip())
        elif raw[:1].isspace():
            if prompts[-1][2]:
                prompts[-1][2].append(raw.strip())
            else:
                prompts[-1][1] = f"{prompts[-1][1]} {raw.strip()}".strip()
        else:
            ctx.error(
                n,
                "after the first prompt, each line is '[prompt id] question' or an "
                "indented '> hint'",
            )
    if not prompts:
        ctx.error(block.line, "the workshop has no '[prompt id] question' line")
    items = tuple(
        Prompt(pid, text, ctx.inline(text), " ".join(hints), ctx.inline(" ".join(hints)), n)
        for pid, text, hints, n in prompts
    )
    criteria = []
    for cid, text, descriptors, n, _ in rubric:
        missing = [r for r in RUBRIC_RATINGS if not descriptors.get(r)]
        if missing:
            ctx.error(
                n,
                f"the rubric criterion '{cid}' has no "
                + ", ".join(f"'{r}:'" for r in missing)
                + " line: each criterion says what "
                + ", ".join(f"'{r}'" for r in RUBRIC_RATINGS)
                + " look like",
            )
        texts = tuple(descriptors.get(r, "") for r in RUBRIC_RATINGS)
        criteria.append(
            Criterion(cid, text, ctx.inline(text), texts, tuple(ctx.inline(t) for t in texts), n)
        )
    return Workshop(
        wid, ctx.block("\n".join(intro).strip()), items, block.line, rubric=tuple(criteria)
    )


def _rubric_line(m: re.Match, n: int, rubric: list[list], ctx) -> None:
    cid, text = (m.group(1) or "").strip(), m.group(2).strip()
    if not is_id(cid):
        ctx.error(
            n,
            f"a rubric criterion is '[rubric id] what the trainer looks for', with an id of "
            f"lower-case letters, digits and dashes, not {cid!r}",
        )
        return
    if first := next((r[3] for r in rubric if r[0] == cid), None):
        ctx.error(n, f"the rubric criterion '{cid}' is given twice (also on line {first})")
        return
    if not text:
        ctx.error(n, "this rubric criterion says nothing after its id")
    rubric.append([cid, text, {}, n, None])


def _descriptor_line(raw: str, n: int, criterion: list, ctx) -> None:
    """A `not-yet:`/`partly:`/`yes:` line of the criterion, or the continuation of the last one."""
    m = DESCRIPTOR_RE.match(raw)
    if m and m.group(1) in RUBRIC_RATINGS:
        rating = m.group(1)
        if rating in criterion[2]:
            ctx.error(n, f"'{rating}:' is given twice for the criterion '{criterion[0]}'")
        criterion[2][rating] = m.group(2).strip()
        criterion[4] = rating
    elif raw[:1].isspace() and criterion[4] is not None:
        rating = criterion[4]
        criterion[2][rating] = f"{criterion[2][rating]} {raw.strip()}".strip()
    else:
        ctx.error(
            n,
            "after a rubric criterion, each line is indented and starts with "
            + ", ".join(f"'{r}:'" for r in RUBRIC_RATINGS),
        )


def parse_selfcheck(block: Block, ctx) -> tuple[SelfcheckItem, ...]:
    """The "I can" statements, `[id] statement` one a line."""
    _no_id(block, ctx)
    items: list[SelfcheckItem] = []
    seen: dict[str, int] = {}
    for n, raw in block.lines:
        if not raw.strip():
            continue
        m = STATEMENT_RE.match(raw)
        if not m:
            ctx.error(
                n, "each line of a selfcheck is '[o1] I can ...' (the objective id in brackets)"
            )
            continue
        sid, text = m.group(1).strip(), m.group(2).strip()
        if sid in seen:
            ctx.error(n, f"the statement '[{sid}]' is given twice (also on line {seen[sid]})")
            continue
        if not text:
            ctx.error(n, f"the statement '[{sid}]' has no text")
        seen[sid] = n
        items.append(SelfcheckItem(sid, text, ctx.inline(text), n))
    if not items:
        ctx.error(
            block.line, "the selfcheck block is empty: one '[o1] I can ...' line per objective"
        )
    return tuple(items)
