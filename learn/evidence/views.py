"""Evidence from the learner's phone: the learner's list and form, and the files, served only
to the people entitled (learn/services/evidence.py decides who), never as a page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learn import content
from learn.auth.forms import EmptyForm
from learn.evidence.forms import EvidenceForm
from learn.services import evidence as evidence_service
from learn.services import evidence_files
from learn.services.errors import Invalid
from learn.web.access import learner_view
from learn.web.i18n import select_locale
from learn.web.transactions import db
from learn.web.uploads import accepts_files

bp = Blueprint("evidence", __name__, url_prefix="/evidence")

# A file is never a page: no script, no plugin, no form, not even its own origin.
FILE_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def _learner_only():
    """Staff read a learner's evidence on the learner's page of the trainer's workspace."""
    if current_user.is_staff:
        return redirect(url_for("trainer.learners"))
    return None


def _file_in_form(name: str, limit: int) -> bytes | None:
    """The bytes of a file field, None if no file was chosen (read up to one byte past the
    limit: the service says "too large" without this reading a larger file whole)."""
    storage = request.files.get(name)
    if storage is None or not storage.filename:
        return None
    return storage.stream.read(limit + 1)


@bp.route("/")
@learner_view
def mine():
    if (elsewhere := _learner_only()) is not None:
        return elsewhere
    catalog, lang = content.catalog(), select_locale()
    items = evidence_service.for_learner(db(), current_user, current_user)
    return render_template(
        "evidence/mine.html",
        items=items,
        described=evidence_service.described(catalog, items, lang),
        form=EmptyForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@accepts_files
@learner_view
def new():
    if (elsewhere := _learner_only()) is not None:
        return elsewhere
    catalog, lang = content.catalog(), select_locale()
    targets = evidence_service.targets(catalog, lang)
    form = EvidenceForm()
    form.target.choices = [("", _("Choose"))] + [
        (t.key, f"{t.title} · {t.context}" if t.context else t.title) for t in targets
    ]
    if request.method == "GET" and request.args.get("target"):
        form.target.data = request.args["target"]
    errors: list[str] = []
    if request.method == "POST":
        if form.validate_on_submit():
            kind, _sep, ref = (form.target.data or "").partition(":")
            try:
                evidence_service.add(
                    db(),
                    current_user,
                    catalog,
                    target_kind=kind,
                    target_ref=ref,
                    note=form.note.data or "",
                    photo=_file_in_form("photo", evidence_files.PHOTO_MAX_BYTES)
                    or _file_in_form("photo_file", evidence_files.PHOTO_MAX_BYTES),
                    audio=_file_in_form("audio", evidence_files.AUDIO_MAX_BYTES),
                    lang=lang,
                )
            except Invalid as exc:
                errors = exc.messages
            else:
                flash(_("Your evidence is saved. Your trainer can see it."), "success")
                return redirect(url_for("evidence.mine"))
        elif form.csrf_token.errors:
            abort(400)
    page = render_template(
        "evidence/new.html",
        form=form,
        errors=errors,
        photo_mb=evidence_files.megabytes(evidence_files.PHOTO_MAX_BYTES),
        audio_mb=evidence_files.megabytes(evidence_files.AUDIO_MAX_BYTES),
    )
    response = make_response(page, 400 if request.method == "POST" else 200)
    # This page only may use the microphone, for the recorder (static/js/voice-recorder.js).
    response.headers["Permissions-Policy"] = "camera=(), microphone=(self), geolocation=()"
    return response


@bp.route("/<int:evidence_id>/delete", methods=["POST"])
@learner_view
def delete(evidence_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    evidence_service.remove(db(), current_user, evidence_id)
    flash(_("The evidence is deleted."), "success")
    return redirect(url_for("evidence.mine"))


@bp.route("/<int:evidence_id>/file")
@login_required
def file(evidence_id: int):
    found = evidence_service.get_evidence(db(), current_user, evidence_id)
    data = evidence_service.file_of(db(), found)
    response = Response(data, mimetype=found.content_type or "application/octet-stream")
    # A photo (re-encoded here) may show in the page; a voice note is only ever a download
    # (an <audio> element plays it all the same).
    disposition = "inline" if found.kind == "photo" else "attachment"
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="{evidence_service.file_name(found)}"'
    )
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    # Private to the person signed in (the headers hook makes it no-store as well).
    response.headers["Cache-Control"] = "private, no-store"
    # Safari plays a voice note only from a server that answers byte ranges.
    return response.make_conditional(request, accept_ranges=True, complete_length=len(data))
