"""Every CSV that Parcours writes neutralises text that a spreadsheet would run as a formula,
including the full-width forms (＝ ＋ － ＠) and a leading tab or line end."""

from __future__ import annotations

import pytest

from learn.services import privacy
from learn.services.spreadsheet import neutralise_formula

FORMULAS = [
    "=1+1",
    "+33 6",
    "-2+3",
    "@SUM(A1)",
    '\uff1dHYPERLINK("http://x")',  # ＝
    "\uff0b1",  # ＋
    "\uff0dcmd|' /C calc'!A0",  # －
    "\uff20SUM(A1)",  # ＠
    "\ufe66 1+1",  # small equals
    "\t=1",
    "\r=1",
    "\n=1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_starts_are_neutralised_in_both_writers(text):
    from learn.trainer.tables import Column, Table, csv_bytes, csv_cell

    assert neutralise_formula(text) == "'" + text
    assert csv_cell(text) == "'" + text
    assert privacy._cell(text) == "'" + text
    table = Table([Column("Nom")])
    table.rows = [[text]]
    assert csv_bytes(table).decode("utf-8-sig").split("\r\n")[1].lstrip('"').startswith("'")


@pytest.mark.parametrize("text", ["Léa", "a=b", "", "1,5", "Amina \uff1d"])
def test_ordinary_text_is_left_as_it_is(text):
    assert neutralise_formula(text) == text
    assert privacy._cell(text) == text


def test_numbers_stay_numbers():
    from learn.trainer.tables import csv_cell

    assert privacy._cell("-3") == "-3" and privacy._cell(-3) == "-3"
    assert csv_cell(-3) == "-3"
