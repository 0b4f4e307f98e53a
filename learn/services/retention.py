"""Legal retention instead of blind erasure (docs/privacy.md, docs/funders.md).

A learner whose groups record a funder (other than the learner or the organisation itself) must
stay provable to that funder for a while after the training ends, so retention goes in steps:

1. inactive longer than LEARN_RETENTION_DAYS, funded, within the named certificate's period
   (LEARN_KEEP_CERTIFICATE_YEARS, 3): the account is **closed** — no sign-in, no password,
   e-mail, preferences, codes, sessions nor individual assignments — and the minimal record
   (identity, dates, hours, results) and the supporting evidence stay;
2. past that period, within the supporting evidence's (LEARN_KEEP_EVIDENCE_YEARS, 6;
   LEARN_KEEP_EUROPEAN_YEARS, 10, with European co-funding): the identity is **replaced** (as
   erasure does) and the evidence stays, under the account number the certificate printed;
3. past every period, or never funded: **erased** as on request (learn/services/privacy.py).

Periods run from the 31 December of the year of the learner's last activity: the texts count
from the end of the training or of the year of the last payment, which Parcours does not know;
the end of the year is a floor, and the settings may be raised. An erasure requested by the
learner goes through the same steps (GDPR art. 17(3)(b): erasure does not apply to what a legal
obligation requires to keep)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learn.models import Group, GroupMembership, ProgressEvent, Role, User
from learn.models.people import utcnow
from learn.services import audit, privacy
from learn.services.errors import NotFound

ERASE, CLOSE, PSEUDONYMISE, ERASE_EVIDENCE, NOTHING = (
    "erase",
    "close",
    "pseudonymise",
    "erase_evidence",
    "nothing",
)
UNFUNDED = frozenset({None, "self"})


@dataclass(frozen=True)
class Periods:
    """How many years after the end of training each kind of record is kept (the settings)."""

    certificate_years: int = 3
    evidence_years: int = 6
    european_years: int = 10

    @classmethod
    def from_config(cls, config) -> Periods:
        return cls(
            config.get("LEARN_KEEP_CERTIFICATE_YEARS", 3),
            config.get("LEARN_KEEP_EVIDENCE_YEARS", 6),
            config.get("LEARN_KEEP_EUROPEAN_YEARS", 10),
        )


@dataclass(frozen=True)
class Plan:
    """What the law or the funders require to keep about one learner, and until when."""

    fundings: tuple[str, ...]
    last_activity: datetime
    certificate_until: date | None  # None: no funder, nothing to keep
    evidence_until: date | None

    @property
    def funded(self) -> bool:
        return self.certificate_until is not None

    @property
    def european(self) -> bool:
        return "fse" in self.fundings

    def step(self, today: date, erased: bool) -> str:
        """The step this learner's record is due for on `today` (see the module)."""
        if not self.funded or today > self.evidence_until:
            return ERASE_EVIDENCE if erased else ERASE
        if erased:
            return NOTHING
        if today > self.certificate_until:
            return PSEUDONYMISE
        return CLOSE


def _until(year: int, years: int) -> date:
    return date(year + years, 12, 31)


def last_activity(db: Session, learner: User) -> datetime:
    """The learner's last sign-in or recorded activity (their account's creation at least)."""
    last_event = db.scalar(
        select(func.max(ProgressEvent.created_at)).where(ProgressEvent.user_id == learner.id)
    )
    moments = [m for m in (learner.created_at, learner.last_seen_at, last_event) if m]
    return max(moments)


def plan_for(db: Session, learner: User, periods: Periods, last: datetime | None = None) -> Plan:
    """The learner's retention plan from their groups' funders and their last activity."""
    fundings = tuple(
        sorted(
            {
                f
                for f in db.scalars(
                    select(Group.funding)
                    .join(GroupMembership, GroupMembership.group_id == Group.id)
                    .where(GroupMembership.user_id == learner.id)
                )
                if f not in UNFUNDED
            }
        )
    )
    last = last or last_activity(db, learner)
    if not fundings:
        return Plan((), last, None, None)
    year = last.year
    evidence = periods.european_years if "fse" in fundings else periods.evidence_years
    return Plan(
        fundings,
        last,
        _until(year, periods.certificate_years),
        _until(year, max(evidence, periods.certificate_years)),
    )


def settle(
    db: Session, actor: User | None, learner: User, periods: Periods, now: datetime, reason: str
) -> tuple[str, Plan]:
    """Take the step the learner is due for (an erasure request, or retention); audited."""
    if actor is not None:
        privacy.require_privacy_officer(actor)
    if learner.role != Role.LEARNER:
        raise NotFound()
    plan = plan_for(db, learner, periods)
    erased = privacy.is_erased(learner)
    step = plan.step(now.date(), erased)
    if step == ERASE:
        privacy.erase(db, actor, learner, reason=reason)
        return step, plan
    if step == NOTHING or (step == CLOSE and not _open(learner)):
        return NOTHING, plan
    if step == CLOSE:
        done = privacy.close_account(db, learner)
    elif step == PSEUDONYMISE:
        done = privacy.close_account(db, learner)
        privacy.erase_identity(db, learner)
        # The end of training stays known, so that the evidence goes at its date.
        learner.last_seen_at = plan.last_activity
        db.flush()
    else:  # ERASE_EVIDENCE: the free text and memberships kept as evidence go now
        done = privacy.erase_records(db, learner)
    audit.record(
        db,
        actor,
        "learner.erase",
        target=learner,
        reason=reason,
        step=step,
        until=plan.evidence_until.isoformat()
        if plan.evidence_until and step != ERASE_EVIDENCE
        else "",
        records=done,
    )
    return step, plan


def _open(learner: User) -> bool:
    return bool(
        learner.active or learner.password_hash or learner.email or learner.reading_preferences
    )


def due(db: Session, days: int, periods: Periods, now: datetime | None = None):
    """[(learner, plan, step)] for every learner retention has something to do for: inactive
    for more than `days` days, or pseudonymised and still holding evidence."""
    now = now or utcnow()
    found = []
    for learner, last in privacy.inactive_learners(db, days, now):
        plan = plan_for(db, learner, periods, last)
        step = plan.step(now.date(), False)
        if step == CLOSE and not _open(learner):
            continue
        found.append((learner, plan, step))
    kept = db.scalars(
        select(User)
        .where(
            User.role == Role.LEARNER,
            User.username.startswith(privacy.ERASED_PREFIX, autoescape=True),
            select(GroupMembership.user_id).where(GroupMembership.user_id == User.id).exists(),
        )
        .order_by(User.organisation_id, User.id)
    )
    for learner in kept:
        plan = plan_for(db, learner, periods)
        step = plan.step(now.date(), True)
        if step != NOTHING:
            found.append((learner, plan, step))
    return found


def apply_retention(
    db: Session, days: int, periods: Periods, *, dry_run: bool, now: datetime | None = None
):
    """Take every step due (only list them on a dry run): [(id, organisation id, username
    before, last activity, step)]."""
    if days <= 0:
        return []
    now = now or utcnow()
    found = due(db, days, periods, now)
    listed = [
        (user.id, user.organisation_id, user.username, plan.last_activity, step)
        for user, plan, step in found
    ]
    if not dry_run:
        for user, _plan, _step in found:
            settle(db, None, user, periods, now, "retention")
    return listed
