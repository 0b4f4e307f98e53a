"""Reports: the group matrix, difficult questions, who needs help, a learner's exports and
attempts. Each report has a CSV export built from the very table the page shows, and a print
view."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learn import content
from learn.auth.forms import EmptyForm
from learn.models.people import utcnow
from learn.services import audit, groups, learner_record, needs_help, reports
from learn.services.errors import NotFound
from learn.services.paging import clamp_page
from learn.trainer import report_tables
from learn.trainer.blueprint import bp, org_timezone
from learn.trainer.tables import csv_response
from learn.web.access import staff_required
from learn.web.i18n import select_locale
from learn.web.params import int_arg
from learn.web.transactions import db, records_audit


def _now_local() -> datetime:
    return utcnow().astimezone(ZoneInfo(org_timezone()))


def _print_page(title: str, table, caption: str, details: list[str], back: str):
    return render_template(
        "trainer/print_table.html",
        title=title,
        table=table,
        caption=caption,
        details=details,
        printed_at=_now_local(),
        back=back,
    )


# --- group matrix ------------------------------------------------------------------------------


def matrix_filters(catalog) -> reports.MatrixFilters:
    """Filters from the query string; anything unknown is ignored."""
    course = request.args.get("course") or None
    skill = request.args.get("skill") or None
    kind, _sep, ref = request.args.get("show", "").partition(":")
    if kind == "course":
        course, skill = ref, None
    elif kind == "skill":
        course, skill = None, ref
    level = int_arg("level")
    status = request.args.get("status") or None
    return reports.MatrixFilters(
        course=course if course and catalog.course(course) else None,
        skill=skill if skill and catalog.skill(skill) else None,
        level=level if level in (1, 2, 3, 4) else None,
        assigned_only=request.args.get("assigned") == "1",
        status=status if status in reports.STATUSES else None,
    )


def _filter_words(filters, catalog, lang) -> list[str]:
    words = []
    if filters.course:
        words.append(_("Course: %(title)s", title=catalog.course(filters.course).title.get(lang)))
    if filters.skill:
        words.append(_("Skill: %(title)s", title=catalog.skill(filters.skill).title.get(lang)))
    if filters.level:
        words.append(_("Level %(n)d", n=filters.level))
    if filters.assigned_only:
        words.append(_("Only the modules assigned to the group"))
    if filters.status:
        words.append(
            _(
                "Learners with a module: %(status)s",
                status=report_tables.status_label(filters.status),
            )
        )
    return words


@bp.route("/groups/<int:group_id>/matrix")
@staff_required
def matrix(group_id: int):
    catalog, lang = content.catalog(), select_locale()
    filters = matrix_filters(catalog)
    printing = request.args.get("view") == "print"
    result = reports.group_matrix(
        db(),
        current_user,
        catalog,
        group_id,
        filters,
        page=None if printing else (int_arg("page") or 1),
        focus=True,
    )
    filters = result.filters
    table = report_tables.matrix_table(result, catalog, lang)
    caption = _("Progress of the group “%(name)s”", name=result.group.name)
    if printing:
        return _print_page(
            caption,
            table,
            caption,
            _filter_words(filters, catalog, lang),
            url_for("trainer.matrix", group_id=group_id, **_matrix_args()),
        )
    return render_template(
        "trainer/matrix.html",
        matrix=result,
        table=table,
        caption=caption,
        filters=filters,
        shown=f"course:{filters.course}" if filters.course else f"skill:{filters.skill}",
        focus_choices=report_tables.focus_choices(catalog, lang),
        module_titles=[report_tables.module_title(catalog, m, lang) for m in result.module_ids],
        catalog=catalog,
        lang=lang,
        args=_matrix_args(),
        statuses=[(s, report_tables.status_label(s)) for s in reports.STATUSES],
    )


def _matrix_args() -> dict:
    keys = ("show", "course", "skill", "level", "assigned", "status")
    return {k: request.args[k] for k in keys if request.args.get(k)}


@bp.route("/groups/<int:group_id>/matrix.csv")
@staff_required
@records_audit
def matrix_csv(group_id: int):
    catalog, lang = content.catalog(), select_locale()
    result = reports.group_matrix(
        db(), current_user, catalog, group_id, matrix_filters(catalog), page=None, focus=True
    )
    table = report_tables.matrix_table(result, catalog, lang)
    rows = len(table.rows)
    audit.record(db(), current_user, "report.export", report="matrix", group_id=group_id, rows=rows)
    return csv_response(table, f"progression-{result.group.name}")


# --- difficult questions -----------------------------------------------------------------------


def _questions(catalog, lang):
    module_id = request.args.get("module", "")
    group_id = int_arg("group")
    if not module_id:
        return None
    result = reports.difficult_questions(
        db(), current_user, catalog, module_id, lang, group_id=group_id
    )
    if result is None:
        raise NotFound()
    return result


@bp.route("/questions")
@staff_required
def questions():
    catalog, lang = content.catalog(), select_locale()
    result = _questions(catalog, lang)
    table = report_tables.questions_table(result) if result else None
    typed = report_tables.typed_tables(result) if result else []
    caption = (
        _("Questions of “%(title)s”, hardest first", title=result.variant.title) if result else ""
    )
    if result and request.args.get("view") == "print":
        details = [_("Group: %(name)s", name=result.group.name)] if result.group else []
        return _print_page(
            caption,
            table,
            caption,
            details,
            url_for("trainer.questions", **{k: v for k, v in request.args.items() if k != "view"}),
        )
    return render_template(
        "trainer/questions.html",
        result=result,
        table=table,
        typed=typed,
        caption=caption,
        modules=reports.quiz_modules(catalog, lang),
        groups=groups.list_groups(db(), current_user),
        chosen_module=request.args.get("module", ""),
        chosen_group=int_arg("group"),
    )


@bp.route("/questions.csv")
@staff_required
def questions_csv():
    catalog, lang = content.catalog(), select_locale()
    result = _questions(catalog, lang)
    if result is None:
        raise NotFound()
    return csv_response(report_tables.questions_table(result), f"questions-{result.variant.id}")


# --- needs help --------------------------------------------------------------------------------


NEEDS_HELP_PER_PAGE = reports.PER_PAGE


def _needs_help(page: int | None = None):
    """Every entry, and the table of one page of them (`page=None`: of them all)."""
    catalog, lang = content.catalog(), select_locale()
    kind = request.args.get("kind") or None
    entries = needs_help.needs_help_list(
        db(), current_user, catalog, group_id=int_arg("group"), kind=kind
    )
    pages, shown = 1, entries
    if page is not None:
        # An organisation of thousands can have thousands of entries: the page shows them 50 at
        # a time (a single page of 4,500 was 3 MB of HTML and took seconds); the CSV file and
        # the print view hold them all.
        page, pages = clamp_page(len(entries), page, NEEDS_HELP_PER_PAGE)
        shown = entries[(page - 1) * NEEDS_HELP_PER_PAGE : page * NEEDS_HELP_PER_PAGE]
    table = report_tables.needs_help_table(shown, catalog, lang, org_timezone())
    return entries, shown, table, page or 1, pages


@bp.route("/needs-help")
@staff_required
def needs_help_page():
    printing = request.args.get("view") == "print"
    entries, shown, table, page, pages = _needs_help(
        page=None if printing else (int_arg("page") or 1)
    )
    group_id = int_arg("group")
    group = groups.get_group(db(), current_user, group_id) if group_id else None
    caption = (
        _("Learners of “%(name)s” who need help", name=group.name)
        if group
        else _("Learners who need help")
    )
    args = {k: v for k, v in request.args.items() if k in ("group", "kind") and v}
    if printing:
        return _print_page(caption, table, caption, [], url_for("trainer.needs_help_page", **args))
    return render_template(
        "trainer/needs_help.html",
        entries=entries,
        shown=shown,
        page=page,
        pages=pages,
        args=args,
        table=table,
        caption=caption,
        groups=groups.list_groups(db(), current_user),
        chosen_group=group_id,
        chosen_kind=request.args.get("kind", ""),
        kinds=[(k, report_tables.reason_label(k)) for k in needs_help.KINDS],
        thresholds={"failed": needs_help.FAILED_IN_A_ROW, "days": needs_help.INACTIVE_DAYS},
        form=EmptyForm(),
    )


@bp.route("/needs-help.csv")
@staff_required
@records_audit
def needs_help_csv():
    _entries, _shown, table, _page, _pages = _needs_help()
    audit.record(db(), current_user, "report.export", report="needs_help", rows=len(table.rows))
    return csv_response(table, "besoin-d-aide")


@bp.route("/help/<int:help_request_id>/resolve", methods=["POST"])
@staff_required
def resolve_help(help_request_id: int):
    row = needs_help.resolve_help_request(
        db(), current_user, help_request_id, request.form.get("answer", "")
    )
    flash(_("The help request is marked as dealt with."), "success")
    back = request.form.get("back", "")
    if not back.startswith("/trainer/") or back.startswith("//"):
        back = url_for("trainer.learner", learner_id=row.user_id)
    return redirect(back)


# --- a learner's tables and attempts -----------------------------------------------------------


@bp.route("/learners/<int:learner_id>/export/<name>.csv")
@staff_required
@records_audit
def learner_csv(learner_id: int, name: str):
    build = report_tables.LEARNER_TABLES.get(name)
    catalog = content.catalog()
    record = learner_record.learner_record(db(), current_user, learner_id, catalog)
    if build is None:
        raise NotFound()
    table = build(record, catalog, select_locale(), org_timezone())
    audit.record(db(), current_user, "learner.export", target=record.learner, table=name)
    return csv_response(table, f"{record.learner.username}-{name}")


@bp.route("/attempts/<int:attempt_id>")
@staff_required
@records_audit
def attempt(attempt_id: int):
    catalog = content.catalog()
    learner, view = learner_record.get_attempt(db(), current_user, attempt_id, catalog)
    audit.record(db(), current_user, "learner.view", target=learner, page="attempt")
    return render_template(
        "trainer/attempt.html",
        learner=learner,
        view=view,
        title=report_tables.module_title(catalog, view.attempt.module_id, select_locale()),
        tz=org_timezone(),
    )
