"""What funders accept (docs/funders.md): the certificat de réalisation of a learner or a group
(print view, PDF, CSV lines), the funding type a group records, and a group's Qualiopi evidence
(page and PDF)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learn import content
from learn.auth.forms import EmptyForm
from learn.i18n import format_when
from learn.services import (
    accounts,
    assigning,
    audit,
    certificate,
    groups,
    qualiopi,
    satisfaction,
)
from learn.services.errors import Invalid
from learn.services.pdf import html_to_pdf
from learn.services.spreadsheet import csv_bytes, neutralise_formula, number_text
from learn.trainer.blueprint import bp, org_timezone
from learn.web.access import staff_required
from learn.web.downloads import attachment
from learn.web.i18n import select_locale
from learn.web.transactions import db, records_audit


def _period():
    """The period asked for in the address (?start=&end=); a 400 page when it is not one."""
    try:
        return certificate.parse_period(
            request.args.get("start", "")[:10], request.args.get("end", "")[:10]
        ), []
    except Invalid as exc:
        return (None, None), exc.messages


def _hours(value: float) -> str:
    return number_text(value, 2)


def _render(template: str, **values) -> str:
    return render_template(
        template,
        catalog=content.catalog(),
        lang=select_locale(),
        tz=org_timezone(),
        funding_label=certificate.funding_label,
        number=_hours,
        **values,
    )


def _pdf(certificates, title: str, filename: str):
    html = _render("funders/certificates_pdf.html", certificates=certificates, title=title)
    stylesheet = current_app.static_folder + "/css/document.css"
    return attachment(html_to_pdf(html, stylesheet), filename + ".pdf", "application/pdf")


def csv_lines(certificates) -> bytes:
    """One line per learner, for the funders' portals (spreadsheet.py's conventions)."""
    header = [
        _("Training provider"),
        _("Learner"),
        _("Username"),
        _("Account number"),
        _("Training action"),
        _("Funder"),
        _("Start"),
        _("End"),
        _("Hours completed (activities × estimated durations)"),
        _("Connection time (h)"),
        _("Activities done"),
        _("Assessments"),
        _("Help requests"),
        _("Worksheet reviews"),
        _("Signed by"),
    ]
    rows = []
    for c in certificates:
        helps = [a for a in c.assistance if a.kind == "help"]
        rows.append(
            [
                neutralise_formula(c.organisation_name),
                neutralise_formula(c.learner.display_name),
                neutralise_formula(c.learner.username),
                str(c.learner.id),
                neutralise_formula(c.action_title),
                certificate.funding_label(c.funding),
                format_when(c.start),
                format_when(c.end),
                _hours(c.hours),
                _hours(c.connection_hours),
                str(len(c.activities)),
                str(len(c.assessments)),
                str(len(helps)),
                str(len(c.assistance) - len(helps)),
                neutralise_formula(c.signed_by),
            ]
        )
    return csv_bytes(header, rows)


def _learner_certificate(learner_id: int):
    (start, end), errors = _period()
    document = certificate.certificate(
        db(), current_user, learner_id, content.catalog(), start, end
    )
    audit.record(db(), current_user, "learner.view", target=document.learner, page="certificate")
    return document, errors


@bp.route("/learners/<int:learner_id>/certificate")
@staff_required
@records_audit
def learner_certificate(learner_id: int):
    document, errors = _learner_certificate(learner_id)
    page = _render(
        "funders/certificate.html",
        certificates=[document],
        learner=document.learner,
        group=None,
        errors=errors,
        args={k: request.args.get(k, "")[:10] for k in ("start", "end")},
    )
    return page, 400 if errors else 200


@bp.route("/learners/<int:learner_id>/certificate.<kind>")
@staff_required
@records_audit
def learner_certificate_file(learner_id: int, kind: str):
    if kind not in ("pdf", "csv"):  # whose learner first: another organisation's id is 404
        accounts.get_learner(db(), current_user, learner_id)
        return redirect(url_for("trainer.learner_certificate", learner_id=learner_id))
    document, errors = _learner_certificate(learner_id)
    if errors:
        return redirect(url_for("trainer.learner_certificate", learner_id=learner_id))
    name = _("Certificate of completion %(name)s", name=document.learner.display_name)
    if kind == "csv":
        return attachment(csv_lines([document]), name + ".csv", "text/csv")
    return _pdf([document], name, name)


def _group_certificates(group_id: int):
    (start, end), errors = _period()
    group, documents = certificate.group_certificates(
        db(), current_user, group_id, content.catalog(), start, end
    )
    return group, documents, errors


@bp.route("/groups/<int:group_id>/certificates")
@staff_required
def group_certificates(group_id: int):
    group, documents, errors = _group_certificates(group_id)
    page = _render(
        "funders/certificate.html",
        certificates=documents,
        learner=None,
        group=group,
        errors=errors,
        args={k: request.args.get(k, "")[:10] for k in ("start", "end")},
        form=EmptyForm(),
        choices=certificate.funding_choices(),
    )
    return page, 400 if errors else 200


@bp.route("/groups/<int:group_id>/certificates.<kind>")
@staff_required
@records_audit
def group_certificates_file(group_id: int, kind: str):
    if kind not in ("pdf", "csv"):  # whose group first: another organisation's id is 404
        groups.get_group(db(), current_user, group_id)
        return redirect(url_for("trainer.group_certificates", group_id=group_id))
    group, documents, errors = _group_certificates(group_id)
    if errors:
        return redirect(url_for("trainer.group_certificates", group_id=group_id))
    audit.record(
        db(),
        current_user,
        "report.export",
        report="certificates",
        group_id=group.id,
        rows=len(documents),
    )
    name = _("Certificates of completion %(group)s", group=group.name)
    if kind == "csv":
        return attachment(csv_lines(documents), name + ".csv", "text/csv")
    return _pdf(documents, name, name)


@bp.route("/groups/<int:group_id>/funding", methods=["POST"])
@staff_required
def group_funding(group_id: int):
    groups.get_group(db(), current_user, group_id)  # 404 before anything else
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            group = certificate.set_funding(
                db(), current_user, group_id, request.form.get("funding", "")[:20]
            )
        except Invalid as exc:
            for message in exc.messages:
                flash(message, "error")
        else:
            label = certificate.funding_label(group.funding)
            flash(
                _("Funder recorded: %(funder)s.", funder=label)
                if label
                else _("No funder recorded."),
                "success",
            )
    return redirect(url_for("trainer.group_certificates", group_id=group_id))


# --- Qualiopi evidence ---------------------------------------------------------------------------


def _qualiopi(group_id: int, template: str):
    document = qualiopi.evidence(db(), current_user, group_id)
    return document, _render(
        template,
        document=document,
        question_text=satisfaction.question_text,
        scale_text=satisfaction.scale_text,
        label=assigning.target_label,
    )


@bp.route("/groups/<int:group_id>/qualiopi")
@staff_required
def group_qualiopi(group_id: int):
    _document, page = _qualiopi(group_id, "funders/qualiopi.html")
    return page


@bp.route("/groups/<int:group_id>/qualiopi.pdf")
@staff_required
@records_audit
def group_qualiopi_pdf(group_id: int):
    document, html = _qualiopi(group_id, "funders/qualiopi_pdf.html")
    audit.record(
        db(),
        current_user,
        "report.export",
        report="qualiopi",
        group_id=document.group.id,
        rows=len(document.learners),
    )
    stylesheet = current_app.static_folder + "/css/document.css"
    name = _("Qualiopi evidence %(group)s", group=document.group.name)
    return attachment(html_to_pdf(html, stylesheet), name + ".pdf", "application/pdf")
