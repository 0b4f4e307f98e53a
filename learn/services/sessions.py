"""Signed-in sessions with a server-side identity: one row per device, found by the hash of the
random token the cookie carries, ended on sign-out, on "sign out everywhere", on a password
change, a new code or erasure, and past the idle or absolute limit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from learn.models import User, UserSession
from learn.models.people import utcnow

# The "last seen" time is written at most this often: a page read stays a read otherwise.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionLimits:
    """How long a session lives: without a request (idle), and at most (absolute, by role)."""

    idle: timedelta
    staff_max: timedelta
    learner_max: timedelta

    def absolute_for(self, user: User) -> timedelta:
        return self.staff_max if user.reads_others_data else self.learner_max


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    db: Session,
    user: User,
    limits: SessionLimits,
    *,
    sign_in_code_id: int | None = None,
    device: str | None = None,
    now: datetime | None = None,
) -> str:
    """Record a new signed-in device for the user and return its token (for the cookie only)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.add(
        UserSession(
            token_hash=_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + limits.absolute_for(user),
            sign_in_code_id=sign_in_code_id,
            device=(device or None),
        )
    )
    db.flush()
    user.session_key = token
    return token


def find_session(
    db: Session, token: str | None, limits: SessionLimits, now: datetime | None = None
) -> UserSession | None:
    """The live session of this token (one read by primary key, with its user), or None when
    it is unknown, ended, idle too long, past its absolute limit, or its account is closed."""
    if not token or len(token) > 100:
        return None
    found = db.get(UserSession, _hash(token))
    now = now or utcnow()
    if (
        found is None
        or found.ended_at is not None
        or now >= found.expires_at
        or now - found.last_seen_at >= limits.idle
        or not found.user.active
    ):
        return None
    found.user.session_key = token
    found.user.signed_in_session = found
    return found


def needs_touch(found: UserSession, now: datetime | None = None) -> bool:
    """Whether the session's "last seen" time is old enough to be written again."""
    return (now or utcnow()) - found.last_seen_at >= TOUCH_EVERY


def touch(db: Session, found: UserSession, now: datetime | None = None) -> None:
    """Record that the session was used now (keeps it from the idle limit)."""
    found.last_seen_at = now or utcnow()
    db.flush()


def end_session(db: Session, token: str | None, now: datetime | None = None) -> None:
    """End one session (sign-out on this device): a copy of its cookie no longer signs in."""
    if token:
        db.execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash(token), UserSession.ended_at.is_(None))
            .values(ended_at=now or utcnow())
        )


def end_all_sessions(db: Session, user: User, now: datetime | None = None) -> int:
    """End every session of the user, on every device; returns how many were open."""
    ended = db.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=now or utcnow())
    )
    return ended.rowcount or 0


def live_sessions(
    db: Session, user: User, limits: SessionLimits, now: datetime | None = None
) -> list[UserSession]:
    """The user's sessions still alive (not ended, within both limits), latest used first."""
    now = now or utcnow()
    rows = db.scalars(
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
            UserSession.last_seen_at > now - limits.idle,
        )
        .order_by(UserSession.last_seen_at.desc())
    )
    return list(rows)


def current_session(db: Session, user: User) -> UserSession | None:
    """The session this user object was loaded for (by its token), ended or not."""
    if user.signed_in_session is not None:
        return user.signed_in_session
    return db.get(UserSession, _hash(user.session_key)) if user.session_key else None


_BROWSERS = (("edg", "Edge"), ("firefox", "Firefox"), ("chrome", "Chrome"), ("safari", "Safari"))
_SYSTEMS = (
    ("android", "Android"),
    ("iphone", "iPhone"),
    ("ipad", "iPad"),
    ("windows", "Windows"),
    ("mac os", "Mac"),
    ("linux", "Linux"),
)


def describe_device(user_agent: str | None) -> str | None:
    """A short name for a browser ("Firefox / Android"), never the whole User-Agent header."""
    text = (user_agent or "").lower()
    browser = next((name for key, name in _BROWSERS if key in text), None)
    system = next((name for key, name in _SYSTEMS if key in text), None)
    if browser and system:
        return f"{browser} / {system}"
    return browser or system
