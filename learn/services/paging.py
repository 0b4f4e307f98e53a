"""Pages of a long list: how many, and which one to show."""

from __future__ import annotations


def clamp_page(total: int, page: int, per_page: int) -> tuple[int, int]:
    """(page, pages): the number of pages `total` items fill (at least one) and the asked page
    kept within them (a page past the end is the last one)."""
    pages = max(1, -(-total // per_page))
    return min(max(1, page), pages), pages
