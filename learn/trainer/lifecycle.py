"""A learner's account over time: renaming, closing at the end of the contract ("sortie", with
its date and reason) and reopening. Erasure stays the admin's separate step (learn/admin/)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from learn.auth.forms import EmptyForm
from learn.services import accounts, closing
from learn.services.errors import Invalid
from learn.trainer.blueprint import bp
from learn.trainer.forms import CloseLearnerForm, RenameLearnerForm
from learn.web.access import staff_required
from learn.web.transactions import db


def _back(learner_id: int):
    return redirect(url_for("trainer.learner", learner_id=learner_id))


@bp.route("/learners/<int:learner_id>/rename", methods=["GET", "POST"])
@staff_required
def rename_learner(learner_id: int):
    person = accounts.get_learner(db(), current_user, learner_id)
    form = RenameLearnerForm(
        data={"display_name": person.display_name, "username": person.username}
    )
    if form.validate_on_submit():
        try:
            closing.rename_learner(
                db(), current_user, person.id, form.display_name.data, form.username.data
            )
        except Invalid as exc:
            form.form_errors.extend(exc.messages)
        else:
            flash(_("The learner's name and username are saved."), "success")
            return _back(person.id)
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("trainer/rename_learner.html", learner=person, form=form), status


@bp.route("/learners/<int:learner_id>/close", methods=["GET", "POST"])
@staff_required
def close_learner(learner_id: int):
    person = accounts.get_learner(db(), current_user, learner_id)
    if closing.is_closed(person):
        flash(_("This account is already closed."), "error")
        return _back(person.id)
    form = CloseLearnerForm()
    form.reason.choices = [SelectChoice("", _("Choose a reason"))] + [
        SelectChoice(key, str(label)) for key, label in closing.REASON_LABELS.items()
    ]
    if form.validate_on_submit():
        try:
            closing.close_learner(
                db(), current_user, person.id, form.closed_on.data, form.reason.data
            )
        except Invalid as exc:
            form.form_errors.extend(exc.messages)
        else:
            flash(
                _(
                    "%(name)s: account closed. It can no longer sign in; its records stay in "
                    "the reports and exports.",
                    name=person.display_name,
                ),
                "success",
            )
            return _back(person.id)
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("trainer/close_learner.html", learner=person, form=form), status


@bp.route("/learners/<int:learner_id>/reopen", methods=["POST"])
@staff_required
def reopen_learner(learner_id: int):
    person = accounts.get_learner(db(), current_user, learner_id)
    if EmptyForm().validate_on_submit():
        try:
            closing.reopen_learner(db(), current_user, person.id)
        except Invalid as exc:
            for message in exc.messages:
                flash(message, "error")
        else:
            flash(_("%(name)s: account open again.", name=person.display_name), "success")
    return _back(person.id)
