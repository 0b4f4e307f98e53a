"""The organisation-wide export: for a period, each learner's progress and time on each module
they worked on — what a structure reports to its funders. The learners are those the actor
sees (a whole organisation for its admin; a trainer's groups when the organisation limits
trainers to them). Four queries, whatever the numbers of learners and modules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import Group, GroupMembership, ModuleProgress, ProgressEvent, Role, User
from learn.models.people import shown_name, utcnow
from learn.services import accounts
from learn.services.errors import Invalid
from learn.services.groups import require_staff
from learn.services.reports import ordered_modules

DEFAULT_TIMEZONE = "Europe/Paris"
LONGEST_PERIOD_DAYS = 3 * 366
_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class ExportLine:
    learner_id: int
    display_name: str
    username: str
    active: bool  # False: the account is closed (the learner left); kept in the export
    groups: str
    module_id: str
    status: str  # today's status (module_progress), "not_started" without a row
    best_score: float | None
    seconds_in_period: int
    seconds_total: int
    last_activity: datetime  # the latest event of the period on this module
    completed_at: datetime | None


def _read_date(text: str | None, which: str) -> date:
    text = (text or "").strip()
    found = _FRENCH_DATE.match(text)
    try:
        if found:
            day, month, year = (int(part) for part in found.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        pass
    if not text:
        raise Invalid(_("Give the %(which)s of the period.", which=which))
    raise Invalid(
        _("« %(text)s » is not a date: write the %(which)s as dd/mm/yyyy.", text=text, which=which)
    )


def parse_period(start: str | None, end: str | None) -> tuple[date, date]:
    """The first and last days of a period as typed (dd/mm/yyyy, or yyyy-mm-dd from a date
    field), or Invalid with every problem in words."""
    problems, days = [], []
    for text, which in ((start, _("first day")), (end, _("last day"))):
        try:
            days.append(_read_date(text, which))
        except Invalid as exc:
            problems += exc.messages
    if not problems:
        first, last = days
        if last < first:
            problems.append(_("The last day is before the first day."))
        elif (last - first).days > LONGEST_PERIOD_DAYS:
            problems.append(_("The period is longer than three years: choose a shorter one."))
    if problems:
        raise Invalid(*problems)
    return days[0], days[1]


def default_period(actor: User, now: datetime | None = None) -> tuple[date, date]:
    """The month so far, in the actor's organisation's time zone."""
    today = (now or utcnow()).astimezone(ZoneInfo(_timezone(actor))).date()
    return today.replace(day=1), today


def _timezone(actor: User) -> str:
    return actor.organisation.timezone if actor.organisation else DEFAULT_TIMEZONE


def progress_export(db: Session, actor: User, catalog, first: date, last: date) -> list[ExportLine]:
    """A line per learner the actor sees and module they worked on in the period (days in the
    organisation's time zone), by learner then in the learners' order of modules (4 queries)."""
    require_staff(actor)
    tz = ZoneInfo(_timezone(actor))
    since = datetime.combine(first, time(), tz)
    until = datetime.combine(last + timedelta(days=1), time(), tz)
    learners = accounts.people_query(actor, Role.LEARNER)
    ids = learners.with_only_columns(User.id)
    people = {
        uid: (shown_name(username, name), username, bool(active))
        for uid, name, username, active in db.connection().execute(
            learners.with_only_columns(User.id, User.display_name, User.username, User.active)
        )
    }
    group_names: dict[int, list[str]] = {}
    for uid, name in db.connection().execute(
        select(GroupMembership.user_id, Group.name)
        .join(Group, Group.id == GroupMembership.group_id)
        .where(GroupMembership.user_id.in_(ids))
        .order_by(func.lower(Group.name))
    ):
        group_names.setdefault(uid, []).append(name)
    worked = db.connection().execute(
        select(
            ProgressEvent.user_id,
            ProgressEvent.module_id,
            func.coalesce(func.sum(ProgressEvent.seconds), 0),
            func.max(ProgressEvent.created_at),
        )
        .where(
            ProgressEvent.user_id.in_(ids),
            ProgressEvent.module_id.is_not(None),
            ProgressEvent.created_at >= since,
            ProgressEvent.created_at < until,
        )
        .group_by(ProgressEvent.user_id, ProgressEvent.module_id)
    )
    period = {(uid, mid): (int(seconds or 0), latest) for uid, mid, seconds, latest in worked}
    summaries = {
        (row.user_id, row.module_id): row
        for row in db.connection().execute(
            select(
                ModuleProgress.user_id,
                ModuleProgress.module_id,
                ModuleProgress.status,
                ModuleProgress.best_score,
                ModuleProgress.active_seconds,
                ModuleProgress.completed_at,
            ).where(
                ModuleProgress.user_id.in_(ids),
                ModuleProgress.module_id.in_({mid for _uid, mid in period}),
            )
        )
    }
    order = {module.id: i for i, module in enumerate(ordered_modules(catalog))}
    lines = []
    for (uid, module_id), (seconds, latest) in period.items():
        if uid not in people:
            continue
        name, username, active = people[uid]
        summary = summaries.get((uid, module_id))
        lines.append(
            ExportLine(
                learner_id=uid,
                display_name=name,
                username=username,
                active=active,
                groups=", ".join(group_names.get(uid, [])),
                module_id=module_id,
                status=summary.status if summary else "not_started",
                best_score=summary.best_score if summary else None,
                seconds_in_period=seconds,
                seconds_total=(summary.active_seconds or 0) if summary else 0,
                last_activity=latest,
                completed_at=summary.completed_at if summary else None,
            )
        )
    lines.sort(
        key=lambda x: (x.display_name.casefold(), x.learner_id, order.get(x.module_id, 10**6))
    )
    return lines
