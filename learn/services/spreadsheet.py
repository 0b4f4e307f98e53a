"""Text that a spreadsheet would run as a formula (CSV injection, OWASP): the one rule of every
CSV that Parcours writes."""

from __future__ import annotations

# = + - @ and the forms a spreadsheet reads the same way: full-width (＝ ＋ － ＠, typed with an
# Asian keyboard or pasted), small (﹦ ﹢ ﹣), and tab or a line end before any of them.
FORMULA_START = (
    *("=", "+", "-", "@"),
    *("\uff1d", "\uff0b", "\uff0d", "\uff20"),
    *("\ufe66", "\ufe62", "\ufe63"),
    *("\t", "\r", "\n"),
)


def neutralise_formula(text: str) -> str:
    """The text with a leading apostrophe if it starts like a formula, as it is otherwise."""
    return "'" + text if text.startswith(FORMULA_START) else text
