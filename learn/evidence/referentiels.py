"""A learner's own view of the job référentiels they work on: each competence's state
(validated: step, date, by whom), the evidence they sent, links to add more; and their
attestation de compétences as a PDF. Read-only: trainers validate (learn/trainer/validating.py)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from learn import content
from learn.evidence.views import _learner_only
from learn.services import validation as validation_service
from learn.web import attestations
from learn.web.access import learner_view
from learn.web.i18n import select_locale
from learn.web.transactions import db

bp = Blueprint("referentiels", __name__, url_prefix="/referentiels")


def _found(referentiel_id: str):
    ref = content.catalog().referentiel(referentiel_id)
    if ref is None:
        abort(404)
    return ref


@bp.route("/<referentiel_id>")
@learner_view
def view(referentiel_id: str):
    """The learner's own view of a job référentiel: each competence's state, what they sent."""
    if (elsewhere := _learner_only()) is not None:
        return elsewhere
    ref, lang = _found(referentiel_id), select_locale()
    return render_template(
        "evidence/referentiel.html",
        ref=ref,
        records=validation_service.referentiel_records(db(), current_user, ref),
        lang=lang,
    )


@bp.route("/<referentiel_id>/attestation.pdf")
@learner_view
def attestation(referentiel_id: str):
    if (elsewhere := _learner_only()) is not None:
        return elsewhere
    return attestations.pdf(current_user, _found(referentiel_id))
