"""The learner's page « Ce que mon tuteur a vu »: the assessments their workplace tutors sent,
and their answer to each (shown to the tutor and the trainers)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learn.auth.forms import EmptyForm
from learn.learner.views import bp, is_learner
from learn.services import tutoring
from learn.services.errors import Forbidden, Invalid
from learn.services.textinput import without_control_characters
from learn.web.access import learner_view
from learn.web.control_characters import checks_own_text
from learn.web.transactions import db


def _page(errors=None, typed=None, status=200):
    return render_template(
        "learner/workplace.html",
        assessments=tutoring.for_learner(db(), current_user),
        tutors=tutoring.tutors_of(db(), current_user),
        form=EmptyForm(),
        errors=errors or {},
        typed=typed or {},
        limit=tutoring.MAX_REPLY,
    ), status


@bp.route("/workplace")
@learner_view
def workplace():
    if not is_learner():
        raise Forbidden()
    return _page()


@bp.route("/workplace/<int:assessment_id>/reply", methods=["POST"])
@learner_view
@checks_own_text
def workplace_reply(assessment_id: int):
    # No role check first: the service finds only the signed-in learner's own assessments, so
    # anyone else's id (another organisation's too) answers 404 to everyone.
    if not EmptyForm().validate_on_submit():
        abort(400)
    text = request.form.get("reply", "")
    try:
        tutoring.reply(db(), current_user, assessment_id, text)
    except Invalid as exc:
        # The page again, with what was typed (less what could not be kept) and why.
        typed = {assessment_id: without_control_characters(text)}
        return _page({assessment_id: exc.messages}, typed, 400)
    flash(_("Your answer is sent to your tutor and your trainers."), "success")
    return redirect(url_for("learner.workplace") + f"#wa-{assessment_id}")
