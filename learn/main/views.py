"""Home page and health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from learn import content, frame

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    if current_user.must_choose_password:
        return redirect(url_for("auth.choose_password"))
    if current_user.is_staff:
        return redirect(url_for("trainer.learners"))
    return redirect(url_for("learner.dashboard"))


@bp.route("/healthz")
def healthz():
    database = frame.database_status(current_app)
    try:
        content_state = content.status()
    except Exception as exc:  # a broken content tree must not break the health check itself
        content_state = {"ok": False, "error": exc.__class__.__name__}
    ok = database["ok"] and database["schema_current"] and content_state["ok"]
    body = {
        "status": "ok" if ok else "unavailable",
        "database": database,
        "content": content_state,
    }
    if database["ok"] and not database["schema_current"]:
        body["action"] = "run `learn db upgrade`"
    return jsonify(body), (200 if ok else 503)


@bp.route("/content-assets/<module_id>/<path:filename>")
def content_asset(module_id: str, filename: str):
    """An image stored beside a module; only files a servable variant uses."""
    from flask import send_file

    path = content.catalog().asset_path(module_id, filename)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, max_age=3600)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/ping")
def ping():
    """A liveness probe that touches nothing: also the baseline of the load benchmark."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/content-problems")
@login_required
def content_problems():
    """For administrators: every problem of the content files, so authors can fix them."""
    if current_user.role not in ("org_admin", "platform_admin"):
        abort(403)
    return render_template(
        "main/content_problems.html",
        problems=content.relative_problems(),
        state=content.status(),
    )
