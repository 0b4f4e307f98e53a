"""Who needs help, and why — computed once, here, for the trainer's list and the learner's own
dashboard alike, so the two always agree.

A learner needs help when they asked for it (an open help request), failed a module's quiz
FAILED_IN_A_ROW times in a row, let an assigned module pass its due date without finishing it,
or did nothing for INACTIVE_DAYS days. The facts are read in a fixed number of queries for any
number of learners (`gather`), then one pure rule (`reasons_from`) turns them into reasons.

The workspace's home page only shows how many learners need help: learn/services/help_count.py
asks the database that question directly, through the conditions below that the list uses too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from learn.i18n import _, format_when, ngettext
from learn.models import (
    Assignment,
    Group,
    GroupMembership,
    HelpRequest,
    ModuleProgress,
    Organisation,
    Role,
    User,
)
from learn.models.people import shown_name, utcnow
from learn.services import accounts
from learn.services import progress as progress_service
from learn.services.assignments import expand_target
from learn.services.errors import NotFound
from learn.services.groups import get_group, require_staff
from learn.services.textinput import without_control_characters

FAILED_IN_A_ROW = 3
INACTIVE_DAYS = 14
KINDS = ("asked", "failing", "overdue", "inactive")
DONE = ("completed", "mastered")
DEFAULT_TIMEZONE = "Europe/Paris"


# --- the conditions the list and the count share ---------------------------------------------


def visible_learners(actor: User):
    """The active learners the actor sees: their organisation, only their groups' learners for a
    trainer of an organisation that restricts trainers."""
    return accounts.people_query(actor, Role.LEARNER).where(User.active.is_(True))


def open_help_request():
    return HelpRequest.resolved_at.is_(None)


def failing_progress():
    return ModuleProgress.failed_in_a_row >= FAILED_IN_A_ROW


def done_progress():
    return ModuleProgress.status.in_(DONE)


def idle_cutoff(now: datetime) -> datetime:
    """A learner whose last activity is at or before this moment is inactive."""
    return now - timedelta(days=INACTIVE_DAYS)


def today_in(timezone: str | None, now: datetime) -> date:
    return now.astimezone(ZoneInfo(timezone or DEFAULT_TIMEZONE)).date()


def assignments_due_before(ids, before: date):
    """(target kind, target ref, due date, learner id) of every assignment of these learners due
    before that day, made to them or to a group of theirs that is not archived."""
    return (
        select(
            Assignment.target_kind,
            Assignment.target_ref,
            Assignment.due_on,
            func.coalesce(Assignment.user_id, GroupMembership.user_id).label("user_id"),
        )
        .outerjoin(Group, Group.id == Assignment.group_id)
        .outerjoin(GroupMembership, GroupMembership.group_id == Assignment.group_id)
        .where(
            Assignment.due_on.is_not(None),
            Assignment.due_on < before,
            or_(
                Assignment.user_id.in_(ids),
                and_(GroupMembership.user_id.in_(ids), Group.archived_at.is_(None)),
            ),
        )
    )


def served_modules(catalog) -> set[str]:
    return {m.id for m in catalog.modules.values() if m.kind == "module" and m.valid}


def assigned_modules(catalog, served: set[str], kind: str, ref: str) -> list[str]:
    """The modules an assignment target stands for that can be overdue (served ones)."""
    return [module_id for module_id in expand_target(catalog, kind, ref) if module_id in served]


@dataclass(frozen=True)
class Reason:
    kind: str  # one of KINDS
    module_id: str | None = None
    since: date | datetime | None = None  # asked at, due date, or last activity
    count: int | None = None  # failed attempts in a row, or days without activity
    message: str = ""  # what the learner wrote when asking for help
    help_request_id: int | None = None


@dataclass(slots=True)
class LearnerFacts:
    """What the rule looks at for one learner.

    Tuples, shared while empty, rather than a list, dict and set per learner: most learners have
    none, and for an organisation of 5,000 those were 25,000 containers that set off full
    garbage collections (each as long as the whole query)."""

    created_at: datetime
    today: date
    last_active: datetime | None = None
    help_requests: tuple[tuple[int, str | None, datetime, str], ...] = ()
    failing: tuple[tuple[str, int], ...] = ()
    due: tuple[tuple[str, date], ...] = ()  # (module, earliest past due date)
    done: frozenset[str] = frozenset()


def reasons_from(facts: LearnerFacts, now: datetime) -> list[Reason]:
    """The rule: the reasons a learner needs help, most urgent kind first."""
    reasons = [
        Reason("asked", module_id, created_at, message=message, help_request_id=request_id)
        for request_id, module_id, created_at, message in sorted(
            facts.help_requests, key=lambda h: h[2]
        )
    ]
    reasons += [
        Reason("failing", module_id, count=failed)
        for module_id, failed in sorted(facts.failing)
        if failed >= FAILED_IN_A_ROW
    ]
    reasons += [
        Reason("overdue", module_id, since=due)
        for module_id, due in sorted(facts.due, key=lambda item: (item[1], item[0]))
        if due < facts.today and module_id not in facts.done
    ]
    idle_since = facts.last_active or facts.created_at
    if idle_since <= idle_cutoff(now):  # the same as (now - idle_since).days >= INACTIVE_DAYS
        days = (now - idle_since).days
        reasons.append(Reason("inactive", since=facts.last_active, count=days))
    return reasons


def gather(
    db: Session,
    learners: list[tuple[int, datetime, datetime | None, str]],
    catalog,
    now,
    id_select=None,
) -> dict[int, LearnerFacts]:
    """The facts of these learners — (id, created_at, last_seen_at, time zone) — in 5 queries.
    `id_select`, a select of the same ids, keeps thousands of ids out of the statements."""
    ids = id_select if id_select is not None else [row[0] for row in learners]
    # Core rows (db.connection()): the ORM's row processing was a third of the time for an
    # organisation of thousands, and these are plain columns.
    facts = {
        uid: LearnerFacts(
            created_at=created,
            today=today_in(tz, now),
            last_active=seen,
        )
        for uid, created, seen, tz in learners
    }
    last_visits = db.connection().execute(
        select(ModuleProgress.user_id, func.max(ModuleProgress.last_visit_at))
        .where(ModuleProgress.user_id.in_(ids))
        .group_by(ModuleProgress.user_id)
    )
    for uid, visited in last_visits:
        if uid not in facts:
            continue
        if visited is not None and visited.tzinfo is None:
            visited = visited.replace(tzinfo=now.tzinfo)
        known = facts[uid].last_active
        if visited is not None and (known is None or visited > known):
            facts[uid].last_active = visited
    help_rows = db.connection().execute(
        select(
            HelpRequest.id,
            HelpRequest.user_id,
            HelpRequest.module_id,
            HelpRequest.created_at,
            HelpRequest.message,
        ).where(HelpRequest.user_id.in_(ids), open_help_request())
    )
    for request_id, uid, module_id, created, message in help_rows:
        if uid in facts:
            facts[uid].help_requests += ((request_id, module_id, created, message or ""),)
    failing = db.connection().execute(
        select(
            ModuleProgress.user_id, ModuleProgress.module_id, ModuleProgress.failed_in_a_row
        ).where(ModuleProgress.user_id.in_(ids), failing_progress())
    )
    for uid, module_id, failed in failing:
        if uid in facts:
            facts[uid].failing += ((module_id, failed),)
    _overdue_facts(db, facts, ids, catalog, now)
    return facts


def _overdue_facts(db: Session, facts: dict[int, LearnerFacts], ids, catalog, now) -> None:
    # As on the learner's pathway: when several assignments name a module, the earliest due date
    # wins, so only assignments already past due can make a module overdue.
    latest_today = max((f.today for f in facts.values()), default=now.date())
    served = served_modules(catalog)
    rows = db.connection().execute(assignments_due_before(ids, latest_today))
    expanded: dict[tuple[str, str], list[str]] = {}
    earliest: dict[tuple[int, str], date] = {}
    for kind, ref, due, uid in rows:
        if uid not in facts:
            continue
        if (kind, ref) not in expanded:
            expanded[kind, ref] = assigned_modules(catalog, served, kind, ref)
        for module_id in expanded[kind, ref]:
            known = earliest.get((uid, module_id))
            earliest[uid, module_id] = due if known is None else min(known, due)
    for (uid, module_id), due in earliest.items():
        facts[uid].due += ((module_id, due),)
    candidates = set(earliest)
    done = db.connection().execute(
        select(ModuleProgress.user_id, ModuleProgress.module_id).where(
            ModuleProgress.user_id.in_(ids),
            ModuleProgress.module_id.in_({mid for _u, mid in candidates}),
            done_progress(),
        )
    )
    for uid, module_id in done:
        facts[uid].done |= {module_id}


def reasons_for_learner(db: Session, learner: User, catalog, now: datetime | None = None):
    """The reasons one learner needs help (what their dashboard shows; 5 queries)."""
    now = now or utcnow()
    tz = learner.organisation.timezone if learner.organisation else None
    facts = gather(db, [(learner.id, learner.created_at, learner.last_seen_at, tz)], catalog, now)
    return reasons_from(facts[learner.id], now)


@dataclass(frozen=True)
class NeedsHelpEntry:
    learner_id: int
    display_name: str  # as shown to the reader (an erased account's in their language)
    username: str
    reasons: list[Reason]


def needs_help_list(
    db: Session,
    actor: User,
    catalog,
    group_id: int | None = None,
    kind: str | None = None,
    now: datetime | None = None,
) -> list[NeedsHelpEntry]:
    """Every learner the actor sees (or of one group) who needs help, with each reason; the
    learners with an open help request first. A fixed number of queries (7 with a group)."""
    require_staff(actor)
    now = now or utcnow()
    stmt = (
        visible_learners(actor)
        .with_only_columns(
            User.id, User.display_name, User.username, User.created_at, User.last_seen_at
        )
        .add_columns(Organisation.timezone)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
    )
    if group_id is not None:
        group = get_group(db, actor, group_id)
        stmt = stmt.join(GroupMembership, GroupMembership.user_id == User.id).where(
            GroupMembership.group_id == group.id
        )
    rows = db.connection().execute(stmt.order_by(func.lower(User.display_name), User.id)).all()
    id_select = stmt.with_only_columns(User.id) if len(rows) > 200 else None
    facts = gather(db, [(r[0], r[3], r[4], r[5]) for r in rows], catalog, now, id_select)
    entries = []
    for uid, name, username, *_rest in rows:
        reasons = reasons_from(facts[uid], now)
        if kind in KINDS:
            reasons = [r for r in reasons if r.kind == kind]
        if reasons:
            entries.append(NeedsHelpEntry(uid, shown_name(username, name), username, reasons))
    entries.sort(key=lambda e: min(KINDS.index(r.kind) for r in e.reasons))
    return entries


ANSWER_MAX = 2000


def resolve_help_request(
    db: Session, actor: User, request_id: int, answer: str = ""
) -> HelpRequest:
    """Mark a learner's help request as dealt with (it leaves the needs-help list), with the
    trainer's answer if they wrote one (the assistance a funder asks to see)."""
    require_staff(actor)
    visible = accounts.people_query(actor, Role.LEARNER).with_only_columns(User.id)
    row = db.scalar(
        select(HelpRequest).where(HelpRequest.id == request_id, HelpRequest.user_id.in_(visible))
    )
    if row is None:
        raise NotFound()
    if row.resolved_at is None:
        row.resolved_at = now = utcnow()
        row.resolved_by_id = actor.id
        row.answer = without_control_characters(answer or "").strip()[:ANSWER_MAX] or None
        learner = db.get(User, row.user_id)
        progress_service.log(db, learner, "help_resolved", row.module_id, created_at=now)
        db.flush()
    return row


