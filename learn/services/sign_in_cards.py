"""Sign-in cards for a whole group: a trainer reprints them when the cards were lost or the
codes expired. Every learner of the group gets a new one-time code; their unused codes stop
working and they are signed out everywhere (a lost card must not keep a session open)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from learn.models import Group, SignInCode, User
from learn.models.people import ERASED_PREFIX, utcnow
from learn.services import groups, sessions
from learn.services.enrolment import Card, hash_codes
from learn.services.groups import require_staff
from learn.services.passwords import new_sign_in_code


def learners_to_reprint(db: Session, actor: User, group: Group) -> list[User]:
    """The learners of the group the actor may see who can sign in (not closed nor erased)."""
    return [
        person
        for person in groups.members(db, actor, group)
        if person.active and not person.username.startswith(ERASED_PREFIX)
    ]


def reprint_group(
    db: Session, actor: User, group: Group, days: int = 14, now: datetime | None = None
) -> tuple[list[User], list[Card]]:
    """New one-time codes for the group's learners (the caller scoped the group); returns the
    learners and their cards, by name. Their unused codes end and their sessions end."""
    require_staff(actor)
    learners = learners_to_reprint(db, actor, group)
    if not learners:
        return [], []
    now = now or utcnow()
    db.execute(
        update(SignInCode)
        .where(SignInCode.user_id.in_([p.id for p in learners]), SignInCode.used_at.is_(None))
        .values(used_at=now)
    )
    codes = [new_sign_in_code() for _person in learners]
    db.add_all(
        SignInCode(
            user_id=person.id,
            code_hash=code_hash,
            created_by_id=actor.id,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        for person, code_hash in zip(learners, hash_codes(codes), strict=True)
    )
    for person in learners:
        sessions.end_all_sessions(db, person, now)
    db.flush()
    cards = [
        Card(person.display_name, person.username, code, (group.name,))
        for person, code in zip(learners, codes, strict=True)
    ]
    return learners, cards
