"""Sign in, sign out, choose a password, choose the language."""

from __future__ import annotations

import hashlib
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

from learn.auth import devices
from learn.auth.forms import ChangePasswordForm, ChoosePasswordForm, EmptyForm, SignInForm
from learn.extensions import limiter
from learn.i18n import format_when
from learn.services import accounts, sessions
from learn.services.errors import Invalid
from learn.services.passwords import LEARNER_MIN_LENGTH, STAFF_MIN_LENGTH
from learn.web.i18n import forget_locale
from learn.web.signin import session_limits
from learn.web.transactions import db

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


def _sign_in_here(user, sign_in_code_id: int | None = None) -> None:
    """Open a new server-side session for this browser, in a fresh cookie: nothing from before
    sign-in is carried over (no fixation) but the chosen language."""
    token = sessions.open_session(
        db(),
        user,
        session_limits(),
        sign_in_code_id=sign_in_code_id,
        device=sessions.describe_device(request.headers.get("User-Agent")),
    )
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    user.session_key = token
    login_user(user)
    forget_locale()
    # The cookie expires after LEARN_SESSION_IDLE_MINUTES without a request (it is renewed on
    # each one); the server enforces that limit and the absolute one whatever the cookie says.
    session.permanent = True


def _authenticate(form) -> accounts.SignedIn | None:
    """Who signs in with the form's username and secret; else None, with the reason beside the
    password: one message for any failure, another for the right password of a closed account."""
    try:
        signed_in = accounts.authenticate(db(), form.username.data, form.password.data)
    except accounts.AccountClosed as closed:
        when = format_when(closed.closed_on)
        form.password.errors.append(
            _(
                "This account was closed on %(date)s: it can no longer sign in. If you still "
                "need it, ask your trainer or your organisation to reopen it.",
                date=when,
            )
        )
        return None
    if signed_in is None:
        form.password.errors.append(_("Wrong username, password or code."))
    return signed_in


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], exempt_when=devices.is_known_device)
@limiter.limit(_account_limit, key_func=devices.sign_in_key, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        signed_in = _authenticate(form)
        if signed_in is not None:
            _sign_in_here(signed_in.user, signed_in.code_id)
            accounts.touch(db(), signed_in.user)
            if signed_in.code_id is not None:
                target = url_for("auth.choose_password")
            else:
                target = safe_next(form.next.data) or url_for("main.home")
            return devices.remember(redirect(target), signed_in.user.username)
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            sessions.end_session(db(), current_user.session_key)
        logout_user()
        forget_locale()
        session.clear()
        flash(_("You are signed out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    form = EmptyForm()
    if form.validate_on_submit():
        accounts.end_all_sessions(db(), current_user)
        logout_user()
        forget_locale()
        session.clear()
        flash(_("You are signed out on every device."), "success")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.choose_password"))


def _password_change_key() -> str:
    """Rate-limit key for current-password guesses: this signed-in session, read from the
    signed cookie (not the database: see learn/rate_limits.py). A session cannot be copied
    into more budget without the password."""
    token = str(session.get("_user_id") or "")
    return "password-change:" + hashlib.sha256(token.encode()).hexdigest()[:32]


@bp.route("/choose-password", methods=["GET", "POST"])
@limiter.limit(_account_limit, key_func=_password_change_key, methods=["POST"])
@login_required
def choose_password():
    """Change one's password: the current one is asked, except in a session opened with a
    one-time code (the code is the proof), which is spent only once the new password is saved."""
    here = sessions.current_session(db(), current_user)
    code_id = here.sign_in_code_id if here is not None else None
    form = ChoosePasswordForm() if code_id is not None else ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if code_id is None and not accounts.check_current_password(user, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            try:
                accounts.set_password(db(), user, form.password.data, sign_in_code_id=code_id)
            except Invalid as exc:
                form.password.errors.extend(exc.messages)
            else:
                # Every session ended, this one too: sign in again on this device only.
                _sign_in_here(user)
                flash(_("Your password is saved."), "success")
                return redirect(url_for("main.home"))
    status = 400 if form.errors else 200
    return render_template(
        "auth/choose_password.html",
        form=form,
        first_time=code_id is not None,
        minimum=STAFF_MIN_LENGTH if current_user.reads_others_data else LEARNER_MIN_LENGTH,
        everywhere_form=EmptyForm(),
        devices=_signed_in_devices(here),
    ), status


def _signed_in_devices(here) -> list[tuple[str | None, str, bool]]:
    """(browser, signed in since, whether it is this one) for each live session of the user,
    in the organisation's time zone."""
    user = current_user._get_current_object()
    zone = user.organisation.timezone if user.organisation else "Europe/Paris"
    return [
        (
            row.device,
            format_when(row.created_at, zone),
            here is not None and row.token_hash == here.token_hash,
        )
        for row in sessions.live_sessions(db(), user, session_limits())
    ]


@bp.route("/language", methods=["POST"])
def language():
    form = EmptyForm()
    chosen = request.form.get("locale")
    if form.validate_on_submit() and chosen in current_app.config["LANGUAGES"]:
        session["locale"] = chosen
        if current_user.is_authenticated:
            current_user.locale = chosen
        forget_locale()
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))
