"""Workplace observations: a trainer records that a learner showed (or not yet) a level of a
skill in a real work situation, citing the observable behaviours of that level."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.i18n import _
from learn.models import Observation, User
from learn.models.people import utcnow
from learn.services import progress as progress_service
from learn.services.assignments import today_for
from learn.services.errors import Invalid
from learn.services.groups import require_staff
from learn.services.textinput import clean_block, clean_line

MAX_SITUATION = 300
MAX_EVIDENCE = 4_000
MAX_OBSERVER_NAME = 120
MAX_OBSERVER_ROLE = 80
OLDEST_DAYS = 3 * 366


def role_suggestions() -> list[str]:
    """Roles offered for an observer without an account; any other role can be typed."""
    return [_("technical supervisor"), _("workplace tutor"), _("course trainer")]


def skill_level(catalog, skill_id: str, level: int):
    """(skill, level) of the skills data, or Invalid."""
    skill = catalog.skill(skill_id)
    found = skill.level(level) if skill else None
    if found is None:
        raise Invalid(_("Choose a skill and a level."))
    return skill, found


def record(
    db: Session,
    actor: User,
    learner: User,
    catalog,
    *,
    skill_id: str,
    level: int,
    observed_on: date | None,
    situation: str,
    evidence: str,
    behaviours: list[str],
    validated: bool,
    lang: str,
    observer_name: str = "",
    observer_role: str = "",
    now: datetime | None = None,
) -> Observation:
    """Record an observation of a learner the caller already scoped; Invalid lists every problem.
    `behaviours` are the indexes (as text) of the level's behaviours the observer ticked. With
    `observer_name` (and maybe `observer_role`), someone without an account observed and the
    actor only records it; otherwise the actor is the observer."""
    require_staff(actor)
    now = now or utcnow()
    _skill, skill_level_ = skill_level(catalog, skill_id, level)
    listed = skill_level_.behaviours_for(lang)
    problems: list[str] = []
    today = today_for(actor if actor.organisation else learner, now)
    if observed_on is None:
        problems.append(_("Give the date of the observation."))
    elif observed_on > today:
        problems.append(_("The date of the observation cannot be in the future."))
    elif observed_on < today - timedelta(days=OLDEST_DAYS):
        problems.append(_("The date of the observation is more than three years ago."))
    texts = {}
    for key, label, cleaner, limit in (
        ("situation", _("Work situation"), clean_line, MAX_SITUATION),
        ("evidence", _("What you saw"), clean_block, MAX_EVIDENCE),
    ):
        try:
            texts[key] = cleaner(situation if key == "situation" else evidence, label, limit)
        except Invalid as exc:
            problems += exc.messages
    for key, label, value, limit in (
        ("observer_name", _("Name of the observer"), observer_name, MAX_OBSERVER_NAME),
        ("observer_role", _("Role of the observer"), observer_role, MAX_OBSERVER_ROLE),
    ):
        try:
            texts[key] = clean_line(value, label, limit, required=False)
        except Invalid as exc:
            problems += exc.messages
    if texts.get("observer_role") and not texts.get("observer_name", observer_name.strip()):
        problems.append(_("Give the name of the person who observed, or leave the role empty."))
    chosen = []
    for value in behaviours:
        text = str(value)
        if not (text.isascii() and text.isdigit() and len(text) < 4) or int(text) >= len(listed):
            problems.append(_("Tick only behaviours from the list."))
            chosen = None
            break
        chosen.append(listed[int(value)])
    if validated and chosen == []:
        problems.append(_("To validate the level, tick at least one behaviour you observed."))
    if problems:
        raise Invalid(*problems)
    observation = Observation(
        organisation_id=learner.organisation_id,
        user_id=learner.id,
        skill_id=skill_id,
        level=level,
        observed_on=observed_on,
        situation=texts["situation"],
        evidence=texts["evidence"],
        behaviours=list(dict.fromkeys(chosen)),
        validated=bool(validated),
        observer_id=None if texts["observer_name"] else actor.id,
        observer_name=texts["observer_name"] or actor.display_name,
        observer_role=(texts["observer_role"] or None) if texts["observer_name"] else None,
        recorded_by_id=actor.id,
        recorded_by_name=actor.display_name,
        created_at=now,
    )
    db.add(observation)
    progress_service.log(
        db,
        learner,
        "observation",
        None,
        data={"skill": skill_id, "level": level, "validated": bool(validated)},
        created_at=now,
    )
    db.flush()
    return observation


def for_learner(db: Session, learner: User) -> list[Observation]:
    """The learner's observations, newest first (the caller scoped the learner)."""
    return list(
        db.scalars(
            select(Observation)
            .where(Observation.user_id == learner.id)
            .order_by(Observation.observed_on.desc(), Observation.id.desc())
        )
    )
