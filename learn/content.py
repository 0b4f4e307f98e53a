"""The content catalog held by the app: loaded at start, reloaded on edit in development."""

from __future__ import annotations

import logging

from flask import Flask, current_app

log = logging.getLogger("learn.content")


class ContentError(RuntimeError):
    """Strict content mode found errors at start-up."""


def init_app(app: Flask) -> None:
    from learn.modules import CatalogHolder

    path = app.config["LEARN_PATHS"].content
    holder = app.config.get("LEARN_CATALOG_HOLDER") or CatalogHolder(
        path, reload=app.config["LEARN_CONTENT_RELOAD"]
    )
    app.extensions["learn.catalog"] = holder
    catalog = holder.get()
    errors = [p for p in catalog.problems if p.severity == "error"]
    for problem in errors:
        log.error("content: %s:%s: %s", problem.path, problem.line, problem.message)
    if errors and app.config["LEARN_STRICT_CONTENT"]:
        raise ContentError(
            f"{len(errors)} content error(s) and LEARN_STRICT_CONTENT is on; "
            f"run `learn content check {path}` to see them."
        )


def catalog():
    """The current catalog (reloaded first if files changed and reload is on)."""
    return current_app.extensions["learn.catalog"].get()


def relative_problems(limit: int | None = None) -> list[dict]:
    """Content problems with paths relative to the content folder (no server paths shown)."""
    cat = catalog()
    root = str(cat.root).rstrip("/") + "/"
    found = sorted(cat.problems, key=lambda p: (p.severity != "error", p.path, p.line))
    return [
        {
            "file": p.path.removeprefix(root),
            "line": p.line,
            "severity": p.severity,
            "message": p.message,
        }
        for p in found[:limit]
    ]


def status() -> dict:
    """Content state for /healthz: modules served, errors (the first ones listed), warnings."""
    cat = catalog()
    errors = sum(1 for p in cat.problems if p.severity == "error")
    warnings = sum(1 for p in cat.problems if p.severity == "warning")
    served = sum(1 for m in cat.modules.values() if m.valid)
    state = {
        "ok": served > 0,
        "modules": served,
        "not_served": len(cat.modules) - served,
        "errors": errors,
        "warnings": warnings,
    }
    if errors:
        state["first_errors"] = [p for p in relative_problems(20) if p["severity"] == "error"]
    return state
