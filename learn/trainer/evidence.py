"""The evidence a learner sent from their phone, as their trainer reads it."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from learn import content
from learn.services import accounts, audit
from learn.services import evidence as evidence_service
from learn.trainer.blueprint import bp, org_timezone
from learn.web.access import staff_required
from learn.web.i18n import select_locale
from learn.web.transactions import db, records_audit


@bp.route("/learners/<int:learner_id>/evidence")
@staff_required
@records_audit
def learner_evidence(learner_id: int):
    catalog, lang = content.catalog(), select_locale()
    learner = accounts.get_learner(db(), current_user, learner_id)
    items = evidence_service.for_learner(db(), current_user, learner)
    audit.record(db(), current_user, "learner.view", target=learner, page="evidence")
    return render_template(
        "trainer/evidence.html",
        learner=learner,
        items=items,
        described=evidence_service.described(catalog, items, lang),
        tz=org_timezone(),
    )
