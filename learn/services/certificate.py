"""The certificat de réalisation a funder asks for (docs/funders.md): per learner and period, the
fields of the ministry's model (organisation, learner, action, dates, funder, hours) and the
attendance proof lines for distance learning (Code du travail art. D6313-3-1: activities with
their estimated duration, assessments along the way, technical and pedagogical assistance).

The hours certified are the activities done × their estimated durations (each module's `minutes`
in the content), as the ministry's model counts distance learning; the connection time measured is
shown beside them, never instead of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from learn.i18n import _
from learn.models import FUNDINGS, Group, HelpRequest, ProgressEvent, User, WorkshopAnswer
from learn.models.people import shown_name, utcnow
from learn.services import accounts, attestation, groups
from learn.services.errors import Invalid
from learn.services.groups import require_staff

MAX_PERIOD_DAYS = 3660


def funding_label(funding: str | None) -> str:
    """A funding type in the reader's words ("" when the group records none)."""
    labels = {
        "opco": _("OPCO (skills operator)"),
        "cpf": _("CPF (personal training account)"),
        "france_travail": _("France Travail"),
        "region": _("Region"),
        "fse": _("European Social Fund (co-funding)"),
        "self": _("The learner or the organisation itself"),
        "other": _("Other funder"),
    }
    return labels.get(funding or "", "")


def funding_choices() -> list[tuple[str, str]]:
    """(code, label) of every funding type, for a form."""
    return [(code, funding_label(code)) for code in FUNDINGS]


@dataclass(frozen=True)
class ActivityLine:
    """A module done: when, and the duration the content estimates for it."""

    when: datetime
    module_id: str
    estimated_minutes: int | None  # None: the content gives no estimate (counted 0)


@dataclass(frozen=True)
class AssistanceLine:
    """A help request or a worksheet sent for review, and the trainer's answer to it."""

    kind: str  # "help" or "review"
    asked_at: datetime
    answered_at: datetime | None
    module_id: str | None
    answer: str  # the trainer's answer or review comment ("" when none was written)
    answered_by: str
    outcome: str = ""  # reviews: accepted / needs_revision / waiting

    @property
    def delay_minutes(self) -> int | None:
        if self.answered_at is None:
            return None
        return max(0, round((self.answered_at - self.asked_at).total_seconds() / 60))


@dataclass(frozen=True)
class Certificate:
    learner: User
    organisation_name: str
    action_title: str
    funding: str | None
    start: date
    end: date
    issued_on: date
    signed_by: str
    activities: list[ActivityLine]
    assessments: list[attestation.ResultLine]
    assistance: list[AssistanceLine]
    connection_seconds: int

    @property
    def estimated_minutes(self) -> int:
        return sum(a.estimated_minutes or 0 for a in self.activities)

    @property
    def hours(self) -> float:
        """The hours certified: activities done × their estimated durations."""
        return round(self.estimated_minutes / 60, 2)

    @property
    def connection_hours(self) -> float:
        return round(self.connection_seconds / 3600, 2)

    @property
    def without_estimate(self) -> int:
        return sum(1 for a in self.activities if a.estimated_minutes is None)


def parse_period(start_text: str, end_text: str) -> tuple[date | None, date | None]:
    """The period typed in a form or a link (ISO dates, either may be empty); Invalid when a
    date is not one, ends before it starts, or spans more than ten years."""
    try:
        start = date.fromisoformat(start_text) if start_text else None
        end = date.fromisoformat(end_text) if end_text else None
    except ValueError:
        raise Invalid(_("Write the dates as on a calendar, for example 2026-09-01.")) from None
    if start and end and (end < start or (end - start).days > MAX_PERIOD_DAYS):
        raise Invalid(_("The end of the period must come after its start, within ten years."))
    return start, end


def _bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def _funded_group(db: Session, learner: User) -> Group | None:
    found = groups.groups_of(db, learner)
    return next((g for g in found if g.funding), found[0] if found else None)


def _with_staff(db: Session, model, staff_id, sent_at, ids: list[int], low, high) -> list:
    """The rows of `model` (help requests, worksheets) these learners sent between low and high,
    each with the username and name of the staff member in `staff_id` who answered (one query)."""
    staff = aliased(User)
    return db.execute(
        select(model, staff.username, staff._display_name)
        .outerjoin(staff, staff.id == staff_id)
        .where(model.user_id.in_(ids), sent_at >= low, sent_at < high)
    ).all()


def _assistance(db: Session, ids: list[int], low: datetime, high: datetime):
    """The help requests and worksheets sent by these learners between low and high, with the
    trainers' answers, by learner id (2 queries)."""
    found: dict[int, list[AssistanceLine]] = defaultdict(list)
    if not ids:
        return found
    helps = _with_staff(
        db, HelpRequest, HelpRequest.resolved_by_id, HelpRequest.created_at, ids, low, high
    )
    for row, username, name in helps:
        found[row.user_id].append(
            AssistanceLine(
                "help",
                row.created_at,
                row.resolved_at,
                row.module_id,
                row.answer or "",
                _shown(username, name),
            )
        )
    reviews = _with_staff(
        db, WorkshopAnswer, WorkshopAnswer.reviewer_id, WorkshopAnswer.submitted_at, ids, low, high
    )
    for row, username, name in reviews:
        # A review older than the last sending answered an earlier version: still waiting.
        reviewed = row.reviewed_at
        answered = reviewed if reviewed and reviewed >= row.submitted_at else None
        found[row.user_id].append(
            AssistanceLine(
                "review",
                row.submitted_at,
                answered,
                row.module_id,
                (row.review_comment or "") if answered else "",
                _shown(username, name) if answered else "",
                row.status if answered else "waiting",
            )
        )
    for lines in found.values():
        lines.sort(key=lambda line: line.asked_at)
    return found


