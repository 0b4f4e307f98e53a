"""Read a `::: question id type` block into a Question; the type class does the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block
from .frontmatter import did_you_mean, is_id
from .model import Question
from .qtypes import OPTION_IDS, QUESTION_TYPES

OPTION_RE = re.compile(r"^\[([^\]]*)\](?:\s+(.*))?$")
FEEDBACK_RE = re.compile(r"^(\s*)>\s?(.*)$")
KEY_RE = re.compile(r"^(explanation|correct|incorrect)\s*:\s*(.*)$")
LEVEL_RE = re.compile(r"^level=(.*)$")


@dataclass
class DraftOption:
    """A question block as written, before its type checks it."""

    """An option line as written, before its type checks it."""
    marker: str
    text: str
    line: int
    feedback: list[str] = field(default_factory=list)


@dataclass
class Draft:
    id: str
    type: str
    line: int
    stem: list[str] = field(default_factory=list)
    options: list[DraftOption] = field(default_factory=list)
    keys: dict[str, list] = field(default_factory=dict)  # key -> [line, text]


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _read_lines(block: Block, draft: Draft, ctx) -> None:
    stage = "stem"
    last: tuple[str, object] | None = None
    for number, raw in block.lines:
        if not raw.strip():
            if stage == "stem":
                draft.stem.append("")
            continue
        if m := KEY_RE.match(raw):
            key, text = m.group(1), m.group(2).strip()
            if key in draft.keys:
                ctx.error(number, f"'{key}:' is given twice (also on line {draft.keys[key][0]})")
            draft.keys[key] = [number, text]
            stage, last = "after", ("key", key)
            continue
        if m := OPTION_RE.match(raw):
            draft.options.append(DraftOption(m.group(1), (m.group(2) or "").strip(), number))
            stage, last = "options", ("option", draft.options[-1])
            continue
        feedback = FEEDBACK_RE.match(raw)
        if feedback and stage != "stem":
            if last is None or last[0] != "option":
                ctx.error(number, "a feedback line ('> ...') goes right under its option")
                continue
            if not feedback.group(1):
                ctx.warning(number, "indent the feedback line ('    > ...') under its option")
            last[1].feedback.append(feedback.group(2).strip())
            continue
        if stage == "stem":
            draft.stem.append(raw)
        elif last is not None and last[0] == "key":
            draft.keys[last[1]][1] = (draft.keys[last[1]][1] + " " + raw.strip()).strip()
        elif last is not None and raw[:1].isspace():
            option = last[1]
            if option.feedback:
                option.feedback.append(raw.strip())
            else:
                option.text = f"{option.text} {raw.strip()}".strip()
        else:
            ctx.error(
                number,
                "this line is not an option, a feedback ('    > ...') or 'explanation: ...': "
                "the text of the question comes before the options",
            )


FIXED = "fixed"


def _header(block: Block, ctx, placement: bool) -> tuple[str, str, int | None, bool] | None:
    if len(block.args) < 2:
        ctx.error(
            block.line,
            "a question starts with '::: question <id> <type>', like '::: question q1 single'",
        )
        return None
    qid, qtype, *extra = block.args
    ok = True
    if not is_id(qid):
        ctx.error(
            block.line,
            f"the question id {qid!r} is not valid: use lower-case letters, "
            "digits and dashes, like 'q1'",
        )
        ok = False
    if qtype not in QUESTION_TYPES:
        ctx.error(
            block.line,
            f"unknown question type '{qtype}': use "
            + ", ".join(QUESTION_TYPES)
            + did_you_mean(qtype, QUESTION_TYPES),
        )
        return None
    level, fixed = None, False
    for word in extra:
        m = LEVEL_RE.match(word)
        if word == FIXED:
            fixed = True
            if not QUESTION_TYPES[qtype].can_be_fixed:
                fixable = " or ".join(t.name for t in QUESTION_TYPES.values() if t.can_be_fixed)
                ctx.error(
                    block.line,
                    f"'fixed' keeps the written order of the options of a {fixable} "
                    f"question; {_a(qtype)} question's options are never shuffled that way",
                )
                ok = False
        elif not m:
            ctx.error(block.line, f"unexpected '{word}' after the question type")
            ok = False
        elif not placement:
            ctx.error(block.line, "only questions of a placement questionnaire carry a level")
        elif m.group(1) not in ("1", "2", "3"):
            ctx.error(block.line, f"a placement question checks level=1, 2 or 3, not '{word}'")
            ok = False
        else:
            level = int(m.group(1))
    if placement and level is None and ok:
        ctx.error(
            block.line,
            "a placement question carries the level it checks: "
            f"'::: question {qid} {qtype} level=1' (1, 2 or 3)",
        )
    return (qid, qtype, level, fixed) if ok else None


def parse_question(block: Block, ctx, placement: bool = False) -> Question | None:
    """The Question of a block, or None when its header is unusable; problems go to ctx."""
    header = _header(block, ctx, placement)
    if header is None:
        return None
    qid, type_name, level, fixed = header
    qtype = QUESTION_TYPES[type_name]
    draft = Draft(qid, type_name, block.line)
    _read_lines(block, draft, ctx)
    stem = "\n".join(draft.stem).strip()
    if not stem:
        ctx.error(block.line, "the question has no text: write it before the options")
    for item in draft.options:
        if not qtype.marker_ok(item.marker):
            ctx.error(
                item.line,
                f"[{item.marker}] is not an option of {_a(type_name)} question: "
                f"use {qtype.markers} (a line of the question's text must not start with '[')",
            )
        elif not item.text:
            ctx.error(item.line, "this option has no text")
        if item.feedback and not qtype.per_option_feedback:
            ctx.error(
                item.line,
                f"{_a(type_name)} question has no feedback per option: use "
                "'correct:' and 'incorrect:' lines",
            )
    draft.options = [o for o in draft.options if qtype.marker_ok(o.marker)]
    count = len(draft.options)
    if count < qtype.min_options or (qtype.max_options and count > qtype.max_options):
        wanted = (
            f"exactly {qtype.min_options}"
            if qtype.min_options == qtype.max_options
            else f"at least {qtype.min_options}"
            if count < qtype.min_options
            else f"at most {qtype.max_options}"
        )
        ctx.error(
            block.line,
            f"{_a(type_name)} question has {wanted} options ({qtype.markers}), not {count}",
        )
        draft.options = draft.options[: len(OPTION_IDS)]
    options = qtype.build(draft, ctx)
    for key in ("correct", "incorrect"):
        if qtype.per_option_feedback and key in draft.keys:
            ctx.error(
                draft.keys[key][0],
                f"{_a(type_name)} question has its feedback under each "
                f"option, not in a '{key}:' line",
            )
        elif not qtype.per_option_feedback and not draft.keys.get(key, [0, ""])[1]:
            ctx.error(
                block.line,
                f"{_a(type_name)} question needs a '{key}: ...' line "
                "(the feedback shown when the answer is " + key + ")",
            )
    explanation = draft.keys.get("explanation", [block.line, ""])[1]
    if not explanation:
        ctx.error(
            block.line, "the question has no 'explanation: ...' line (shown with the corrections)"
        )
    feedback = {k: draft.keys.get(k, [0, ""])[1] for k in ("correct", "incorrect")}
    return Question(
        id=qid,
        type=type_name,
        text=stem,
        text_html=ctx.block(stem),
        options=tuple(options),
        explanation=explanation,
        explanation_html=ctx.inline(explanation),
        correct_feedback_html=ctx.inline(feedback["correct"])
        if not qtype.per_option_feedback
        else "",
        incorrect_feedback_html=(
            ctx.inline(feedback["incorrect"]) if not qtype.per_option_feedback else ""
        ),
        accept=qtype.accepted_answers(draft),
        level=level,
        line=block.line,
        fixed=fixed,
    )
