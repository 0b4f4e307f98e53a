"""Reprinting the sign-in cards of a whole group: a confirmation page (new codes sign the
learners out), then the sheet of cards. The cards of one learner and of an import are printed
by views.py and enrolling.py, with the same templates."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learn.auth.forms import EmptyForm
from learn.services import audit, groups, sign_in_cards
from learn.trainer.blueprint import bp
from learn.web.access import staff_required
from learn.web.transactions import db


@bp.route("/groups/<int:group_id>/cards", methods=["GET", "POST"])
@staff_required
def reprint_cards(group_id: int):
    group = groups.get_group(db(), current_user, group_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        learners = sign_in_cards.learners_to_reprint(db(), current_user, group)
        status = 400 if form.is_submitted() else 200
        return render_template(
            "trainer/reprint_cards.html", group=group, learners=learners, form=form
        ), status
    learners, cards = sign_in_cards.reprint_group(
        db(), current_user, group, days=current_app.config["LEARN_CODE_DAYS"]
    )
    if not cards:
        flash(_("This group has no learner who can sign in: no card to print."), "error")
        return redirect(url_for("trainer.group", group_id=group.id))
    for person in learners:
        audit.record(db(), current_user, "learner.new_code", target=person, group=group.id)
    return render_template("trainer/cards.html", cards=cards, group=group, reprinted=True)
