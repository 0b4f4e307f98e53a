"""Workplace tutors: who supervises which learner at work, and what they assessed there."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from learn.db import Base, UTCDateTime
from learn.models.people import utcnow


class TutorLink(Base):
    """A tutor supervises a learner at work from created_at until ended_at (a link is ended,
    never deleted, so that who could see what stays known)."""

    __tablename__ = "tutor_link"
    __table_args__ = (
        # At most one live link between a tutor and a learner.
        Index(
            "uq_tutor_link_live",
            "tutor_id",
            "learner_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        Index("ix_tutor_link_learner", "learner_id"),
        Index("ix_tutor_link_org", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    tutor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WorkplaceAssessment(Base):
    """A tutor's assessment of a learner at work, against one competence of a référentiel or
    one level of a soft skill. A draft until sent; once sent, the learner reads it and may
    reply. What the tutor read is kept as text (criteria, scale step, tutor's name), with the
    référentiel's version, so that later content edits do not rewrite what was assessed."""

    __tablename__ = "workplace_assessment"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'sent')", name="status_known"),
        CheckConstraint("kind IN ('competence', 'skill')", name="kind_known"),
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 4", name="level_range"),
        Index("ix_workplace_assessment_learner", "learner_id", "status"),
        Index("ix_workplace_assessment_tutor", "tutor_id", "learner_id"),
        Index("ix_workplace_assessment_org", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    tutor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    tutor_name: Mapped[str] = mapped_column(String(120))
    # One form is one assessment: a double click or a resent form finds its row by this token.
    form_token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(8), default="draft")
    kind: Mapped[str] = mapped_column(String(12))
    referentiel_id: Mapped[str | None] = mapped_column(String(80))
    referentiel_version: Mapped[str | None] = mapped_column(String(64))
    competence_id: Mapped[str | None] = mapped_column(String(80))
    skill_id: Mapped[str | None] = mapped_column(String(80))
    level: Mapped[int | None] = mapped_column(Integer)
    # What was assessed, as the tutor read it (the competence's title or the skill's level).
    subject: Mapped[str] = mapped_column(String(300), default="")
    # The criteria ticked: [{"id": ..., "text": ...}] as the tutor read them.
    criteria: Mapped[list] = mapped_column(JSON, default=list)
    scale_step_id: Mapped[str | None] = mapped_column(String(40))
    scale_step_label: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    assessed_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The learner's answer, shown to the tutor and the trainers.
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
