"""The organisation-wide export: progress and time per learner and module for a period, as a
CSV file for French Excel (the page chooses the period; bad dates are said in words)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from learn import content
from learn.services import audit, org_export
from learn.services.errors import Invalid
from learn.trainer import report_tables
from learn.trainer.blueprint import bp, org_timezone
from learn.trainer.tables import csv_response
from learn.web.access import staff_required
from learn.web.i18n import select_locale
from learn.web.transactions import db, records_audit


def _page(start: str, end: str, errors=(), status=200):
    return render_template("trainer/export.html", start=start, end=end, errors=errors), status


@bp.route("/export")
@staff_required
def export_page():
    first, last = org_export.default_period(current_user)
    start = request.args.get("start", first.isoformat())[:20]
    end = request.args.get("end", last.isoformat())[:20]
    return _page(start, end)


@bp.route("/export.csv")
@staff_required
@records_audit
def export_csv():
    start, end = request.args.get("start", "")[:20], request.args.get("end", "")[:20]
    try:
        if start or end:
            first, last = org_export.parse_period(start, end)
        else:  # a bare link: the month so far, as the page proposes
            first, last = org_export.default_period(current_user)
    except Invalid as exc:
        return _page(start, end, exc.messages, 400)
    catalog = content.catalog()
    lines = org_export.progress_export(db(), current_user, catalog, first, last)
    table = report_tables.organisation_table(lines, catalog, select_locale(), org_timezone())
    audit.record(
        db(),
        current_user,
        "report.export",
        report="organisation",
        start=first.isoformat(),
        end=last.isoformat(),
        rows=len(table.rows),
    )
    return csv_response(table, f"progression-{first.isoformat()}-{last.isoformat()}")
