"""Reviewing workshops: the queue of submitted worksheets, a trainer's comment and decision.

A decision applies to the version the trainer read: if the learner sent a new version in the
meantime, or another trainer decided first, the decision is refused with a message."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import Role, User, WorkshopAnswer
from learn.models.people import utcnow
from learn.modules import RUBRIC_RATINGS
from learn.services import accounts
from learn.services import progress as progress_service
from learn.services.errors import Invalid, NotFound
from learn.services.groups import require_staff
from learn.services.textinput import clean_block

MAX_COMMENT = 5_000
DECISIONS = ("accepted", "needs_revision")
PROJECT_COURSE = "entrepreneurship"


@dataclass(frozen=True)
class QueueItem:
    answer: WorkshopAnswer
    learner: User


def _visible_answers(actor: User):
    require_staff(actor)
    visible = accounts.people_query(actor, Role.LEARNER).with_only_columns(User.id)
    stmt = select(WorkshopAnswer).where(WorkshopAnswer.user_id.in_(visible))
    if not actor.is_platform_admin:
        stmt = stmt.where(WorkshopAnswer.organisation_id == actor.organisation_id)
    return stmt


def queue(db: Session, actor: User) -> list[QueueItem]:
    """Submitted worksheets waiting for a decision, oldest first (1 query)."""
    stmt = (
        _visible_answers(actor)
        .add_columns(User)
        .join(User, User.id == WorkshopAnswer.user_id)
        .where(WorkshopAnswer.status == "submitted")
        .order_by(WorkshopAnswer.submitted_at, WorkshopAnswer.id)
    )
    return [QueueItem(answer, learner) for answer, learner in db.execute(stmt)]


def queue_size(db: Session, actor: User) -> int:
    """How many worksheets wait for a decision."""
    stmt = _visible_answers(actor).where(WorkshopAnswer.status == "submitted")
    return db.scalar(select(func.count()).select_from(stmt.subquery()))


def get_answer(db: Session, actor: User, answer_id: int) -> WorkshopAnswer:
    """A worksheet of a learner the actor sees, or NotFound."""
    answer = db.scalar(_visible_answers(actor).where(WorkshopAnswer.id == answer_id))
    if answer is None:
        raise NotFound()
    return answer


def answers_of(db: Session, actor: User, learner: User) -> dict[str, WorkshopAnswer]:
    """A learner's worksheets by workshop id (the caller scoped the learner)."""
    rows = db.scalars(_visible_answers(actor).where(WorkshopAnswer.user_id == learner.id))
    return {row.workshop_id: row for row in rows}


def project_workshops(catalog, lang: str) -> list[tuple[str, object]]:
    """[(module id, workshop)] of the entrepreneurship course, in course order."""
    found = []
    for module in catalog.course_modules(PROJECT_COURSE):
        variant = catalog.variant(module.id, lang, "standard")
        if variant is not None and variant.workshop is not None:
            found.append((module.id, variant))
    return found


def check_ratings(rubric: tuple, ratings: dict[str, str], decision: str) -> dict[str, str] | None:
    """The ratings of the rubric's criteria, each one of RUBRIC_RATINGS; a worksheet with a
    criterion "not yet" cannot be accepted (it is the evidence of a level 3 or 4)."""
    if not rubric:
        return None
    missing = [c.text for c in rubric if ratings.get(c.id) not in RUBRIC_RATINGS]
    if missing:
        raise Invalid(
            *[_("Rate the criterion “%(criterion)s”.", criterion=text) for text in missing]
        )
    rated = {c.id: ratings[c.id] for c in rubric}
    if decision == "accepted" and "not-yet" in rated.values():
        raise Invalid(
            _(
                "A criterion is rated “not yet”: ask for a new version with a comment that "
                "says what to add, or change the rating."
            )
        )
    return rated


def decide(
    db: Session,
    actor: User,
    answer: WorkshopAnswer,
    *,
    decision: str,
    comment: str,
    version: int | None,
    rubric: tuple = (),
    ratings: dict[str, str] | None = None,
) -> WorkshopAnswer:
    """Accept the worksheet or ask for a new version, with a comment the learner will read and,
    when the workshop has a rubric, a rating of each criterion."""
    require_staff(actor)
    if decision not in DECISIONS:
        raise Invalid(_("Choose: accept, or ask for a new version."))
    text = clean_block(comment, _("Comment"), MAX_COMMENT, required=decision == "needs_revision")
    rated = check_ratings(rubric, ratings or {}, decision)
    if answer.status != "submitted":
        raise Invalid(_("This worksheet is not waiting for a review any more."))
    if version is None or version != answer.version:
        raise Invalid(
            _("The learner sent a new version since you opened this page: read it, then decide.")
        )
    now = utcnow()
    # Only one decision per version, even if two trainers click at the same moment.
    changed = db.execute(
        update(WorkshopAnswer)
        .where(
            WorkshopAnswer.id == answer.id,
            WorkshopAnswer.status == "submitted",
            WorkshopAnswer.version == version,
        )
        .values(
            status=decision,
            review_comment=text or None,
            review_ratings=rated,
            reviewed_at=now,
            reviewer_id=actor.id,
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise Invalid(_("This worksheet is not waiting for a review any more."))
    db.refresh(answer)
    learner = db.get(User, answer.user_id)
    progress_service.log(
        db,
        learner,
        "workshop_reviewed",
        answer.module_id,
        data={"workshop": answer.workshop_id, "version": version, "decision": decision},
        created_at=now,
    )
    db.flush()
    return answer