def _connection(db: Session, ids: list[int], low: datetime, high: datetime) -> dict[int, int]:
    """The connection seconds measured for these learners between low and high (1 query)."""
    if not ids:
        return {}
    rows = db.execute(
        select(ProgressEvent.user_id, func.coalesce(func.sum(ProgressEvent.seconds), 0))
        .where(
            ProgressEvent.user_id.in_(ids),
            ProgressEvent.created_at >= low,
            ProgressEvent.created_at < high,
        )
        .group_by(ProgressEvent.user_id)
    ).all()
    return {user_id: int(seconds or 0) for user_id, seconds in rows}


def _shown(username: str | None, name: str | None) -> str:
    return shown_name(username, name) if name else ""


def certificate(
    db: Session,
    actor: User,
    learner_id: int,
    catalog,
    start: date | None = None,
    end: date | None = None,
    group: Group | None = None,
    now: datetime | None = None,
) -> Certificate:
    """The certificat de réalisation of a learner the actor sees (NotFound otherwise) for the
    period (by default from their first activity to today), for `group`'s action (by default the
    learner's funded group)."""
    require_staff(actor)
    learner = accounts.get_learner(db, actor, learner_id)
    group = group or _funded_group(db, learner)
    return _certificates(db, actor, [learner], catalog, start, end, group, now)[0]


def _certificates(
    db: Session,
    actor: User,
    learners: list[User],
    catalog,
    start: date | None,
    end: date | None,
    group: Group | None,
    now: datetime | None,
) -> list[Certificate]:
    """The certificates of these learners (access checked by the caller) in a fixed number of
    queries: each kind of record is read once for all of them, with IN (...), and grouped here.
    Without a start, each learner's period starts at their first activity."""
    now = now or utcnow()
    records = attestation.training_records(db, learners, catalog, now)
    periods = {}
    for learner in learners:
        record = records[learner.id]
        tz = ZoneInfo(learner.organisation.timezone if learner.organisation else "Europe/Paris")
        today = now.astimezone(tz).date()
        first = record.first_activity.astimezone(tz).date() if record.first_activity else today
        low_day, high_day = start or first, end or today
        periods[learner.id] = (tz, today, low_day, high_day, *_bounds(low_day, high_day, tz))
    # One read of assistance and connection time over the widest period, each learner's own
    # period kept below: the number of queries does not grow with the learners.
    lows = [p[4] for p in periods.values()]
    highs = [p[5] for p in periods.values()]
    ids = [learner.id for learner in learners]
    assistance = _assistance(db, ids, min(lows), max(highs)) if ids else {}
    connection = _connection_per_period(db, periods)
    documents = []
    for learner in learners:
        record = records[learner.id]
        tz, today, low_day, high_day, low, high = periods[learner.id]
        activities = [
            ActivityLine(
                datetime.combine(line.completed_on, time.min, tzinfo=tz),
                line.module_id,
                _estimate(catalog, line.module_id),
            )
            for line in record.modules
            if line.completed_on and low_day <= line.completed_on <= high_day
        ]
        activities.sort(key=lambda a: (a.when, a.module_id))
        documents.append(
            Certificate(
                learner=learner,
                organisation_name=learner.organisation.name if learner.organisation else "",
                action_title=group.name if group else "",
                funding=group.funding if group else None,
                start=low_day,
                end=high_day,
                issued_on=today,
                signed_by=actor.display_name,
                activities=activities,
                assessments=[r for r in record.results if low <= r.when < high],
                assistance=[a for a in assistance.get(learner.id, []) if low <= a.asked_at < high],
                connection_seconds=connection.get(learner.id, 0),
            )
        )
    return documents


def _connection_per_period(db: Session, periods: dict) -> dict[int, int]:
    """Connection seconds per learner, one query per distinct period (one for a group whose
    learners share the period and the organisation's time zone)."""
    by_bounds: dict[tuple[datetime, datetime], list[int]] = defaultdict(list)
    for learner_id, (_tz, _today, _low_day, _high_day, low, high) in periods.items():
        by_bounds[(low, high)].append(learner_id)
    seconds: dict[int, int] = {}
    for (low, high), ids in by_bounds.items():
        seconds.update(_connection(db, ids, low, high))
    return seconds


def _estimate(catalog, module_id: str) -> int | None:
    """The module's estimated duration: its standard French variant's `minutes` (the one the
    programme is written from), else the first variant that gives one."""
    module = catalog.modules.get(module_id)
    if module is None:
        return None
    variants = module.variants
    first = variants.get(("fr", "standard"))
    if first is not None and first.minutes:
        return first.minutes
    return next((v.minutes for v in variants.values() if v.minutes), None)


def group_certificates(
    db: Session,
    actor: User,
    group_id: int,
    catalog,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> tuple[Group, list[Certificate]]:
    """The certificate of each learner of a group the actor sees, for the group's action; the
    period starts by default when the group was created."""
    require_staff(actor)
    group = groups.get_group(db, actor, group_id)
    now = now or utcnow()
    if start is None:
        tz = ZoneInfo(actor.organisation.timezone if actor.organisation else "Europe/Paris")
        start = group.created_at.astimezone(tz).date()
    learners = groups.members(db, actor, group)
    return group, _certificates(db, actor, learners, catalog, start, end, group, now)


def set_funding(db: Session, actor: User, group_id: int, funding: str) -> Group:
    """Record who pays for a group's training ("" for not said); Invalid for an unknown type."""
    group = groups.get_group(db, actor, group_id)
    if funding and funding not in FUNDINGS:
        raise Invalid(_("Choose a funding type from the list."))
    group.funding = funding or None
    db.flush()
    return group
