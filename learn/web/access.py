"""Who may open a page: the decorators the blueprints put on their views.

Roles are checked here only coarsely (signed in, staff or not); which learner, group or
organisation a user may touch is decided by the services' queries, once."""

from __future__ import annotations

from functools import wraps

from flask import redirect, url_for
from flask_login import current_user, login_required

from learn.services.errors import Forbidden


def staff_required(view):
    """Signed in with a staff role, else 403. Pages about one learner check the finer role in
    the service after finding the learner in the actor's organisation: another organisation's id
    answers 404 to everyone, whatever their role (ids do not leak)."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_staff:
            raise Forbidden()
        return view(*args, **kwargs)

    return wrapper


def learner_view(view):
    """Signed in, with a chosen password; progress is written only for learners (staff may read
    modules). A workplace tutor has their own pages (learn/tutor/) and none of these: 403."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.is_tutor:
            raise Forbidden()
        if current_user.must_choose_password:
            return redirect(url_for("auth.choose_password"))
        return view(*args, **kwargs)

    return wrapper


def tutor_required(view):
    """Signed in as a workplace tutor of an organisation, with a chosen password, else 403. Which
    learner a tutor may see is decided by the service's query (learn/services/tutoring.py)."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_tutor or current_user.organisation_id is None:
            raise Forbidden()
        if current_user.must_choose_password:
            return redirect(url_for("auth.choose_password"))
        return view(*args, **kwargs)

    return wrapper
