"""Self-assessments, placement results and help requests of a learner."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import HelpRequest, PlacementResult, SelfAssessment, User
from learn.models.people import utcnow
from learn.modules import recommend_level
from learn.services import progress as progress_service
from learn.services.errors import Invalid

MAX_HELP_CHARS = 2_000


def parse_ratings(items, submitted: dict[str, str]) -> dict[str, int]:
    """Ratings 1..4 for every statement, or Invalid naming the missing ones."""
    ratings, missing = {}, []
    for item in items:
        value = submitted.get(item.id, "")
        if value in {"1", "2", "3", "4"}:
            ratings[item.id] = int(value)
        else:
            missing.append(item.text)
    if missing:
        raise Invalid(*[_("Choose an answer for “%(s)s”.", s=text) for text in missing])
    return ratings


def save_self_assessment(
    db: Session, user: User, variant, submitted: dict[str, str]
) -> SelfAssessment:
    """Store the module's closing self-assessment, dated."""
    ratings = parse_ratings(variant.selfcheck, submitted)
    row = SelfAssessment(
        user_id=user.id,
        organisation_id=user.organisation_id,
        module_id=variant.id,
        ratings=ratings,
    )
    db.add(row)
    progress_service.log(db, user, "selfcheck", variant.id, data={"ratings": ratings})
    db.flush()
    return row


class Unanswered(Invalid):
    """A placement questionnaire sent with statements not rated or situations not answered:
    `ratings` and `questions` hold their ids, in the order of the questionnaire."""

    def __init__(self, ratings: list[str], questions: list[str], messages: list[str]):
        super().__init__(*messages)
        self.ratings = ratings
        self.questions = questions


def is_answered(answer) -> bool:
    """Whether an answer (in the engine's shapes) says something: a choice, a text, a list with
    at least one option, a pair for every left side."""
    if isinstance(answer, str):
        return bool(answer.strip())
    if isinstance(answer, list | tuple):
        return bool(answer)
    if isinstance(answer, dict):
        return bool(answer) and all(answer.values())
    return answer is not None


def unanswered(placement, ratings_in: dict, answers: dict) -> Unanswered | None:
    """What the learner left out of a placement questionnaire (every statement and every
    situation is required: a situation left out would prove nothing), or None."""
    ratings = [
        i for i in placement.selfcheck if ratings_in.get(i.id, "") not in {"1", "2", "3", "4"}
    ]
    questions = [q for q in placement.questions if not is_answered(answers.get(q.id))]
    if not ratings and not questions:
        return None
    messages = [_("Choose an answer for “%(s)s”.", s=item.text) for item in ratings]
    messages += [_("Answer question %(n)d.", n=placement.questions.index(q) + 1) for q in questions]
    return Unanswered([i.id for i in ratings], [q.id for q in questions], messages)


def save_placement(
    db: Session, user: User, placement, skill_id: str, ratings_in: dict, answers: dict
) -> PlacementResult:
    """Grade the placement questionnaire, store its result and recommended level; Unanswered
    when a statement or a situation is left out."""
    missing = unanswered(placement, ratings_in, answers)
    if missing is not None:
        raise missing
    ratings = parse_ratings(placement.selfcheck, ratings_in)
    level = recommend_level(placement, ratings, answers)
    row = PlacementResult(
        user_id=user.id,
        organisation_id=user.organisation_id,
        skill_id=skill_id,
        ratings=ratings,
        answers={qid: answers.get(qid) for qid in (q.id for q in placement.questions)},
        recommended_level=level,
        content_version=placement.version,
    )
    db.add(row)
    progress_service.log(db, user, "placement", None, data={"skill": skill_id, "level": level})
    db.flush()
    return row


def placements_by_skill(
    db: Session, user: User, skill_id: str | None = None
) -> dict[str, PlacementResult]:
    """The newest placement result of each skill, or of one skill (one query)."""
    stmt = select(PlacementResult).where(PlacementResult.user_id == user.id)
    if skill_id is not None:
        stmt = stmt.where(PlacementResult.skill_id == skill_id)
    rows = db.scalars(stmt.order_by(PlacementResult.created_at, PlacementResult.id))
    return {row.skill_id: row for row in rows}


def ask_for_help(db: Session, user: User, module_id: str | None, message: str) -> HelpRequest:
    """Record (or refresh) an open help request that the learner's trainers will see."""
    message = (message or "").strip()
    if len(message) > MAX_HELP_CHARS:
        raise Invalid(
            _("Your message has more than %(n)d characters: shorten it.", n=MAX_HELP_CHARS)
        )
    row = db.scalar(
        select(HelpRequest).where(
            HelpRequest.user_id == user.id,
            HelpRequest.module_id == module_id,
            HelpRequest.resolved_at.is_(None),
        )
    )
    if row is None:
        row = HelpRequest(
            user_id=user.id, organisation_id=user.organisation_id, module_id=module_id
        )
        db.add(row)
    row.message = message
    row.created_at = utcnow()
    progress_service.log(db, user, "help", module_id)
    db.flush()
    return row
