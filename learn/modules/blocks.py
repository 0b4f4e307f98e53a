"""Cut the body of a file into Markdown text and `::: type id` ... `:::` blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BLOCK_TYPES = ("question", "glossary", "activity", "workshop", "selfcheck")
FENCE_RE = re.compile(r"^ {0,3}:::(.*)$")

Line = tuple[int, str]  # (1-based line in the file, text)


@dataclass
class Block:
    """A block: its type, the words after the type on the opening line, and its inner lines."""

    type: str
    args: list[str]
    line: int
    lines: list[Line] = field(default_factory=list)


@dataclass
class Body:
    """Markdown lines outside blocks (a block leaves one blank line) and the blocks, in order."""

    text: list[Line] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, error message)


def scan_body(lines: list[str], first_line: int) -> Body:
    """Split body lines (the first is file line `first_line`) into text and blocks."""
    body = Body()
    current: Block | None = None
    skipping: int | None = None  # line of an unknown block whose content is skipped
    for offset, raw in enumerate(lines):
        number = first_line + offset
        match = FENCE_RE.match(raw)
        if not match:
            if current is not None:
                current.lines.append((number, raw))
            elif skipping is None:
                body.text.append((number, raw))
            continue
        words = match.group(1).split()
        if not words:  # a closing line
            if current is not None:
                body.blocks.append(current)
                body.text.append((number, ""))
                current = None
            elif skipping is not None:
                skipping = None
                body.text.append((number, ""))
            else:
                body.problems.append((number, "this ':::' closes no block: remove it"))
            continue
        if current is not None or skipping is not None:
            opened = current.line if current is not None else skipping
            body.problems.append(
                (
                    number,
                    f"blocks do not nest: the block opened on line {opened} must be closed "
                    "with a line ':::' before this one",
                )
            )
            if current is not None:
                body.blocks.append(current)
            current = skipping = None
        block_type = words[0]
        if block_type not in BLOCK_TYPES:
            body.problems.append(
                (
                    number,
                    f"unknown block type '{block_type}': use " + ", ".join(BLOCK_TYPES),
                )
            )
            skipping = number
            continue
        current = Block(block_type, words[1:], number)
    if current is not None:
        body.problems.append(
            (current.line, f"the {current.type} block is not closed: add a line ':::' after it")
        )
        body.blocks.append(current)
    if skipping is not None:
        body.problems.append((skipping, "this block is not closed: add a line ':::' after it"))
    return body
