"""The credentials' pages. Public (no sign-in): an issuer's profile, a status list, a
credential's page, its JSON, its QR code and printable view. Staff: a learner's credentials,
issuing, revoking. Learner: the passport, its downloads and the choice to show one's name."""

from __future__ import annotations

import io
import json
import re
import zipfile

import segno
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from learn import content
from learn.badges.forms import (
    ConsentForm,
    DecideForm,
    ExportForm,
    ImportConfirmForm,
    ImportFileForm,
    IssueForm,
    NameCheckForm,
    RevokeForm,
    ShowNameForm,
    TransferForm,
)
from learn.services import (
    accounts,
    achievements,
    audit,
    credentials,
    issuers,
    record_files,
    transfers,
)
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.pdf import html_to_pdf
from learn.web.access import learner_view, staff_required
from learn.web.i18n import select_locale
from learn.web.transactions import db, records_audit
from learn.web.uploads import accepts_files, accepts_large_form

bp = Blueprint("badges", __name__)
LD_JSON = "application/ld+json"


def base_url() -> str:
    """The address credentials are issued under: LEARN_PUBLIC_URL, else this request's."""
    return (current_app.config.get("LEARN_PUBLIC_URL") or request.url_root).rstrip("/")


def key_store() -> issuers.KeyStore:
    return issuers.key_store(current_app.config["LEARN_PATHS"].instance)


def json_response(document: dict, *, download: str | None = None, mimetype=LD_JSON) -> Response:
    response = Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype=mimetype)
    if download:
        response.headers["Content-Disposition"] = f'attachment; filename="{download}"'
    return response


def file_name(row) -> str:
    """A download's name: the achievement in plain letters, then the credential's id."""
    name = (row.document or {}).get("name") or row.kind
    plain = re.sub(r"[^a-z0-9]+", "-", name.lower().encode("ascii", "ignore").decode()).strip("-")
    return f"{plain[:40] or 'credential'}-{str(row.id)[:8]}.json"


# --- public ------------------------------------------------------------------------------------


@bp.route("/issuers/<slug>")
def issuer_profile(slug: str):
    org = issuers.organisation_by_slug(db(), slug)
    return json_response(issuers.profile_document(db(), org, base_url()))


@bp.route("/credentials/status/<slug>/<list_number>")
def status_list(slug: str, list_number: str):
    if not list_number.isdigit() or len(list_number) > 6:
        raise NotFound()
    document = credentials.status_list_credential(
        db(), key_store(), slug, int(list_number), base_url()
    )
    return json_response(document)


def _public_view(row, form=None, name_result=None, status=200):
    verdict = credentials.verdict(db(), row)
    document = row.document or {}
    subject = document.get("credentialSubject") or {}
    return render_template(
        "badges/public.html",
        row=row,
        document=document,
        achievement=subject.get("achievement") or {},
        result=(subject.get("result") or [{}])[0],
        shown_name=achievements.shown_name(document),
        verdict=verdict,
        form=form or NameCheckForm(formdata=None),
        name_result=name_result,
        page_url=url_for("badges.credential_page", credential_id=row.id, _external=True),
    ), status


@bp.route("/credentials/<credential_id>")
def credential_page(credential_id: str):
    row = credentials.public_credential(db(), credential_id)
    wanted = request.accept_mimetypes.best_match(["text/html", LD_JSON, "application/json"])
    if wanted in (LD_JSON, "application/json") and row.document:
        response = json_response(row.document, mimetype=wanted)
    else:
        response = _public_view(row)
        response = current_app.make_response(response)
    response.vary.add("Accept")
    return response


@bp.route("/credentials/<credential_id>.json")
def credential_json(credential_id: str):
    row = credentials.public_credential(db(), credential_id)
    if not row.document:
        raise NotFound()
    return json_response(row.document, download=file_name(row))


@bp.route("/credentials/<credential_id>/check-name", methods=["POST"])
def check_name(credential_id: str):
    row = credentials.public_credential(db(), credential_id)
    form = NameCheckForm()
    if not form.validate_on_submit():
        return _public_view(row, form, status=400)
    matches = bool(row.document) and achievements.name_matches(row.document, form.name.data)
    return _public_view(row, form, name_result=matches)


