"""Who is signed in: Flask-Login's loader over the server-side sessions, and their limits."""

from __future__ import annotations

from flask import Flask, current_app, g

from learn.db import write_intent
from learn.extensions import login_manager
from learn.services import sessions
from learn.web.transactions import db, writing


def session_limits() -> sessions.SessionLimits:
    """The idle and absolute limits of signed-in sessions, from the settings."""
    config = current_app.config
    return sessions.SessionLimits(
        idle=config["LEARN_SESSION_IDLE"],
        staff_max=config["LEARN_SESSION_MAX_STAFF"],
        learner_max=config["LEARN_SESSION_MAX_LEARNER"],
    )


def load_signed_in_user(token: str):
    """Flask-Login's loader: the user of the live session whose token the cookie carries (one
    read by primary key), or None. The session's "last seen" is written at most once a minute:
    in the request's own transaction when it writes anyway, else in a short `writing()` block."""
    found = sessions.find_session(db(), token, session_limits())
    if found is None:
        return None
    if sessions.needs_touch(found):
        if g.get("writes") or write_intent.get():
            sessions.touch(db(), found)
        else:
            with writing():
                sessions.touch(db(), found)
    return found.user


def init_app(app: Flask) -> None:
    """Flask-Login, reading the signed-in user through `load_signed_in_user`."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_signed_in_user)
