"""Trainers' guides: how to run each skill and the entrepreneurship course (placement, easy-read
variant, what to observe at each level, the workshops' feedback criteria)."""

from __future__ import annotations

from flask import render_template
from werkzeug.exceptions import NotFound

from learn import content
from learn.trainer.blueprint import bp
from learn.web.access import staff_required
from learn.web.i18n import select_locale


@bp.route("/guides")
@staff_required
def guides():
    catalog, lang = content.catalog(), select_locale()
    skills = [(s, catalog.guide(s.id, lang)) for s in catalog.skills]
    courses = [
        (c, catalog.guide(c.id, lang))
        for c in (catalog.course(cid) for cid in ("entrepreneurship",))
        if c is not None
    ]
    return render_template(
        "trainer/guides.html",
        skills=[(s, g) for s, g in skills if g is not None],
        courses=[(c, g) for c, g in courses if g is not None],
        lang=lang,
    )


@bp.route("/guides/<guide_key>")
@staff_required
def guide(guide_key: str):
    catalog, lang = content.catalog(), select_locale()
    found = catalog.guide(guide_key, lang, preview=True)  # a machine translation is marked
    if found is None:
        raise NotFound()
    return render_template("trainer/guide.html", guide=found, lang=lang)
