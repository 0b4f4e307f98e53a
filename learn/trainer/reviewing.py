"""Workshop review: the queue, one worksheet, and the three entrepreneurship worksheets of a
learner shown together as one project."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learn import content
from learn.services import accounts, audit, review
from learn.services.errors import Invalid
from learn.trainer.blueprint import bp, org_timezone
from learn.trainer.forms import rating_field_name, review_form
from learn.web.access import staff_required
from learn.web.i18n import select_locale
from learn.web.params import parse_id
from learn.web.transactions import db, records_audit


def _workshop_of(catalog, answer, lang):
    """The worksheet's variant in the trainer's language (prompts share their ids)."""
    return catalog.variant(answer.module_id, lang, "standard")


@bp.route("/reviews")
@staff_required
def reviews():
    catalog, lang = content.catalog(), select_locale()
    return render_template(
        "trainer/reviews.html",
        items=review.queue(db(), current_user),
        catalog=catalog,
        lang=lang,
        tz=org_timezone(),
    )


def _guide_key(catalog, variant, lang) -> str | None:
    """The skill or course whose trainers' guide goes with this worksheet, if it has one."""
    key = variant and (variant.skill or variant.course)
    return key if key and catalog.guide(key, lang) is not None else None


def _rubric(variant) -> tuple:
    return variant.workshop.rubric if variant is not None and variant.workshop else ()


def _review_form(answer, variant):
    form = review_form(_rubric(variant), formdata=None)
    form.version.data = str(answer.version)
    return form


def _decide(answer, variant):
    """Apply the posted decision; returns the form with its errors, or None when saved."""
    rubric = _rubric(variant)
    form = review_form(rubric)
    if form.validate_on_submit():
        version = form.version.data or ""
        try:
            review.decide(
                db(),
                current_user,
                answer,
                decision=form.decision.data,
                comment=form.comment.data,
                version=parse_id(version),
                rubric=rubric,
                ratings={c.id: form[rating_field_name(c.id)].data for c in rubric},
            )
        except Invalid as exc:
            form.form_errors.extend(exc.messages)
        else:
            flash(
                _("Worksheet accepted: the learner will see it on their dashboard.")
                if answer.status == "accepted"
                else _("New version asked: the learner will see your comment on their dashboard."),
                "success",
            )
            return None
    return form


@bp.route("/reviews/<int:answer_id>", methods=["GET", "POST"])
@staff_required
def review_answer(answer_id: int):
    catalog, lang = content.catalog(), select_locale()
    answer = review.get_answer(db(), current_user, answer_id)
    variant = _workshop_of(catalog, answer, lang)
    form = _review_form(answer, variant)
    if request.method == "POST":
        form = _decide(answer, variant)
        if form is None:
            if request.form.get("back") == "project":
                return redirect(url_for("trainer.project", learner_id=answer.user_id))
            return redirect(url_for("trainer.reviews"))
    learner = accounts.get_learner(db(), current_user, answer.user_id)
    return render_template(
        "trainer/review.html",
        answer=answer,
        learner=learner,
        variant=variant,
        guide_key=_guide_key(catalog, variant, lang),
        form=form,
        tz=org_timezone(),
    ), (400 if form.errors or form.form_errors else 200)


@bp.route("/learners/<int:learner_id>/project")
@staff_required
@records_audit
def project(learner_id: int):
    catalog, lang = content.catalog(), select_locale()
    learner = accounts.get_learner(db(), current_user, learner_id)
    answers = review.answers_of(db(), current_user, learner)
    audit.record(db(), current_user, "learner.view", target=learner, page="project")
    parts = []
    for module_id, variant in review.project_workshops(catalog, lang):
        answer = answers.get(variant.workshop.id)
        parts.append(
            (
                module_id,
                variant,
                answer,
                _review_form(answer, variant) if answer is not None else None,
            )
        )
    return render_template(
        "trainer/project.html",
        learner=learner,
        parts=parts,
        tz=org_timezone(),
        guide_key=review.PROJECT_COURSE if catalog.guide(review.PROJECT_COURSE, lang) else None,
    )
