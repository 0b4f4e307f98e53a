"""How large a request may be: small everywhere (MAX_CONTENT_LENGTH), larger only for the views
marked `accepts_files` (a photo from a phone). Set before CSRF reads the form, so a request past
its limit is answered 413 with a page, before anything else reads it."""

from __future__ import annotations

from flask import Flask, request


def accepts_files(view):
    """Mark a view whose form carries a file: its requests may be as large as
    LEARN_UPLOAD_MAX_REQUEST (the largest file allowed, plus the form around it)."""
    view.accepts_files = True
    return view


def accepts_large_form(limit: int):
    """Mark a view whose form carries one large text field (an export file carried from one
    step to the next): its form may hold `limit` bytes, its request a little more."""

    def mark(view):
        view.large_form = limit
        return view

    return mark


def init_app(app: Flask) -> None:
    """Register the hook first among the before-request hooks (before CSRF reads the form)."""

    @app.before_request
    def upload_limit():
        view = app.view_functions.get(request.endpoint)
        if getattr(view, "accepts_files", False):
            request.max_content_length = app.config["LEARN_UPLOAD_MAX_REQUEST"]
        limit = getattr(view, "large_form", None)
        if limit:
            request.max_form_memory_size = limit
            request.max_content_length = limit + 64 * 1024
