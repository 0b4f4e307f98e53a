"""Ids and numbers read from addresses, query strings and forms."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import IntegerConverter


def parse_id(value: str | None) -> int | None:
    """A database id typed in a form or an address (ASCII digits, at most 9), else None."""
    if value and len(value) <= 9 and value.isascii() and value.isdigit():
        return int(value)
    return None


def int_arg(name: str, default: int | None = None) -> int | None:
    """A whole number from the query string, or the default for anything else."""
    found = parse_id(request.args.get(name))
    return default if found is None else found


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: at most 19 digits and below 2**63 (the largest id a database
    holds), so a larger number in an address is a 404, not an overflow in the driver (a 500)."""

    regex = r"\d{1,19}"

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**63 - 1, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits, min, max, signed)


def init_app(app: Flask) -> None:
    """Every route's `<int:...>` is a database id."""
    app.url_map.converters["int"] = DatabaseIdConverter
