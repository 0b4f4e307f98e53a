"""OWASP's device cookies, so that the per-account sign-in limit cannot lock the owner out.

A browser where someone signed in receives a signed cookie naming the account(s) and a random
device id. A sign-in attempt for one of those accounts from that browser counts against the
device's own budget; every other attempt (an attacker's, or the owner's on a new device) counts
against the account's shared budget. Someone who floods an account with guesses blocks only
the browsers that never signed in to it; the owner's phone keeps working."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "parcours_device"
LIFETIME = timedelta(days=180)
MAX_ACCOUNTS = 8  # a computer shared at the organisation may see a few learners


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="parcours-device")


def _read() -> tuple[str, list[str]] | None:
    """(device id, usernames) from this browser's device cookie, if it is genuine and recent."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 1024:
        return None
    try:
        value = _serializer().loads(raw, max_age=int(LIFETIME.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    device, names = value.get("d"), value.get("u")
    if not isinstance(device, str) or not isinstance(names, list):
        return None
    return device, [name for name in names if isinstance(name, str)]


def _submitted_username() -> str:
    return (request.form.get("username") or "").strip().lower()[:64]


def sign_in_key() -> str:
    """Rate-limit key of a sign-in attempt: this device's budget for the account when the
    browser signed in to it before, else the account's shared budget, whatever the address."""
    name = _submitted_username()
    known = _read()
    if known is not None and name and name in known[1]:
        return f"device:{known[0]}:{name}"
    return f"account:{name}"


def is_known_device() -> bool:
    """Whether this browser signed in before to the account it tries now. Its attempts then
    count against the device's own budget and not its address's: on an address many people
    share (a training room, a phone network), one of them flooding sign-ins cannot lock out
    the browsers that signed in before."""
    return sign_in_key().startswith("device:")


def remember(response, username: str):
    """Give this browser a device cookie that names the account it just signed in to."""
    known = _read()
    device, names = known if known is not None else (secrets.token_urlsafe(16), [])
    names = [username, *(name for name in names if name != username)][:MAX_ACCOUNTS]
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"d": device, "u": names}),
        max_age=int(LIFETIME.total_seconds()),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
