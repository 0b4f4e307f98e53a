"""Validation at the workstation: a learner's référentiel with each competence's evidence,
observations and tutors' assessments, and the forms to validate or withdraw; the same for a
soft-skill level; the attestation de compétences per référentiel, as a page and as a PDF."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learn import content
from learn.auth.forms import EmptyForm
from learn.models.people import utcnow
from learn.services import accounts, audit
from learn.services import validation as validation_service
from learn.services.assignments import today_for
from learn.services.competencies import level_modules
from learn.services.errors import Invalid, NotFound
from learn.trainer.blueprint import bp, org_timezone
from learn.web import attestations
from learn.web.access import staff_required
from learn.web.i18n import select_locale
from learn.web.transactions import db, records_audit


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _checked_form() -> None:
    """A POST without its CSRF token is refused (400) before anything is read."""
    if not EmptyForm().validate_on_submit():
        abort(400)


def _referentiel(referentiel_id: str):
    found = content.catalog().referentiel(referentiel_id)
    if found is None:
        raise NotFound()
    return found


def _decide(learner, kind: str, ref: str) -> list[str]:
    """Validate from the posted form; the problems, or [] once recorded."""
    try:
        validation_service.validate(
            db(),
            current_user,
            learner,
            content.catalog(),
            target_kind=kind,
            target_ref=ref,
            step=request.form.get("step") or None,
            sources=request.form.getlist("source"),
            comment=request.form.get("comment", ""),
            decided_on=_date(request.form.get("decided_on")),
        )
    except Invalid as exc:
        return exc.messages
    flash(_("The validation is recorded."), "success")
    return []


def _referentiel_page(learner, ref, errors=None, failed=None, status=200):
    lang = select_locale()
    records = validation_service.referentiel_records(db(), learner, ref)
    return render_template(
        "trainer/learner_referentiel.html",
        learner=learner,
        ref=ref,
        records=records,
        lang=lang,
        tz=org_timezone(),
        today=today_for(current_user, utcnow()),
        form=EmptyForm(),
        errors=errors or [],
        failed=failed,
        posted=request.form if failed else {},
    ), status


@bp.route("/learners/<int:learner_id>/referentiels/<referentiel_id>", methods=["GET", "POST"])
@staff_required
@records_audit
def learner_referentiel(learner_id: int, referentiel_id: str):
    learner = accounts.get_learner(db(), current_user, learner_id)
    ref = _referentiel(referentiel_id)
    if request.method == "POST":
        _checked_form()
        competence_id = request.form.get("competence", "")
        if ref.competence(competence_id) is None:
            raise NotFound()
        errors = _decide(learner, "competence", f"{ref.id}/{competence_id}")
        if not errors:
            return redirect(
                url_for(".learner_referentiel", learner_id=learner.id, referentiel_id=ref.id)
                + f"#competence-{competence_id}"
            )
        return _referentiel_page(learner, ref, errors, competence_id, 400)
    audit.record(db(), current_user, "learner.view", target=learner, page="referentiel")
    return _referentiel_page(learner, ref)


def _skill_page(learner, skill, level, errors=None, status=200):
    catalog, lang = content.catalog(), select_locale()
    module_id = level_modules(catalog).get((skill.id, level))
    record = validation_service.skill_level_record(db(), learner, skill.id, level, module_id)
    return render_template(
        "trainer/skill_validation.html",
        learner=learner,
        skill=skill,
        level=level,
        behaviours=skill.level(level).behaviours_for(lang),
        record=record,
        lang=lang,
        tz=org_timezone(),
        today=today_for(current_user, utcnow()),
        form=EmptyForm(),
        errors=errors or [],
        posted=request.form if errors else {},
    ), status


@bp.route(
    "/learners/<int:learner_id>/skills/<skill_id>/levels/<int:level>/validation",
    methods=["GET", "POST"],
)
@staff_required
@records_audit
def skill_validation(learner_id: int, skill_id: str, level: int):
    learner = accounts.get_learner(db(), current_user, learner_id)
    skill = content.catalog().skill(skill_id)
    if skill is None or level not in (1, 2, 3, 4) or skill.level(level) is None:
        raise NotFound()
    if request.method == "POST":
        _checked_form()
        errors = _decide(learner, "skill_level", f"{skill.id}/{level}")
        if not errors:
            return redirect(url_for("trainer.learner", learner_id=learner.id) + "#competencies")
        return _skill_page(learner, skill, level, errors, 400)
    audit.record(db(), current_user, "learner.view", target=learner, page="validation")
    return _skill_page(learner, skill, level)


@bp.route("/learners/<int:learner_id>/validations/<int:validation_id>/withdraw", methods=["POST"])
@staff_required
def withdraw_validation(learner_id: int, validation_id: int):
    learner = accounts.get_learner(db(), current_user, learner_id)
    _checked_form()
    found = validation_service.find_in_force(db(), current_user, learner, validation_id)
    try:
        validation_service.withdraw(
            db(), current_user, learner, validation_id, request.form.get("reason", "")
        )
    except Invalid as exc:
        head, _sep, tail = found.target_ref.partition("/")
        if found.target_kind == "competence":
            return _referentiel_page(learner, _referentiel(head), exc.messages, None, 400)
        return _skill_page(learner, content.catalog().skill(head), int(tail), exc.messages, 400)
    flash(_("The validation is withdrawn; it stays in the history."), "success")
    head, _sep, tail = found.target_ref.partition("/")
    if found.target_kind == "competence":
        return redirect(
            url_for(".learner_referentiel", learner_id=learner.id, referentiel_id=head)
            + f"#competence-{tail}"
        )
    return redirect(
        url_for(".skill_validation", learner_id=learner.id, skill_id=head, level=int(tail))
    )


@bp.route("/learners/<int:learner_id>/referentiels/<referentiel_id>/attestation")
@staff_required
@records_audit
def referentiel_attestation(learner_id: int, referentiel_id: str):
    learner = accounts.get_learner(db(), current_user, learner_id)
    ref = _referentiel(referentiel_id)
    audit.record(db(), current_user, "learner.view", target=learner, page="attestation")
    return attestations.page(learner, ref)


@bp.route("/learners/<int:learner_id>/referentiels/<referentiel_id>/attestation.pdf")
@staff_required
@records_audit
def referentiel_attestation_pdf(learner_id: int, referentiel_id: str):
    learner = accounts.get_learner(db(), current_user, learner_id)
    ref = _referentiel(referentiel_id)
    audit.record(db(), current_user, "learner.view", target=learner, page="attestation")
    return attestations.pdf(learner, ref)
