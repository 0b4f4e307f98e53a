"""The trainer's side: learners of the organisation, their accounts."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learn.auth.forms import EmptyForm
from learn.frame import db
from learn.models import Role
from learn.services import accounts
from learn.services.errors import Forbidden, Invalid
from learn.trainer.forms import NewLearnerForm

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


def staff_required(view):
    """Signed in with a staff role, else 403."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_staff:
            raise Forbidden()
        return view(*args, **kwargs)

    return wrapper


@bp.route("/learners")
@staff_required
def learners():
    return render_template(
        "trainer/learners.html", learners=accounts.list_learners(db(), current_user)
    )


@bp.route("/learners/new", methods=["GET", "POST"])
@staff_required
def new_learner():
    form = NewLearnerForm()
    if form.validate_on_submit():
        try:
            created = accounts.create_account(
                db(),
                organisation=current_user.organisation,
                username=form.username.data,
                display_name=form.display_name.data,
                role=Role.LEARNER,
                password=form.password.data or None,
                with_code=form.with_code.data,
                created_by=current_user,
                code_days=current_app.config["LEARN_CODE_DAYS"],
            )
        except Invalid as exc:
            form.form_errors.extend(exc.messages)
        else:
            return render_template(
                "trainer/sign_in_card.html", learner=created.user, code=created.code
            )
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("trainer/new_learner.html", form=form), status


@bp.route("/learners/<int:learner_id>")
@staff_required
def learner(learner_id: int):
    person = accounts.get_learner(db(), current_user, learner_id)
    return render_template("trainer/learner.html", learner=person, form=EmptyForm())


@bp.route("/learners/<int:learner_id>/code", methods=["POST"])
@staff_required
def new_code(learner_id: int):
    person = accounts.get_learner(db(), current_user, learner_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("trainer.learner", learner_id=person.id))
    code = accounts.issue_code(
        db(), person, current_user, days=current_app.config["LEARN_CODE_DAYS"]
    )
    accounts.end_all_sessions(db(), person)
    return render_template("trainer/sign_in_card.html", learner=person, code=code)


@bp.route("/learners/<int:learner_id>/sign-out", methods=["POST"])
@staff_required
def sign_out_everywhere(learner_id: int):
    person = accounts.get_learner(db(), current_user, learner_id)
    form = EmptyForm()
    if form.validate_on_submit():
        accounts.end_all_sessions(db(), person)
        flash(_("%(name)s is signed out on every device.", name=person.display_name), "success")
    return redirect(url_for("trainer.learner", learner_id=person.id))
