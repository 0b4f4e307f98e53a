"""The one owner of a request's transaction: where a request opens, writes and commits.

A request's life, as far as the database goes:

1. `begin` (before the view): the request is a *writer* if it is a POST, PUT, PATCH or DELETE
   (unless its view is marked `writes_in_blocks`) or if its view is marked `records_audit`. A
   writer's first statement opens a write transaction (BEGIN IMMEDIATE on SQLite, so writers
   queue instead of failing half-way); a reader's opens a read transaction.
2. The view calls services with `db()`, the request's session (opened on first use). Services
   flush, never commit. A reader that must write (a page that records a visit) writes inside a
   `writing()` block, committed when the block ends.
3. `finish` (after the view): a writer whose response is under 400 (a page, a redirect)
   commits; every other response rolls back. A write made by a reader outside `writing()` is
   refused there (500 and a log line, never a silent loss): `watch_writes` notes it.
4. `close` (teardown): the session is rolled back if the view raised, and closed.

So a view that answers a validation error with a redirect (302, a "success" code) commits what
its service flushed before raising `Invalid`: **services check before they write**, and raise
`Invalid` before their first `add` or flush. A view that answers a validation error with its form
again (400) rolls back, and so does any exception that escapes a view (500).
"""

from __future__ import annotations

import contextlib

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from learn.db import write_intent, write_transaction

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def db():
    """The request's database session (opened on first use, closed at the end)."""
    if "db" not in g:
        g.db = current_app.extensions["learn.sessions"]()
    return g.db


@contextlib.contextmanager
def writing():
    """A short write transaction inside a request that otherwise only reads (a page that records
    progress): the reads so far end, the writes begin (BEGIN IMMEDIATE on SQLite, so they queue
    instead of failing) and are committed when the block ends, before the page is rendered. No
    database lock is held while the template renders, and a page that fails to render after the
    block keeps what the block wrote (the visit happened)."""
    session = db()
    if session.get_bind().dialect.name == "sqlite":
        # SQLite cannot turn a read transaction into BEGIN IMMEDIATE: end it (nothing is
        # pending in a reading request). PostgreSQL goes on in the same transaction, on the same
        # connection (no second checkout, no second pool ping), and takes row locks as it writes.
        session.commit()
    with write_transaction(session):
        yield session


def records_audit(view):
    """Mark a GET view that writes an audit entry: it begins as a writer and commits at the end
    (`begin` reads this mark before the first query)."""
    view.records_audit = True
    return view


def writes_in_blocks(view):
    """Mark a form view that writes only inside `writing()` blocks: the request begins as a
    reader, so the signed-in user, the form and the grading are read and checked before the
    database is locked for writing (SQLite has one writer at a time)."""
    view.writes_in_blocks = True
    return view


def is_writer(method: str, view) -> bool:
    """Whether a request begins as a writer (see the module's docstring)."""
    return (method in WRITE_METHODS and not getattr(view, "writes_in_blocks", False)) or getattr(
        view, "records_audit", False
    )


def watch_writes(engine: Engine) -> None:
    """Note a write made by a reading request outside `writing()`: `finish` refuses it."""

    @event.listens_for(engine, "before_cursor_execute")
    def _watch_writes(_conn, _cursor, statement, _params, context, _many):
        # A request that reads (a GET, or a view that writes in blocks) rolls back at its end:
        # a write made there outside `writing()` would be lost without a word.
        if (
            context is not None
            and (context.isinsert or context.isupdate or context.isdelete)
            and not write_intent.get()
            and has_request_context()
            and not g.get("writes")
        ):
            g.lost_write = statement.split(None, 3)[:3]


def init_app(app: Flask) -> None:
    """Open, commit or roll back, and close each request's transaction (the steps above)."""
    watch_writes(app.extensions["learn.engine"])

    @app.before_request
    def begin():
        g.writes = is_writer(request.method, app.view_functions.get(request.endpoint))
        write_intent.set(g.writes)

    @app.after_request
    def finish(response):
        if "db" in g:
            if response.status_code < 400 and g.get("writes"):
                g.db.commit()
            else:
                g.db.rollback()
        if g.get("lost_write") and response.status_code < 400:
            raise RuntimeError(f"write outside a write transaction, rolled back: {g.lost_write}")
        return response

    @app.teardown_request
    def close(exc):
        write_intent.set(False)
        session = g.pop("db", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()
