"""The report tables of the trainer's pages, built from the services' results: the same Table is
rendered on screen and written to CSV (see tables.py)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import gettext as _
from flask_babel import pgettext

from learn.services import needs_help
from learn.services.closing import closed_mark
from learn.services.learner_record import part_title
from learn.services.reports import STATUSES, minutes, percent
from learn.trainer.tables import Column, Link, Table, cell_text


def status_label(status: str) -> str:
    """A module's status in words."""
    return {
        "mastered": _("Mastered"),
        "completed": _("Read"),
        "in_progress": _("In progress"),
    }.get(status, _("Not started"))


def reason_label(kind: str) -> str:
    """The kind of a needs-help reason in words."""
    return {
        "asked": _("Asked for help"),
        "failing": _("Failed attempts in a row"),
        "overdue": _("Overdue"),
        "inactive": _("Inactive"),
    }.get(kind, kind)


EVENT_LABELS = {
    "visit": lambda: _("Read a part"),
    "quiz": lambda: _("Quiz"),
    "selfcheck": lambda: _("Self-assessment"),
    "placement": lambda: _("Placement"),
    "help": lambda: _("Asked for help"),
    "help_resolved": lambda: _("Help request dealt with"),
    "workshop_saved": lambda: _("Worksheet saved"),
    "workshop_submitted": lambda: _("Worksheet sent for review"),
    "workshop_reviewed": lambda: _("Worksheet reviewed"),
    "observation": lambda: _("Observed at work"),
}


def module_title(catalog, module_id: str | None, lang: str) -> str:
    if not module_id:
        return ""
    module = catalog.modules.get(module_id)
    return module.title(lang) if module else module_id


def skill_title(catalog, skill_id: str | None, lang: str) -> str:
    skill = catalog.skill(skill_id) if skill_id else None
    return skill.title.get(lang) if skill else (skill_id or "")


def local(moment, timezone: str):
    return moment.astimezone(ZoneInfo(timezone or "Europe/Paris")) if moment else None


def focus_choices(catalog, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(heading, [(value, label)])] of the matrix's chooser: each course, each skill."""
    return [
        (_("Courses"), [(f"course:{c.id}", c.title.get(lang)) for c in catalog.courses]),
        (
            _("Skills"),
            [
                (f"skill:{s.id}", s.title.get(lang))
                for s in catalog.skills
                if catalog.modules_for_skill(s.id)
            ],
        ),
    ]


def learner_link(learner_id: int, name: str) -> Link:
    return Link(name, url_for("trainer.learner", learner_id=learner_id))


def matrix_table(matrix, catalog, lang: str) -> Table:
    """Learners × modules: status, best score and time of each."""
    columns = [Column(_("Learner")), Column(_("Username")), Column(_("Account"))]
    for module_id in matrix.module_ids:
        title = module_title(catalog, module_id, lang)
        columns += [
            Column(_("Status"), group=title),
            Column(_("Best score (%)"), numeric=True, group=title),
            Column(_("Time (min)"), numeric=True, group=title),
        ]
    table = Table(columns)
    labels = {status: status_label(status) for status in STATUSES}  # translated once, not per cell
    still_open = pgettext("account", "open")
    for line in matrix.learners:
        account = closed_mark(line.closed_on) or still_open
        row = [learner_link(line.id, line.display_name), line.username, account]
        for module_id in matrix.module_ids:
            cell = matrix.cell(line.id, module_id)
            row += [labels[cell.status], cell.percent, cell.minutes]
        table.rows.append(row)
    return table


def needs_help_table(entries, catalog, lang: str, timezone: str) -> Table:
    """One line per reason a learner needs help."""
    table = Table(
        [
            Column(_("Learner")),
            Column(_("Username")),
            Column(_("Reason")),
            Column(_("Details")),
            Column(_("Date")),
            Column(_("Number"), numeric=True),
        ]
    )
    for entry in entries:
        for reason in entry.reasons:
            when = reason.since
            if hasattr(when, "hour"):
                when = local(when, timezone).date()
            table.rows.append(
                [
                    learner_link(entry.learner_id, entry.display_name),
                    entry.username,
                    reason_label(reason.kind),
                    needs_help.describe(reason, catalog, lang),
                    when,
                    reason.count,
                ]
            )
    return table


def questions_table(result) -> Table:
    """Each question of a module: answers, share of wrong ones, the favourite wrong answer."""
    table = Table(
        [
            Column(_("Question")),
            Column(_("Answers"), numeric=True),
            Column(_("Wrong answers"), numeric=True),
            Column(_("Wrong (%)"), numeric=True),
            Column(_("Wrong answer chosen most")),
            Column(_("Times chosen"), numeric=True),
        ]
    )
    for stats in result.questions:
        table.rows.append(
            [
                stats.question.text,
                stats.answered,
                stats.wrong,
                stats.share_wrong if stats.answered else None,
                stats.top_wrong,
                stats.top_wrong_count or None,
            ]
        )
    return table


def typed_tables(result) -> list[tuple[str, Table]]:
    """(caption, table) for each question whose answers are typed: what learners typed, how
    often, and whether it was accepted (to spot a right answer the quiz should accept)."""
    tables = []
    for stats in result.questions:
        if not stats.typed:
            continue
        table = Table(
            [Column(_("Answer typed")), Column(_("Times"), numeric=True), Column(_("Accepted"))]
        )
        for typed in stats.typed:
            table.rows.append([typed.text, typed.count, typed.correct])
        tables.append((_("What learners typed: “%(q)s”", q=stats.question.text), table))
    return tables


