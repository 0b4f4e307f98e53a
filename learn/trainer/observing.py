"""Workplace observations, the attestation and the record of training, the workspace's home and
the organisation admin's setting."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learn import content
from learn.models.people import utcnow
from learn.services import (
    accounts,
    attestation,
    audit,
    credentials,
    groups,
    help_count,
    observations,
    organisations,
    review,
)
from learn.services.assignments import today_for
from learn.services.errors import Forbidden, Invalid
from learn.trainer.blueprint import bp, org_timezone
from learn.trainer.forms import DefaultLanguageForm, ObservationForm, RestrictionForm
from learn.web.access import staff_required
from learn.web.i18n import select_locale
from learn.web.transactions import db, records_audit


@bp.route("/")
@staff_required
def home():
    return render_template(
        "trainer/home.html",
        groups=groups.list_groups(db(), current_user),
        needing_help=help_count.needs_help_count(db(), current_user, content.catalog()),
        to_review=review.queue_size(db(), current_user),
    )


@bp.route("/learners/<int:learner_id>/observations/new", methods=["GET", "POST"])
@staff_required
def observe(learner_id: int):
    catalog, lang = content.catalog(), select_locale()
    learner = accounts.get_learner(db(), current_user, learner_id)
    source = request.form if request.method == "POST" else request.args
    skill_id = source.get("skill", "")
    level_text = source.get("level", "")
    level = int(level_text) if level_text in ("1", "2", "3", "4") else None
    skill = catalog.skill(skill_id) if skill_id else None
    chosen = skill.level(level) if skill and level else None
    form = ObservationForm()
    errors: list[str] = []
    if request.method == "GET" and not form.observed_on.data:
        form.observed_on.data = today_for(learner, utcnow())
    if chosen is not None and form.validate_on_submit():
        try:
            observations.record(
                db(),
                current_user,
                learner,
                catalog,
                skill_id=skill.id,
                level=level,
                observed_on=form.observed_on.data,
                situation=form.situation.data,
                evidence=form.evidence.data,
                behaviours=request.form.getlist("behaviour"),
                validated=form.validated.data == "yes",
                lang=lang,
                observer_name=form.observer_name.data or "",
                observer_role=form.observer_role.data or "",
            )
        except Invalid as exc:
            errors = exc.messages
        else:
            flash(_("The observation is recorded."), "success")
            return redirect(url_for("trainer.learner", learner_id=learner.id) + "#competencies")
    elif request.method == "POST" and chosen is None:
        errors = [_("Choose a skill and a level.")]
    status = 400 if request.method == "POST" else 200
    return render_template(
        "trainer/observe.html",
        learner=learner,
        catalog=catalog,
        lang=lang,
        skill=skill,
        level=level,
        chosen=chosen,
        behaviours=chosen.behaviours_for(lang) if chosen else (),
        ticked=set(request.form.getlist("behaviour")),
        guide=catalog.guide(skill.id, lang) if skill else None,
        form=form,
        errors=errors,
        role_suggestions=observations.role_suggestions(),
    ), status


@bp.route("/learners/<int:learner_id>/attestation")
@staff_required
@records_audit
def attestation_page(learner_id: int):
    catalog, lang = content.catalog(), select_locale()
    document = attestation.attestation(db(), current_user, learner_id, catalog)
    audit.record(db(), current_user, "learner.view", target=document.learner, page="attestation")
    issued = credentials.in_force(db(), document.learner)

    def credential_for(cell):
        ref = f"{cell.skill_id}/{cell.level}"
        return credentials.credential_for_target(issued, "skill_level", ref)

    return render_template(
        "trainer/attestation.html",
        document=document,
        catalog=catalog,
        lang=lang,
        credential_for=credential_for,
    )


@bp.route("/learners/<int:learner_id>/training-record")
@staff_required
@records_audit
def training_record(learner_id: int):
    catalog, lang = content.catalog(), select_locale()
    document = attestation.training_record(db(), current_user, learner_id, catalog)
    audit.record(db(), current_user, "learner.view", target=document.learner, page="record")
    return render_template(
        "trainer/training_record.html",
        document=document,
        catalog=catalog,
        lang=lang,
        tz=org_timezone(),
    )


@bp.route("/organisation", methods=["GET", "POST"])
@staff_required
def organisation():
    if current_user.role != "org_admin" or current_user.organisation is None:
        raise Forbidden()
    form = RestrictionForm(
        formdata=None if request.method == "GET" else request.form,
        restrict=current_user.organisation.restrict_trainers_to_groups,
    )
    if form.validate_on_submit():
        groups.set_trainer_restriction(db(), current_user, form.restrict.data)
        flash(
            _("Trainers now see only the learners of their own groups.")
            if form.restrict.data
            else _("Trainers now see every learner of the organisation."),
            "success",
        )
        return redirect(url_for("trainer.organisation"))
    return render_template(
        "trainer/organisation.html", form=form, language_form=_language_form(None)
    )


def _language_form(formdata) -> DefaultLanguageForm:
    return DefaultLanguageForm(
        formdata=formdata, default_locale=current_user.organisation.default_locale or ""
    )


@bp.route("/organisation/language", methods=["POST"])
@staff_required
def organisation_language():
    """The organisation's interface language, for its members who chose none."""
    if current_user.role != "org_admin" or current_user.organisation is None:
        raise Forbidden()
    form = _language_form(request.form)
    if form.validate_on_submit():
        organisations.set_default_locale(db(), current_user, form.default_locale.data)
        flash(_("The organisation's language is saved."), "success")
        return redirect(url_for("trainer.organisation"))
    restriction = RestrictionForm(
        formdata=None, restrict=current_user.organisation.restrict_trainers_to_groups
    )
    return render_template("trainer/organisation.html", form=restriction, language_form=form), 400
