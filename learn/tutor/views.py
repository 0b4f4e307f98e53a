"""The workplace tutor's pages: the learners linked to them, one learner (what to assess and
what was sent), and the assessment form, made for a phone. The form keeps a draft on the server
("Save the draft", and static/js/autosave.js while typing); a refused sending gives everything
typed back."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learn import content
from learn.services import evidence, tutoring
from learn.services.errors import Invalid
from learn.services.textinput import without_control_characters
from learn.tutor.forms import AssessmentForm
from learn.web.access import tutor_required
from learn.web.control_characters import checks_own_text
from learn.web.i18n import select_locale
from learn.web.transactions import db

bp = Blueprint("tutor", __name__, url_prefix="/tutor")


@bp.route("/")
@tutor_required
def home():
    return render_template("tutor/home.html", learners=tutoring.linked_learners(db(), current_user))


@bp.route("/learners/<int:learner_id>")
@tutor_required
def learner(learner_id: int):
    learner = tutoring.linked_learner(db(), current_user, learner_id)
    catalog, lang = content.catalog(), select_locale()
    return render_template(
        "tutor/learner.html",
        learner=learner,
        catalog=catalog,
        lang=lang,
        sent=tutoring.sent_by(db(), current_user, learner),
        evidence=(items := evidence.for_learner(db(), current_user, learner)),
        described=evidence.described(catalog, items, lang),
    )


def _target(catalog, lang):
    # The form names its target in hidden fields; the address's query names it too.
    posted = request.method == "POST" and ("referentiel" in request.form or "skill" in request.form)
    source = request.form if posted else request.args
    if source.get("referentiel"):
        return tutoring.competence_target(
            catalog, source.get("referentiel", ""), source.get("competence", ""), lang
        )
    level = source.get("level", "")
    return tutoring.skill_target(
        catalog,
        source.get("skill", ""),
        int(level) if level in ("1", "2", "3", "4") else None,
        lang,
    )


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/learners/<int:learner_id>/assess", methods=["GET", "POST"])
@tutor_required
@checks_own_text
def assess(learner_id: int):
    learner = tutoring.linked_learner(db(), current_user, learner_id)
    catalog, lang = content.catalog(), select_locale()
    target = _target(catalog, lang)
    form = AssessmentForm()
    errors: list[str] = []
    draft = None
    ticked: set[str] = set()
    step = ""
    if request.method == "GET":
        draft = tutoring.draft_for(db(), current_user, learner, target)
        if draft is not None:
            form.form_token.data = draft.form_token
            form.assessed_on.data = draft.assessed_on
            form.place.data = draft.place
            form.note.data = draft.note
            ticked = {item["id"] for item in draft.criteria}
            step = draft.scale_step_id or ""
        else:
            form.form_token.data = tutoring.new_form_token()
    else:
        if not form.validate_on_submit():
            if "csrf_token" in form.errors:
                abort(400)
            errors = [e for messages in form.errors.values() for e in messages]
        ticked = set(request.form.getlist("criterion"))
        step = request.form.get("step", "")
        send = request.form.get("action") == "send"
        if not errors:
            try:
                saved = tutoring.save(
                    db(),
                    current_user,
                    learner,
                    target,
                    {
                        "form_token": form.form_token.data,
                        "criteria": request.form.getlist("criterion"),
                        "step": step,
                        "note": form.note.data,
                        "place": form.place.data,
                        "assessed_on": form.assessed_on.data,
                    },
                    send=send,
                )
            except Invalid as exc:
                errors = exc.messages
            else:
                if _wants_json():
                    return jsonify(saved=True, status=saved.row.status)
                if send:
                    flash(
                        _(
                            "Sent: %(name)s and the trainers can read it.",
                            name=learner.display_name,
                        ),
                        "success",
                    )
                    return redirect(url_for("tutor.learner", learner_id=learner.id))
                flash(_("Draft saved."), "success")
                return redirect(request.full_path)
        if _wants_json():
            return jsonify(saved=False, errors=errors), 400
        # Given back without what could not be saved, so that nothing typed is lost.
        form.note.data = without_control_characters(form.note.data or "")
        form.place.data = without_control_characters(form.place.data or "", multiline=False)
    return render_template(
        "tutor/assess.html",
        learner=learner,
        target=target,
        form=form,
        errors=errors,
        draft=draft,
        ticked=ticked,
        step=step,
    ), (400 if errors else 200)