def event_words(event, catalog, lang: str) -> tuple[str, str, str]:
    """(what, module or skill, details) of a timeline event, in words."""
    data = event.data or {}
    detail = ""
    if event.kind == "quiz" and "score" in data:
        detail = _(
            "attempt %(n)s: %(score)s %%, %(result)s",
            n=data.get("attempt", ""),
            score=percent(data.get("score") or 0),
            result=_("passed") if data.get("passed") else _("not passed"),
        )
    elif event.kind == "visit" and event.section_id:
        detail = part_title(catalog, event.module_id, event.section_id, lang, event.variant)
    elif event.kind == "placement" or event.kind == "observation":
        detail = _("level %(n)s", n=data.get("level", ""))
    elif event.kind == "workshop_reviewed":
        detail = _("accepted") if data.get("decision") == "accepted" else _("to improve")
    subject = module_title(catalog, event.module_id, lang) or skill_title(
        catalog, data.get("skill"), lang
    )
    label = EVENT_LABELS.get(event.kind)
    return (label() if label else event.kind, subject, detail)


def activity_table(record, catalog, lang: str, timezone: str) -> Table:
    table = Table(
        [
            Column(_("Date")),
            Column(_("Activity")),
            Column(_("Module or skill")),
            Column(_("Details")),
        ],
        row_header=False,
    )
    for event in record.events:
        what, subject, detail = event_words(event, catalog, lang)
        table.rows.append([local(event.created_at, timezone), what, subject, detail])
    return table


def attempts_table(record, catalog, lang: str, timezone: str) -> Table:
    table = Table(
        [
            Column(_("Date")),
            Column(_("Module")),
            Column(_("Attempt"), numeric=True),
            Column(_("Score (%)"), numeric=True),
            Column(_("Correct answers"), numeric=True),
            Column(_("Questions"), numeric=True),
            Column(_("Passed")),
            Column(_("Duration (min)"), numeric=True),
        ],
        row_header=False,
    )
    for view in record.attempts:
        a = view.attempt
        table.rows.append(
            [
                Link(
                    cell_text(local(a.submitted_at, timezone)),
                    url_for("trainer.attempt", attempt_id=a.id),
                ),
                module_title(catalog, a.module_id, lang),
                a.seq,
                percent(a.score),
                a.correct_count,
                a.total,
                bool(a.passed),
                minutes(a.duration_seconds),
            ]
        )
    return table


def placements_table(record, catalog, lang: str, timezone: str) -> Table:
    table = Table(
        [Column(_("Date")), Column(_("Skill")), Column(_("Recommended level"), numeric=True)],
        row_header=False,
    )
    for row in record.placements:
        table.rows.append(
            [
                local(row.created_at, timezone),
                skill_title(catalog, row.skill_id, lang),
                row.recommended_level,
            ]
        )
    return table


def selfchecks_table(record, catalog, lang: str, timezone: str) -> Table:
    table = Table(
        [
            Column(_("Date")),
            Column(_("Module")),
            Column(_("Average rating (1 to 4)"), numeric=True),
        ],
        row_header=False,
    )
    for row in record.self_assessments:
        values = [v for v in (row.ratings or {}).values() if isinstance(v, int)]
        table.rows.append(
            [
                local(row.created_at, timezone),
                module_title(catalog, row.module_id, lang),
                round(sum(values) / len(values), 1) if values else None,
            ]
        )
    return table


def help_table(record, catalog, lang: str, timezone: str) -> Table:
    table = Table(
        [Column(_("Date")), Column(_("Module")), Column(_("Message")), Column(_("State"))],
        row_header=False,
    )
    for row in record.help_requests:
        table.rows.append(
            [
                local(row.created_at, timezone),
                module_title(catalog, row.module_id, lang),
                row.message,
                _("open") if row.resolved_at is None else _("dealt with"),
            ]
        )
    return table


LEARNER_TABLES = {
    "activity": activity_table,
    "attempts": attempts_table,
    "placements": placements_table,
    "selfchecks": selfchecks_table,
    "help": help_table,
}


def organisation_table(lines, catalog, lang: str, timezone: str) -> Table:
    """The organisation-wide export: a learner's progress and time on each module they worked
    on in the period."""
    table = Table(
        [
            Column(_("Learner")),
            Column(_("Username")),
            Column(_("Account open")),
            Column(_("Groups")),
            Column(_("Module")),
            Column(_("Skill")),
            Column(_("Level"), numeric=True),
            Column(_("Status today")),
            Column(_("Best score (%)"), numeric=True),
            Column(_("Time in the period (min)"), numeric=True),
            Column(_("Total time (min)"), numeric=True),
            Column(_("Last activity in the period")),
            Column(_("Read or mastered on")),
        ],
        row_header=False,
    )
    labels = {status: status_label(status) for status in STATUSES}
    for line in lines:
        module = catalog.modules.get(line.module_id)
        done = local(line.completed_at, timezone)
        table.rows.append(
            [
                line.display_name,
                line.username,
                line.active,
                line.groups,
                module_title(catalog, line.module_id, lang),
                skill_title(catalog, module.skill if module else None, lang),
                module.level if module else None,
                labels.get(line.status, line.status),
                percent(line.best_score),
                minutes(line.seconds_in_period),
                minutes(line.seconds_total),
                local(line.last_activity, timezone).date(),
                done.date() if done else None,
            ]
        )
    return table
