"""The CSV files Parcours writes, as French Excel opens them with a double click: UTF-8 with a
BOM, `;` between cells, CRLF (`csv_bytes`); numbers with the reader's decimal mark and dates in
the reader's format (`number_text`, learn/i18n.py's `format_when`); and text that a spreadsheet
would run as a formula neutralised (CSV injection, OWASP: `neutralise_formula`). The trainers'
report tables (learn/trainer/tables.py) and the GDPR export (privacy.py) both write through it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from babel.numbers import get_decimal_symbol

from learn.i18n import current_locale

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


def decimal_comma() -> bool:
    """Whether the reader writes 1,5 (French, German, Italian) rather than 1.5 (English)."""
    return get_decimal_symbol(current_locale()) == ","


def number_text(value: float, digits: int | None = 1) -> str:
    """A number as the reader's spreadsheet reads it (`digits` decimals, None: as it is)."""
    text = str(value) if digits is None or isinstance(value, int) else f"{value:.{digits}f}"
    return text.replace(".", ",") if decimal_comma() else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV file of cells already written as text (the header's cells are neutralised here)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_formula(label) for label in header])
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