def qr_svg(url: str, scale: int = 4) -> str:
    """The QR code of an address, as an SVG document (no XML declaration: it can be inlined)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, border=4, xmldecl=False)
    return buffer.getvalue().decode()


@bp.app_template_global()
def credential_qr_code(row) -> Markup:
    """A small QR code leading to a credential's public page, inlined in a printed attestation
    (no request for an image: the PDF fetches nothing)."""
    url = url_for("badges.credential_page", credential_id=row.id, _external=True)
    # segno's own drawing: the address is encoded in the squares, never written as text
    return Markup(qr_svg(url, scale=2))  # noqa: S704  # nosec B704 (segno's SVG, no text of ours)


@bp.route("/credentials/<credential_id>/qr.svg")
def credential_qr(credential_id: str):
    row = credentials.public_credential(db(), credential_id)
    url = url_for("badges.credential_page", credential_id=row.id, _external=True)
    return Response(qr_svg(url), mimetype="image/svg+xml")


def pdf_html(row) -> str:
    """The printable view of one credential, for the PDF: its QR code inlined, no links out."""
    return render_template("badges/print.html", rows=[row], sheet=_sheet, back=None, pdf=True)


def pdf_stylesheet() -> str:
    return current_app.static_folder + "/css/credentials.css"


@bp.route("/credentials/<credential_id>.pdf")
def credential_pdf(credential_id: str):
    row = credentials.public_credential(db(), credential_id)
    if not row.document:
        raise NotFound()
    response = make_response(html_to_pdf(pdf_html(row), pdf_stylesheet()))
    response.mimetype = "application/pdf"
    name = file_name(row).removesuffix(".json") + ".pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/credentials/<credential_id>/print")
def credential_print(credential_id: str):
    row = credentials.public_credential(db(), credential_id)
    if not row.document:
        raise NotFound()
    return render_template("badges/print.html", rows=[row], sheet=_sheet, back=None)


def _sheet(row) -> dict:
    """What a printed attestation shows of a credential."""
    document = row.document
    subject = document.get("credentialSubject") or {}
    url = url_for("badges.credential_page", credential_id=row.id, _external=True)
    return {
        "row": row,
        "document": document,
        "achievement": subject.get("achievement") or {},
        "result": (subject.get("result") or [{}])[0],
        "shown_name": achievements.shown_name(document),
        "url": url,
        # segno's own drawing: the address is encoded in the squares, never written as text
        "qr_svg": Markup(qr_svg(url)),  # noqa: S704  # nosec B704 (segno's SVG)
    }


# --- staff: issuing and revoking ---------------------------------------------------------------


@bp.route("/trainer/learners/<int:learner_id>/credentials")
@staff_required
@records_audit
def learner_credentials(learner_id: int):
    catalog, lang = content.catalog(), select_locale()
    learner = accounts.get_learner(db(), current_user, learner_id)
    audit.record(db(), current_user, "learner.view", target=learner, page="credentials")
    return render_template(
        "badges/learner.html",
        learner=learner,
        earned=credentials.issuable(db(), current_user, learner_id, catalog, lang),
        issued=credentials.credentials_of(db(), current_user, learner_id),
        issue_form=IssueForm(formdata=None),
        revoke_form=RevokeForm(formdata=None),
        reasons=credentials.REVOCATION_REASONS,
        transfer_form=TransferForm(formdata=None),
        export_form=ExportForm(formdata=None),
        imported=record_files.imported_of(db(), current_user, learner_id),
        sent=transfers.sent_for(db(), current_user, learner_id),
    )


def _submit(form, back: str, action, done, refused: str | None = None):
    """A staff POST on the credentials pages: check the form (else say why: `refused`, or the
    form's own errors), run the service call, say its refusal or `done(result)`, and go back."""
    if not form.validate_on_submit():
        flash(refused or " ".join(str(e) for errs in form.errors.values() for e in errs), "error")
        return redirect(back)
    try:
        result = action()
    except Invalid as exc:
        flash(" ".join(exc.messages), "error")
        return redirect(back)
    flash(done(result), "success")
    return redirect(back)


@bp.route("/trainer/learners/<int:learner_id>/credentials/issue", methods=["POST"])
@staff_required
def issue(learner_id: int):
    learner = accounts.get_learner(db(), current_user, learner_id)
    form = IssueForm()
    return _submit(
        form,
        url_for("badges.learner_credentials", learner_id=learner.id),
        lambda: credentials.issue(
            db(),
            current_user,
            learner.id,
            form.kind.data,
            form.ref.data,
            content.catalog(),
            key_store(),
            base_url(),
        ),  # fmt: skip
        lambda row: _("The credential is issued and signed: %(name)s.", name=row.document["name"]),
        refused=_("Choose what to issue."),
    )


@bp.route("/trainer/credentials/<credential_id>/revoke", methods=["POST"])
@staff_required
def revoke(credential_id: str):
    row = credentials.staff_credential(db(), current_user, credential_id)
    form = RevokeForm()
    return _submit(
        form,
        url_for("badges.learner_credentials", learner_id=row.learner_id),
        lambda: credentials.revoke(db(), current_user, row.id, form.reason.data),
        lambda _row: _("The credential is revoked: verifiers are told so from now on."),
        refused=_("Choose a reason."),
    )


# --- the learner's passport --------------------------------------------------------------------


def _my_rows():
    if current_user.role != "learner":
        raise Forbidden()
    return credentials.my_credentials(db(), current_user)


@bp.route("/passport")
@learner_view
def passport():
    rows = _my_rows()
    return render_template(
        "badges/passport.html",
        rows=rows,
        requests=transfers.waiting_for(db(), current_user),
        received=transfers.received_for(db(), current_user),
        imported=record_files.imported_for(db(), current_user),
        consent_form=ConsentForm(formdata=None),
        form=ShowNameForm(formdata=None, show_name=credentials.show_name(db(), current_user)),
        file_name=file_name,
    )


@bp.route("/passport/name", methods=["POST"])
@learner_view
def passport_name():
    _my_rows()
    form = ShowNameForm()
    if form.validate_on_submit():
        credentials.set_show_name(db(), current_user, bool(form.show_name.data))
        flash(
            _("Your name will be shown on the credentials issued from now on.")
            if form.show_name.data
            else _("Your name will not be shown on the credentials issued from now on."),
            "success",
        )
    return redirect(url_for("badges.passport"))


@bp.route("/passport/credentials.zip")
@learner_view
def passport_zip():
    rows = [row for row in _my_rows() if row.document]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in rows:
            archive.writestr(file_name(row), json.dumps(row.document, ensure_ascii=False, indent=2))
    response = Response(buffer.getvalue(), mimetype="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="passport-credentials.zip"'
    return response


@bp.route("/passport/print")
@learner_view
def passport_print():
    rows = [row for row in _my_rows() if row.document]
    return render_template(
        "badges/print.html", rows=rows, sheet=_sheet, back=url_for("badges.passport")
    )


# --- moving between partners -------------------------------------------------------------------


@bp.route("/trainer/learners/<int:learner_id>/transfers", methods=["POST"])
@staff_required
def request_transfer(learner_id: int):
    learner = accounts.get_learner(db(), current_user, learner_id)
    form = TransferForm()
    return _submit(
        form,
        url_for("badges.learner_credentials", learner_id=learner.id) + "#transfer",
        lambda: transfers.request_transfer(db(), current_user, learner.id, form.partner.data),
        lambda _row: _("The learner will be asked, on their own screen, whether they agree."),
    )


@bp.route("/passport/transfers/<transfer_id>", methods=["POST"])
@learner_view
def answer_transfer(transfer_id: str):
    form = ConsentForm()
    decision = request.form.get("decision")
    if not form.validate_on_submit() or decision not in ("accept", "refuse"):
        flash(_("Choose whether you agree."), "error")
        return redirect(url_for("badges.passport"))
    try:
        transfers.answer(
            db(), current_user, transfer_id, decision == "accept",
            bool(form.workshops.data), content.catalog(),
        )  # fmt: skip
    except Invalid as exc:
        flash(" ".join(exc.messages), "error")
        return redirect(url_for("badges.passport"))
    flash(_("Your record is sent.") if decision == "accept" else _("Nothing is sent."), "success")
    return redirect(url_for("badges.passport"))


@bp.route("/trainer/transfers")
@staff_required
def incoming_transfers():
    return render_template("badges/transfers.html", rows=transfers.incoming(db(), current_user))


def _transfer_page(row, form=None, new=None, status=200):
    package = row.package or {}
    checked = [
        (document, credentials.check_document(db(), document))
        for document in package.get("credentials", [])
    ]
    return render_template(
        "badges/transfer.html",
        row=row,
        package=package,
        checked=checked,
        form=form or DecideForm(formdata=None),
        new=new,
        catalog=content.catalog(),
        lang=select_locale(),
    ), status


@bp.route("/trainer/transfers/<transfer_id>", methods=["GET", "POST"])
@staff_required
def incoming_transfer(transfer_id: str):
    row = transfers.incoming_request(db(), current_user, transfer_id)
    if request.method == "GET":
        return _transfer_page(row)
    form = DecideForm()
    decision = request.form.get("decision")
    if not form.validate_on_submit() or decision not in ("accept", "decline"):
        return _transfer_page(row, form, status=400)
    try:
        row, new = transfers.decide(
            db(), current_user, row.id, decision == "accept", form.username.data or ""
        )
    except Invalid as exc:
        form.username.errors = list(exc.messages)
        return _transfer_page(row, form, status=400)
    if new is None:
        flash(_("The request is declined."), "success")
        return redirect(url_for("badges.incoming_transfers"))
    # The one-time code is shown once, on this page, never kept in a message or the session.
    return _transfer_page(row, new=new)


# --- between two Parcours: signed export files -------------------------------------------------


@bp.route("/trainer/learners/<int:learner_id>/exports", methods=["POST"])
@staff_required
def request_export(learner_id: int):
    learner = accounts.get_learner(db(), current_user, learner_id)
    form = ExportForm()
    return _submit(
        form,
        url_for("badges.learner_credentials", learner_id=learner.id) + "#export",
        lambda: record_files.request_export(db(), current_user, learner.id, form.destination.data),
        lambda _row: _("The learner will be asked, on their own screen, whether they agree."),
    )


@bp.route("/trainer/exports/<transfer_id>.json")
@staff_required
@records_audit
def export_file(transfer_id: str):
    try:
        document = record_files.export_file(
            db(), current_user, transfer_id, key_store(), base_url()
        )
    except Invalid as exc:
        flash(" ".join(exc.messages), "error")
        learner_id = transfers.sent_request(db(), current_user, transfer_id).learner_id
        return redirect(url_for("badges.learner_credentials", learner_id=learner_id) + "#export")
    return json_response(
        document, download=f"parcours-record-{transfer_id[:8]}.json", mimetype="application/json"
    )


@bp.route("/passport/export.json")
@learner_view
@records_audit
def passport_file():
    document = record_files.passport_file(
        db(), current_user, content.catalog(), key_store(), base_url()
    )
    return json_response(document, download="parcours-passport.json", mimetype="application/json")


def _learner_choices():
    page = accounts.list_learners(db(), current_user, per_page=1000, include_erased=False)
    return [("", _("A new account"))] + [
        (str(learner.id), f"{learner.display_name} ({learner.username})")
        for learner in page.learners
    ]


def _import_page(file_form=None, found=None, confirm_form=None, error=None, new=None,
                 record=None, status=200):  # fmt: skip
    return render_template(
        "badges/import.html",
        file_form=file_form or ImportFileForm(formdata=None),
        found=found,
        confirm_form=confirm_form,
        error=error,
        new=new,
        record=record,
    ), status


@bp.route("/trainer/imports")
@staff_required
def import_page():
    if not accounts.can_manage_role(current_user, "learner"):
        raise Forbidden()
    return _import_page()


@bp.route("/trainer/imports/check", methods=["POST"])
@staff_required
@accepts_files
def import_check():
    if not accounts.can_manage_role(current_user, "learner"):
        raise Forbidden()
    form = ImportFileForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        return _import_page(form, error=_("Choose the export file."), status=400)
    raw = upload.read(record_files.MAX_FILE_BYTES + 1)
    try:
        found = record_files.read_file(raw)
    except Invalid as exc:
        return _import_page(form, error=" ".join(exc.messages), status=400)
    # On one line (the signature is over the canonical JSON, not the file's layout).
    confirm = ImportConfirmForm(formdata=None, document=json.dumps(found.document))
    confirm.learner.choices = _learner_choices()
    return _import_page(form, found=found, confirm_form=confirm)


@bp.route("/trainer/imports", methods=["POST"])
@staff_required
@accepts_large_form(record_files.MAX_ESCAPED_BYTES * 3)  # then URL-encoded
def import_confirm():
    if not accounts.can_manage_role(current_user, "learner"):
        raise Forbidden()
    form = ImportConfirmForm()
    form.learner.choices = _learner_choices()
    raw = form.document.data or ""
    try:
        found = record_files.read_file(raw, record_files.MAX_ESCAPED_BYTES)
    except Invalid as exc:
        return _import_page(error=" ".join(exc.messages), status=400)
    if not form.validate_on_submit():
        return _import_page(found=found, confirm_form=form, status=400)
    choice = form.learner.data or ""
    try:
        record, new = record_files.import_file(
            db(), current_user, raw,
            learner_id=int(choice) if choice.isdigit() else None,
            username=form.username.data or "",
        )  # fmt: skip
    except Invalid as exc:
        form.username.errors = list(exc.messages)
        return _import_page(found=found, confirm_form=form, status=400)
    # The one-time code is shown once, on this page, never kept in a message or the session.
    return _import_page(found=found, new=new, record=record)
