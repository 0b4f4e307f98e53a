"""The easy-read lint (sentence length, italics, capitals, abbreviations) and markup checks.

A sentence ends with `.`, `!`, `?` or `:` followed by a space, or at the end of a line (so also at
the end of a list item or a heading). A word is a run of characters between spaces that holds at
least one letter or digit.
"""

from __future__ import annotations

import re

from .render import GLOSS_PATTERN, count_text_words

Line = tuple[int, str]
Found = tuple[int, str, str]  # (line, severity, message)

WARN_WORDS = 15
ERROR_WORDS = 20
GLOSS_RE = re.compile(GLOSS_PATTERN)
IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK_RE = re.compile(r"\[([^\[\]]*)\]\([^)]*\)")
AUTOLINK_RE = re.compile(r"<[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*>")
URL_RE = re.compile(r"\b(?:https?://|mailto:|module:)\S+")
ATTR_RE = re.compile(r"\{[:#][^}]*\}")
LEAD_RE = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+|>\s*|\[[^\]]*\]\s*|!!!\s+\w+\s*)*")
KEY_LINE_RE = re.compile(r"^(explanation|correct|incorrect)\s*:\s*")
SENTENCE_END_RE = re.compile(r"(?<=[.!?:…])\s+")
BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
ITALIC_RES = (
    re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\*(?![\w*])"),
    re.compile(r"(?<![\w\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_\\])_(?!\w)"),
)
CAPS_RE = re.compile(r"(?<![\w'’-])([^\W\d_]{3,})(?![\w'’-])")
ABBREVIATIONS = re.compile(
    r"(?<![\w.])(etc\.|ex\.|p\.\s?ex\.|cf\.|e\.g\.|i\.e\.|M\.(?=\s)|MM\.|Mme|Mmes|Mlle|Mlles|Mr\.?|"
    r"Mrs\.?|Dr\.?|n°|N°|nb\.|env\.|approx\.|vs\.?|tél\.|qqn|qqch|pp?\.\s?\d)(?![\w])"
)
HTML_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s|/?>)")
SEPARATOR_RE = re.compile(r"^\s*(?:\|?\s*:?-{3,}:?\s*)+\|?\s*$|^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")


def plain_text(line: str) -> str:
    """The words a reader sees on a Markdown line (links, marks and markers removed)."""
    text = GLOSS_RE.sub(lambda m: m.group(1), line)
    text = IMAGE_RE.sub(lambda m: m.group(1) + ".", text)
    text = LINK_RE.sub(lambda m: m.group(1), text)
    text = AUTOLINK_RE.sub("", text)
    text = URL_RE.sub("link", text)
    text = ATTR_RE.sub("", text)
    text = LEAD_RE.sub("", text, count=1)
    text = KEY_LINE_RE.sub("", text)
    return text.replace("**", "").replace("__", "").replace("`", "")


def _italics(line: str) -> bool:
    text = URL_RE.sub("", GLOSS_RE.sub(lambda m: m.group(1), line))
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = BOLD_RE.sub(lambda m: m.group(2), text)
    return any(r.search(text) for r in ITALIC_RES)


def check_italics(lines: list[Line], severity: str) -> list[Found]:
    """Italics (`*x*`, `_x_`) on any line; `**bold**` is the emphasis to use."""
    return [
        (n, severity, "italics are hard to read: use **bold** for emphasis")
        for n, raw in lines
        if ("*" in raw or "_" in raw) and not SEPARATOR_RE.match(raw) and _italics(raw)
    ]


def check_html(lines: list[Line]) -> list[Found]:
    """Raw HTML is shown as text: warn the author."""
    return [
        (n, "warning", "HTML is not interpreted (it is shown as text): write Markdown instead")
        for n, raw in lines
        if "<" in raw and HTML_TAG_RE.search(raw)
    ]


def _short(sentence: str, words: int = 6) -> str:
    parts = sentence.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def lint_easy(lines: list[Line], glossary_words: set[str]) -> list[Found]:
    """The easy-read checks on text lines; glossary_words are allowed in capitals."""
    found: list[Found] = []
    allowed = {w.upper() for w in glossary_words}
    for n, raw in lines:
        if not raw.strip() or SEPARATOR_RE.match(raw):
            continue
        text = plain_text(raw)
        cells = text.split("|") if raw.lstrip().startswith("|") else [text]
        for cell in cells:
            for sentence in SENTENCE_END_RE.split(cell):
                count = count_text_words(sentence)
                if count <= WARN_WORDS:
                    continue
                if count > ERROR_WORDS:
                    found.append(
                        (
                            n,
                            "error",
                            f"easy-read: a sentence of {count} words (over "
                            f"{ERROR_WORDS}); split it: '{_short(sentence)}'",
                        )
                    )
                elif count > WARN_WORDS:
                    found.append(
                        (
                            n,
                            "warning",
                            f"easy-read: a sentence of {count} words (at most "
                            f"{WARN_WORDS}); shorten it: '{_short(sentence)}'",
                        )
                    )
        for word in CAPS_RE.findall(text):
            if word.isupper() and word not in allowed:
                found.append(
                    (
                        n,
                        "warning",
                        f"easy-read: '{word}' is in capitals; write it in "
                        "lower case, or define it in the glossary if it is an acronym",
                    )
                )
        for abbr in ABBREVIATIONS.findall(text):
            found.append((n, "warning", f"easy-read: write the abbreviation '{abbr}' in full"))
    found.extend(check_italics(lines, "error"))
    return found
