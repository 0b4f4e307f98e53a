"""Sign in, sign out, choose a password, choose the language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from learn.auth.forms import ChoosePasswordForm, EmptyForm, SignInForm
from learn.extensions import limiter, submitted_username
from learn.frame import db
from learn.services import accounts
from learn.services.errors import Invalid

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only a path of this site: no scheme, no host, no '//' or backslash tricks."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return None
    return target


def _address_limit():
    return current_app.config["LEARN_LOGIN_LIMIT_ADDRESS"]


def _account_limit():
    return current_app.config["LEARN_LOGIN_LIMIT_ACCOUNT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=submitted_username, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        result = accounts.authenticate(db(), form.username.data, form.password.data)
        if result is None:
            form.password.errors.append(_("Wrong username, password or code."))
        else:
            user, with_code = result
            # A fresh session: nothing from before sign-in is carried over (no fixation).
            locale = session.get("locale")
            session.clear()
            if locale:
                session["locale"] = locale
            login_user(user)
            # Signed-in sessions expire after LEARN_IDLE_MINUTES without a request (the cookie is
            # renewed on each one); anonymous visitors get no cookie until they need one.
            session.permanent = True
            accounts.touch(db(), user)
            if with_code:
                return redirect(url_for("auth.choose_password"))
            return redirect(safe_next(form.next.data) or url_for("main.home"))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("main.home"))


@bp.route("/choose-password", methods=["GET", "POST"])
@login_required
def choose_password():
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(db(), current_user, form.password.data)
        except Invalid as exc:
            form.password.errors.extend(exc.messages)
        else:
            # The token changed: sign in again on this device so only the others are ended.
            login_user(current_user._get_current_object())
            flash(_("Your password is saved."), "success")
            return redirect(url_for("main.home"))
    status = 400 if form.errors else 200
    return render_template("auth/choose_password.html", form=form), status


@bp.route("/language", methods=["POST"])
def language():
    form = EmptyForm()
    chosen = request.form.get("locale")
    if form.validate_on_submit() and chosen in current_app.config["LANGUAGES"]:
        session["locale"] = chosen
        if current_user.is_authenticated:
            current_user.locale = chosen
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))
