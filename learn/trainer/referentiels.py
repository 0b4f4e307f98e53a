"""Job référentiels, read-only: the list, and one référentiel with its activities, competences,
observable criteria (safety ones marked), scale, linked soft skills and modules, and sources."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from learn import content
from learn.trainer.blueprint import bp
from learn.web.access import staff_required
from learn.web.i18n import select_locale

SECTOR_LABELS = {
    "proprete": _l("Cleaning and hygiene"),
    "espaces-verts": _l("Green spaces"),
    "commerce": _l("Retail"),
    "biodechets": _l("Organic waste"),
}


@bp.route("/referentiels")
@staff_required
def referentiels():
    catalog, lang = content.catalog(), select_locale()
    return render_template(
        "trainer/referentiels.html",
        referentiels=catalog.referentiels,
        sectors=SECTOR_LABELS,
        lang=lang,
    )


@bp.route("/referentiels/<referentiel_id>")
@staff_required
def referentiel(referentiel_id: str):
    catalog, lang = content.catalog(), select_locale()
    found = catalog.referentiel(referentiel_id)
    if found is None:
        raise NotFound()
    skills = {s.id: s for s in catalog.skills}
    modules = {
        mid: catalog.variant(mid, lang)
        for c in found.competences
        for mid in c.modules
        if catalog.is_valid(mid)
    }
    return render_template(
        "trainer/referentiel.html",
        ref=found,
        sectors=SECTOR_LABELS,
        skills=skills,
        guides={sid for sid in skills if catalog.guide(sid, lang) is not None},
        modules=modules,
        lang=lang,
    )
