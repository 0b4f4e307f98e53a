"""Workplace tutors: the list, a new tutor's account with its sign-in card (no e-mail), a tutor's
page with the learners linked to them, linking and unlinking, a new code."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learn.auth.forms import EmptyForm
from learn.services import accounts, enrolment, tutoring
from learn.services.errors import Invalid, NotFound
from learn.trainer.blueprint import bp
from learn.trainer.forms import NewTutorForm, TutorLinkForm
from learn.web.access import staff_required
from learn.web.params import parse_id
from learn.web.transactions import db

LINK_CHOICES = 500


@bp.route("/tutors")
@staff_required
def tutors():
    return render_template("trainer/tutors.html", tutors=tutoring.list_tutors(db(), current_user))


@bp.route("/tutors/new", methods=["GET", "POST"])
@staff_required
def new_tutor():
    form = NewTutorForm()
    if form.validate_on_submit():
        username = (form.username.data or "").strip() or enrolment.propose_username(
            db(), form.display_name.data
        )
        try:
            created = tutoring.create_tutor(
                db(),
                current_user,
                display_name=form.display_name.data,
                username=username,
                company=form.company.data or "",
                code_days=current_app.config["LEARN_CODE_DAYS"],
            )
        except Invalid as exc:
            form.form_errors.extend(exc.messages)
        else:
            return _card(created.user, created.code)
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("trainer/new_tutor.html", form=form), status


def _card(tutor, code):
    return render_template(
        "trainer/sign_in_card.html",
        learner=tutor,
        code=code,
        back=url_for("trainer.tutor", tutor_id=tutor.id),
        back_label=_("Back to the tutor"),
    )


def _link_form() -> TutorLinkForm:
    form = TutorLinkForm()
    found = accounts.list_learners(db(), current_user, per_page=LINK_CHOICES, include_erased=False)
    form.learner.choices = [(str(p.id), p.display_name) for p in found.learners]
    return form


@bp.route("/tutors/<int:tutor_id>")
@staff_required
def tutor(tutor_id: int):
    person = tutoring.get_tutor(db(), current_user, tutor_id)
    linked = dict(tutoring.list_tutors(db(), current_user)).get(person, [])
    return render_template(
        "trainer/tutor.html",
        tutor=person,
        linked=linked,
        link_form=_link_form(),
        form=EmptyForm(),
    )


@bp.route("/tutors/<int:tutor_id>/links", methods=["POST"])
@staff_required
def link_tutor(tutor_id: int):
    person = tutoring.get_tutor(db(), current_user, tutor_id)
    form = TutorLinkForm()
    if form.validate_on_submit():
        learner_id = parse_id(form.learner.data or "")
        if learner_id is None:
            raise NotFound()
        try:
            tutoring.link(db(), current_user, person, learner_id)
        except Invalid as exc:
            for message in exc.messages:
                flash(message, "error")
        else:
            flash(_("Linked. The tutor sees this learner now."), "success")
    return redirect(url_for("trainer.tutor", tutor_id=person.id))


@bp.route("/tutors/<int:tutor_id>/links/<int:learner_id>/end", methods=["POST"])
@staff_required
def unlink_tutor(tutor_id: int, learner_id: int):
    person = tutoring.get_tutor(db(), current_user, tutor_id)
    if EmptyForm().validate_on_submit():
        learner = tutoring.end_link(db(), current_user, person, learner_id)
        flash(
            _("The tutor no longer sees %(name)s.", name=learner.display_name),
            "success",
        )
    return redirect(url_for("trainer.tutor", tutor_id=person.id))


@bp.route("/tutors/<int:tutor_id>/code", methods=["POST"])
@staff_required
def tutor_code(tutor_id: int):
    person = tutoring.get_tutor(db(), current_user, tutor_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("trainer.tutor", tutor_id=person.id))
    code = accounts.issue_code(
        db(), person, current_user, days=current_app.config["LEARN_CODE_DAYS"]
    )
    return _card(person, code)
