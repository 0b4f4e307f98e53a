"""How many learners need help, counted by the database (the workspace's home page).

The same question as len(needs_help.needs_help_list(...)), through the conditions the list uses
(needs_help: who is seen, which help request is open, which progress is failing or done, which
assignment is past due and what it names, when a learner becomes inactive). Only the last two
steps are written twice, as the rule in Python and as SQL; tests/services/test_needs_help_count.py
holds the count to the list's length in every situation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import String, and_, case, cast, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from learn.models import HelpRequest, ModuleProgress, Organisation, User
from learn.models.people import utcnow
from learn.services.needs_help import (
    DEFAULT_TIMEZONE,
    assigned_modules,
    assignments_due_before,
    done_progress,
    failing_progress,
    idle_cutoff,
    open_help_request,
    require_staff,
    served_modules,
    today_in,
    visible_learners,
)


def needs_help_count(db: Session, actor: User, catalog, now: datetime | None = None) -> int:
    """How many learners the actor sees need help — len(needs_help_list(...)) — counted by the
    database, in 2 queries for any number of learners (the workspace's home page)."""
    require_staff(actor)
    now = now or utcnow()
    learners = visible_learners(actor)
    ids = learners.with_only_columns(User.id)
    reasons = [
        User.id.in_(
            select(HelpRequest.user_id).where(HelpRequest.user_id.in_(ids), open_help_request())
        )
    ]
    overdue = _overdue_learners(db, ids, catalog, now)
    if overdue is not None:
        reasons.append(User.id.in_(overdue))
    # Correlated EXISTS rather than one GROUP BY over module_progress (the largest table): each
    # stops at the first row that answers, and SQLite's GROUP BY took twice as long.
    own_progress = ModuleProgress.user_id == User.id
    reasons.append(exists().where(own_progress, failing_progress()))
    cutoff = idle_cutoff(now)
    visited_since = exists().where(own_progress, ModuleProgress.last_visit_at > cutoff)
    ever_visited = exists().where(own_progress, ModuleProgress.last_visit_at.is_not(None))
    # gather's last activity — the later of the last sign-in and the last module visit, else the
    # account's creation — at or before the cutoff, without GREATEST (SQLite has none).
    reasons.append(
        and_(
            or_(User.last_seen_at.is_(None), User.last_seen_at <= cutoff),
            ~visited_since,
            or_(User.last_seen_at.is_not(None), ever_visited, User.created_at <= cutoff),
        )
    )
    stmt = learners.with_only_columns(func.count()).select_from(User).where(or_(*reasons))
    return db.connection().execute(stmt).scalar_one()


def _overdue_learners(db: Session, ids, catalog, now: datetime):
    """A select of the learners (among ids) with an overdue module, as `_overdue_facts` and
    `reasons_from` decide it, or None when no assignment of theirs is past due (1 query)."""
    # No time zone is a day ahead of UTC: this first look keeps every assignment that may be past
    # due somewhere; the statement below compares each due date with its learner's own today.
    assigned = assignments_due_before(ids, now.astimezone(UTC).date() + timedelta(days=1))
    assigned = assigned.subquery()
    learner, organisation = aliased(User), aliased(Organisation)
    timezone = func.coalesce(organisation.timezone, DEFAULT_TIMEZONE)
    found = db.connection().execute(
        select(assigned.c.target_kind, assigned.c.target_ref, timezone)
        .join(learner, learner.id == assigned.c.user_id)
        .outerjoin(organisation, organisation.id == learner.organisation_id)
        .distinct()
    )
    targets, todays = set(), {}
    for kind, ref, tz in found:
        targets.add((kind, ref))
        todays[tz] = today_in(tz, now)
    served = served_modules(catalog)
    # Which module each target stands for, as rows the statement can join: a target names
    # modules of the catalog, which the database does not hold.
    target_modules = [
        select(
            cast(literal(kind), String).label("kind"),
            cast(literal(ref), String).label("ref"),
            cast(literal(module_id), String).label("module_id"),
        )
        for kind, ref in sorted(targets)
        for module_id in assigned_modules(catalog, served, kind, ref)
    ]
    if not target_modules:
        return None
    target = union_all(*target_modules).subquery()
    today = case(todays, value=timezone)
    return (
        select(assigned.c.user_id)
        .join(
            target,
            and_(target.c.kind == assigned.c.target_kind, target.c.ref == assigned.c.target_ref),
        )
        .join(learner, learner.id == assigned.c.user_id)
        .outerjoin(organisation, organisation.id == learner.organisation_id)
        .where(
            assigned.c.due_on < today,
            ~exists().where(
                ModuleProgress.user_id == assigned.c.user_id,
                ModuleProgress.module_id == target.c.module_id,
                done_progress(),
            ),
        )
    )
