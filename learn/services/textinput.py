"""Free text typed by staff (names, comments, evidence): trimmed, checked, never cut.

Control characters are refused rather than stripped: a NUL byte cannot be stored by PostgreSQL,
and direction overrides (U+202E...) make a name read differently from what it is."""

from __future__ import annotations

import unicodedata

from learn.i18n import _
from learn.services.errors import Invalid

_ALLOWED_IN_BLOCKS = {"\n", "\r", "\t"}  # browsers send a text area's line ends as CR LF
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def has_control_characters(text: str, multiline: bool = False) -> bool:
    """Whether the text holds characters that are not meant to be typed."""
    allowed = _ALLOWED_IN_BLOCKS if multiline else set()
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in _BIDI_CONTROLS
        for ch in text
    )


def without_control_characters(text: str, multiline: bool = True) -> str:
    """The text with the characters `has_control_characters` refuses taken out: what a page
    gives back to the person, so that nothing they typed is lost when a save is refused."""
    allowed = _ALLOWED_IN_BLOCKS if multiline else set()
    return "".join(
        ch
        for ch in text
        if not ((unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in _BIDI_CONTROLS)
    )


def clean_line(value: str | None, label: str, max_chars: int, required: bool = True) -> str:
    """One line of text, spaces collapsed; Invalid if missing, too long or unprintable."""
    text = " ".join((value or "").split())
    if required and not text:
        raise Invalid(_("%(field)s: this field is required.", field=label))
    if len(text) > max_chars:
        raise Invalid(
            _(
                "%(field)s: at most %(n)d characters (you typed %(m)d).",
                field=label,
                n=max_chars,
                m=len(text),
            )
        )
    if has_control_characters(text):
        raise Invalid(_("%(field)s: remove the invisible control characters.", field=label))
    return text


def clean_block(value: str | None, label: str, max_chars: int, required: bool = True) -> str:
    """A text of several lines, kept as typed (line ends normalised); Invalid as clean_line."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not text:
        raise Invalid(_("%(field)s: this field is required.", field=label))
    if len(text) > max_chars:
        raise Invalid(
            _(
                "%(field)s: at most %(n)d characters (you typed %(m)d).",
                field=label,
                n=max_chars,
                m=len(text),
            )
        )
    if has_control_characters(text, multiline=True):
        raise Invalid(_("%(field)s: remove the invisible control characters.", field=label))
    return text
