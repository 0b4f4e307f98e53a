"""Home page and health check."""

from __future__ import annotations

import ipaddress

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from learn import content
from learn.i18n import current_locale
from learn.models import Role
from learn.modules.pictograms import load_pictograms
from learn.web import database as web_database

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    if current_user.must_choose_password:
        return redirect(url_for("auth.choose_password"))
    if current_user.is_staff:
        return redirect(url_for("trainer.learners"))
    if current_user.is_tutor:
        return redirect(url_for("tutor.home"))
    return redirect(url_for("learner.dashboard"))


@bp.route("/healthz")
def healthz():
    """ok or not, and whether the schema is current, for anyone (a load balancer); the reasons
    (database trouble, content errors) only for the machine itself and platform admins."""
    database = web_database.database_status(current_app)
    try:
        content_state = content.status()
    except Exception as exc:  # a broken content tree must not break the health check itself
        content_state = {"ok": False, "error": exc.__class__.__name__}
    ok = database["ok"] and database["schema_current"] and content_state["ok"]
    body = {"status": "ok" if ok else "unavailable", "schema_current": database["schema_current"]}
    if sees_health_details(database["ok"]):
        body.update(database=database, content=content_state)
        if database["ok"] and not database["schema_current"]:
            body["action"] = "run `learn db upgrade`"
    return jsonify(body), (200 if ok else 503)


FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def sees_health_details(database_ok: bool) -> bool:
    """A request from this machine, or a signed-in platform admin.

    "This machine" is the client address Parcours trusts: with LEARN_PROXY_COUNT set, ProxyFix
    has already put the real client's address in remote_addr. Without it, a request that came
    through a proxy (it carries a forwarding header) is not taken as local, even though it
    arrives from 127.0.0.1: behind nginx, every request does."""
    if _from_this_machine():
        return True
    if not database_ok:
        return False  # loading the signed-in user would ask the database again
    try:
        return current_user.is_authenticated and current_user.role == Role.PLATFORM_ADMIN
    except SQLAlchemyError:
        return False


def _from_this_machine() -> bool:
    try:
        loopback = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False
    if not loopback:
        return False
    proxied = any(request.headers.get(name) for name in FORWARDING_HEADERS)
    return current_app.config["LEARN_PROXY_COUNT"] > 0 or not proxied


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


@bp.route("/pictograms")
def pictograms():
    """The pictures of the easy-read texts: each one, its source and its licence (attribution)."""
    found = load_pictograms()
    lang = current_locale()
    by_source = [
        (
            source,
            sorted((p for p in found.by_name.values() if p.source == key), key=lambda p: p.name),
        )
        for key, source in found.sources.items()
    ]
    return render_template("main/pictograms.html", by_source=by_source, lang=lang)


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
