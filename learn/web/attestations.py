"""The attestation de compétences of a learner for one job référentiel (Certifia-style): the
competences validated (step, date, assessor), the evidence they rest on, the assessors and the
organisation — as a printable page, and as a PDF made on the server by WeasyPrint. Always in
the learner's language, whoever asks for it."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import force_locale

from learn.i18n import LANGUAGES
from learn.services import validation as validation_service
from learn.web.transactions import db

PDF_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: sans-serif; font-size: 10.5pt; color: #111; }
h1 { font-size: 18pt; } h2 { font-size: 13pt; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #888; padding: 4px 6px; text-align: left; vertical-align: top; }
.no-print { display: none; }
"""


def _language(learner) -> str:
    """The learner's language: every word of the attestation's template is in the catalogues of
    all the interface's languages; the référentiel's texts fall back to French (Localized)."""
    return learner.locale if learner.locale in LANGUAGES else "fr"


def _html(learner, ref, standalone: bool) -> str:
    lang = _language(learner)
    with force_locale(lang):
        document = validation_service.attestation(db(), learner, ref)
        return render_template(
            "attestation_referentiel.html",
            document=document,
            lang=lang,
            standalone=standalone,
        )


def page(learner, ref) -> str:
    """The printable page."""
    return _html(learner, ref, standalone=False)


def document(learner, ref):
    """The attestation laid out in pages (a weasyprint Document), without the site's frame."""
    from weasyprint import CSS, HTML  # heavy: imported only when a PDF is asked for

    return HTML(string=_html(learner, ref, standalone=True)).render(
        stylesheets=[CSS(string=PDF_CSS)]
    )


def pdf(learner, ref) -> Response:
    """The PDF file, made from the same content as the page."""
    data = document(learner, ref).write_pdf()
    response = Response(data, mimetype="application/pdf")
    name = f"attestation-{ref.id}-{learner.id}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
