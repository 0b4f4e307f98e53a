"""Report tables shown on screen and exported as CSV from the same values, so that the file
matches the page exactly: one Table, one function that writes each cell as text.

The CSV is what French Excel opens with a double click: UTF-8 with a BOM, `;` between cells,
numbers written bare with a decimal comma (so they stay numbers), and text cells that start like
a formula (= + - @, also in their full-width forms) neutralised with a leading apostrophe
(OWASP's advice for CSV injection; the rule is in learn/services/spreadsheet.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import Response
from flask_babel import gettext as _

from learn.i18n import format_when
from learn.services import spreadsheet
from learn.services.spreadsheet import neutralise_formula
from learn.web.downloads import attachment


@dataclass(frozen=True)
class Link:
    """A cell that links somewhere on screen and is plain text in the file."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    group: str | None = None  # a heading over several columns (the matrix's module titles)


@dataclass
class Table:
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    row_header: bool = True  # the first cell of each row names the row (th scope="row")

    @property
    def grouped(self) -> bool:
        return any(c.group for c in self.columns)

    def group_spans(self) -> list[tuple[str | None, int]]:
        """[(heading or None, number of columns)] for the first header line."""
        spans: list[tuple[str | None, int]] = []
        for column in self.columns:
            if spans and column.group and spans[-1][0] == column.group:
                spans[-1] = (column.group, spans[-1][1] + 1)
            else:
                spans.append((column.group, 1))
        return spans

    def display_rows(self) -> list[list[tuple[str, str | None, bool]]]:
        """Each cell as (text, link or None, numeric), ready for the template (rendering a large
        matrix cell by cell in Jinja costs several times more)."""
        numeric = [c.numeric for c in self.columns]
        return [
            [
                (cell_text(value), getattr(value, "url", None), numeric[i])
                for i, value in enumerate(row)
            ]
            for row in self.rows
        ]

    def header_labels(self) -> list[str]:
        """One header line for the file: « group — label » where columns are grouped."""
        return [f"{c.group} — {c.label}" if c.group else c.label for c in self.columns]


def cell_text(value) -> str:
    """The text of a cell, on screen and in the file alike."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return spreadsheet.number_text(value)
    if isinstance(value, date | datetime):  # already in the organisation's time zone
        return format_when(value)
    return str(value)


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def csv_cell(value) -> str:
    """The cell as written in the file: numbers bare, formula-like text neutralised."""
    text = cell_text(value)
    return text if is_number(value) else neutralise_formula(text)


def csv_bytes(table: Table) -> bytes:
    """The table as a CSV file for French Excel (learn/services/spreadsheet.py)."""
    rows = ([csv_cell(value) for value in row] for row in table.rows)
    return spreadsheet.csv_bytes([cell_text(label) for label in table.header_labels()], rows)


def csv_response(table: Table, name: str) -> Response:
    """A download of the table as `name`.csv (its accents kept: learn/web/downloads.py)."""
    return attachment(csv_bytes(table), f"{name[:80]}.csv", "text/csv")