def describe(reason: Reason, catalog, lang: str, for_learner: bool = False) -> str:
    """The reason in words, for the trainer or (for_learner) for the learner themself."""
    title = ""
    if reason.module_id:
        module = catalog.modules.get(reason.module_id)
        title = module.title(lang) if module else reason.module_id
    if reason.kind == "asked":
        if for_learner:
            return (
                _("You asked for help on “%(title)s”.", title=title)
                if title
                else _("You asked for help.")
            )
        return _("Asked for help on “%(title)s”.", title=title) if title else _("Asked for help.")
    if reason.kind == "failing":
        if for_learner:
            return ngettext(
                "%(num)d attempt without passing “%(title)s”: your trainer can help.",
                "%(num)d attempts in a row without passing “%(title)s”: your trainer can help.",
                reason.count,
                title=title,
            )
        return ngettext(
            "%(num)d failed attempt on “%(title)s”.",
            "%(num)d failed attempts in a row on “%(title)s”.",
            reason.count,
            title=title,
        )
    if reason.kind == "overdue":
        due = format_when(reason.since)
        if for_learner:
            return _("“%(title)s” was due on %(date)s.", title=title, date=due)
        return _("Overdue: “%(title)s” was due on %(date)s.", title=title, date=due)
    if for_learner:
        return ngettext(
            "No activity for %(num)d day.", "No activity for %(num)d days.", reason.count
        )
    if reason.since is None:
        return ngettext(
            "Never active since the account was created %(num)d day ago.",
            "Never active since the account was created %(num)d days ago.",
            reason.count,
        )
    return ngettext("Inactive for %(num)d day.", "Inactive for %(num)d days.", reason.count)
