"""Organisations, people, groups and one-time sign-in codes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learn.db import Base, UTCDateTime
from learn.i18n import gettext


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    ORG_ADMIN = "org_admin"
    PLATFORM_ADMIN = "platform_admin"
    # The person who supervises a learner at work (technical supervisor, host company's tutor):
    # not staff; sees only the learners linked to them (learn/services/tutoring.py).
    TUTOR = "tutor"


STAFF_ROLES = frozenset({Role.TRAINER, Role.ORG_ADMIN, Role.PLATFORM_ADMIN})

# An erased learner's username: outside the username rules, so no one can create or sign in as it.
ERASED_PREFIX = "~erased-"
# The name stored for an erased learner: the untranslated message, never shown as it is — each
# reader sees it in their own language (see shown_name).
ERASED_NAME = "Erased learner"


def shown_name(username: str | None, stored_name: str) -> str:
    """The name to show for an account: its stored name, or for an erased account "Erased
    learner" in the reader's language (English outside a request). For the core rows that
    select the username and the name; an ORM User does it in User.display_name."""
    if not (username or "").startswith(ERASED_PREFIX):
        return stored_name
    return gettext("Erased learner")  # the literal, for pybabel extract: ERASED_NAME


# Why a learner's contract ended ("sortie"), as the structures report it to their funders; the
# words are in learn/services/closing.py. Staff accounts are closed without a reason.
CLOSURE_REASONS = (
    "lasting_job",
    "transition_job",
    "qualifying_training",
    "no_solution",
    "moved",
    "dropped_out",
    "other",
)


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    restrict_trainers_to_groups: Mapped[bool] = mapped_column(Boolean, default=False)
    # The interface's language for its members who chose none (None: the browser's language).
    default_locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "role IN ('learner', 'trainer', 'org_admin', 'platform_admin', 'tutor')",
            name="role_known",
        ),
        CheckConstraint(
            "organisation_id IS NOT NULL OR role = 'platform_admin'", name="member_of_organisation"
        ),
        Index("ix_user_account_org_role", "organisation_id", "role"),
        CheckConstraint(
            "closure_reason IS NULL OR closure_reason IN ("
            + ", ".join(f"'{reason}'" for reason in CLOSURE_REASONS)
            + ")",
            name="closure_reason_known",
        ),
        # A closure has its date and the moment it was recorded, or it is not a closure.
        CheckConstraint(
            "(closed_at IS NULL AND closed_on IS NULL AND closure_reason IS NULL)"
            " OR (closed_at IS NOT NULL AND closed_on IS NOT NULL)",
            name="closure_complete",
        ),
        # `active` is what sign-in reads: a closed account cannot sign in (an erased one neither,
        # without being closed).
        CheckConstraint("closed_at IS NULL OR NOT active", name="closed_is_inactive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT")
    )
    username: Mapped[str] = mapped_column(String(64), unique=True)
    # The column display_name; read and written through the display_name hybrid below.
    _display_name: Mapped[str] = mapped_column("display_name", String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    # A tutor's host company (optional; empty for everyone else).
    company: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_choose_password: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    # Reading presentation (size, spacing, tint, font...) saved on the account, and whether the
    # easy-read variant is shown by default (chosen by the learner or set by a trainer).
    reading_preferences: Mapped[dict | None] = mapped_column(JSON)
    prefers_easy_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A closed account (a learner's exit at the end of the contract, a staff member who left):
    # when it was recorded (UTC), the day it took effect (the organisation's calendar) and, for a
    # learner, why (CLOSURE_REASONS). Reopening clears all three.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closure_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    # The raw token of the session this object was loaded for (never stored): Flask-Login keeps
    # what get_id() returns in the signed cookie, and the loader finds the session by its hash.
    session_key = None
    # That session's row, kept here so that the request reads it once.
    signed_in_session = None

    # The name shown: on an instance, an erased account's name is translated for the reader
    # (shown_name); in SQL it is the column, so selecting, ordering and searching by
    # User.display_name, assigning it and inserting or updating "display_name" all still work.
    @hybrid_property
    def display_name(self) -> str:
        return shown_name(self.username, self._display_name)

    @display_name.inplace.setter
    def _display_name_setter(self, value: str) -> None:
        self._display_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls):
        return cls._display_name

    @display_name.inplace.bulk_dml
    @classmethod
    def _display_name_bulk_dml(cls, mapping: dict[str, Any], value: str) -> None:
        # session.execute(insert(User), [{"display_name": ...}, ...]) and bulk UPDATEs.
        mapping["_display_name"] = value

    # Flask-Login's protocol, kept here so that the user object is all it needs.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_key

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_tutor(self) -> bool:
        return self.role == Role.TUTOR

    @property
    def reads_others_data(self) -> bool:
        """Staff and tutors read other people's records: the staff password rules and the
        staff session limit apply to them."""
        return self.is_staff or self.is_tutor

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.PLATFORM_ADMIN


class SignInCode(Base):
    """A printable one-time code a trainer gives a learner; only its hash is kept."""

    __tablename__ = "sign_in_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(255))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_sign_in_code_user", "user_id"),)


class UserSession(Base):
    """One signed-in device: the cookie carries a random token, the table only its SHA-256.
    Signing out ends this row; ending every row of a user signs them out everywhere."""

    __tablename__ = "user_session"
    __table_args__ = (Index("ix_user_session_user", "user_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The absolute limit, fixed at sign-in (shorter for staff than for learners).
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The one-time code this session was opened with, until a password is chosen: the code is
    # the proof of identity on /choose-password, and is spent only when the password is saved.
    sign_in_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("sign_in_code.id", ondelete="SET NULL")
    )
    # "Firefox / Android", listed on the password page to tell one's devices apart; never the
    # whole User-Agent header.
    device: Mapped[str | None] = mapped_column(String(60))

    user: Mapped[User] = relationship(lazy="joined")


# Who pays for a group's training (docs/funders.md): it sets how long retention keeps the
# learners' records (learn/services/retention.py).
FUNDINGS = ("opco", "cpf", "france_travail", "region", "fse", "self", "other")


class Group(Base):
    __tablename__ = "learner_group"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        CheckConstraint(
            "funding IS NULL OR funding IN (" + ", ".join(f"'{f}'" for f in FUNDINGS) + ")",
            name="funding_known",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    funding: Mapped[str | None] = mapped_column(String(20))


class GroupMembership(Base):
    __tablename__ = "group_membership"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("learner_group.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    # A trainer's membership makes the group one of theirs; a learner's puts them in it.
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_group_membership_user", "user_id"),)
