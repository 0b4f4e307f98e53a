"""Learning records: an append-only event log plus one summary row per learner and module.

Every write that changes a summary also appends its event in the same transaction, so the
summary can always be rebuilt from the log and reports read one row per learner and module.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from learn.db import Base, UTCDateTime
from learn.models.people import utcnow

MODULE_ID = String(80)
STATUSES = ("not_started", "in_progress", "completed", "mastered")


class ProgressEvent(Base):
    """One thing a learner did, never updated nor deleted (except by GDPR erasure)."""

    __tablename__ = "progress_event"
    __table_args__ = (Index("ix_progress_event_user_module", "user_id", "module_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    module_id: Mapped[str | None] = mapped_column(MODULE_ID)
    kind: Mapped[str] = mapped_column(String(32))
    section_id: Mapped[str | None] = mapped_column(String(80))
    variant: Mapped[str | None] = mapped_column(String(16))
    content_version: Mapped[str | None] = mapped_column(String(64))
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModuleProgress(Base):
    """The summary of one learner on one module, shared by every variant and language."""

    __tablename__ = "module_progress"
    __table_args__ = (
        CheckConstraint(
            "status IN ('not_started', 'in_progress', 'completed', 'mastered')", name="status_known"
        ),
        CheckConstraint("active_seconds >= 0", name="time_not_negative"),
        Index("ix_module_progress_org_module", "organisation_id", "module_id"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    module_id: Mapped[str] = mapped_column(MODULE_ID, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    last_section: Mapped[str | None] = mapped_column(String(80))
    sections_seen: Mapped[list] = mapped_column(JSON, default=list)
    active_seconds: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    failed_in_a_row: Mapped[int] = mapped_column(Integer, default=0)
    best_score: Mapped[float | None] = mapped_column(Float)
    content_version: Mapped[str | None] = mapped_column(String(64))
    first_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mastered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QuizAttempt(Base):
    """A submitted quiz. (user, module, seq) is unique: a resent form or a second tab carrying
    the same attempt number cannot make a second row."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id", "seq", name="one_per_number"),
        Index("ix_quiz_attempt_org_module", "organisation_id", "module_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    module_id: Mapped[str] = mapped_column(MODULE_ID)
    seq: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8))
    variant: Mapped[str] = mapped_column(String(16))
    content_version: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    duration_seconds: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    correct_count: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean)
    # {question_id: {"answer": ..., "correct": bool, "score": float, "version": fingerprint}}
    answers: Mapped[dict] = mapped_column(JSON)
    # The order shown: [[question id, [option ids as shown]], ...] (learn.modules.shuffle);
    # None for attempts recorded before it was kept (shown in the written order)
    shown_order: Mapped[list | None] = mapped_column(JSON, nullable=True)


class WorkshopAnswer(Base):
    """A learner's worksheet: drafts, submissions for review, the trainer's review."""

    __tablename__ = "workshop_answer"
    __table_args__ = (
        UniqueConstraint("user_id", "workshop_id", name="one_per_learner"),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'accepted', 'needs_revision')", name="status_known"
        ),
        Index("ix_workshop_answer_org_status", "organisation_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    module_id: Mapped[str] = mapped_column(MODULE_ID)
    workshop_id: Mapped[str] = mapped_column(String(80))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=0)
    content_version: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    review_comment: Mapped[str | None] = mapped_column(Text)
    # The trainer's rubric ratings of the reviewed version: {criterion_id: "not-yet"|"partly"|"yes"}
    review_ratings: Mapped[dict | None] = mapped_column(JSON)


class SelfAssessment(Base):
    __tablename__ = "self_assessment"
    __table_args__ = (Index("ix_self_assessment_user_module", "user_id", "module_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    module_id: Mapped[str] = mapped_column(MODULE_ID)
    ratings: Mapped[dict] = mapped_column(JSON)  # {objective_id: 1..4}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlacementResult(Base):
    __tablename__ = "placement_result"
    __table_args__ = (
        CheckConstraint("recommended_level BETWEEN 1 AND 4", name="level_range"),
        Index("ix_placement_result_user_skill", "user_id", "skill_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    skill_id: Mapped[str] = mapped_column(String(80))
    ratings: Mapped[dict] = mapped_column(JSON)
    answers: Mapped[dict] = mapped_column(JSON)
    recommended_level: Mapped[int] = mapped_column(Integer)
    content_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HelpRequest(Base):
    __tablename__ = "help_request"
    __table_args__ = (Index("ix_help_request_org_open", "organisation_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    module_id: Mapped[str | None] = mapped_column(MODULE_ID)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The trainer's answer, written when they deal with the request (optional): with resolved_at
    # it is the assistance a funder asks to see for distance learning (docs/funders.md).
    answer: Mapped[str | None] = mapped_column(Text)


class SatisfactionResponse(Base):
    """A learner's answers to the short end-of-course questionnaire (Qualiopi indicator 30):
    one per learner and course or assignment; every question optional."""

    __tablename__ = "satisfaction_response"
    __table_args__ = (
        UniqueConstraint("user_id", "subject", name="one_per_subject"),
        Index("ix_satisfaction_response_org_subject", "organisation_id", "subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    # "course:<course id>" or "assignment:<assignment id>"
    subject: Mapped[str] = mapped_column(String(120))
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)  # {question_id: 1..4}
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Assignment(Base):
    """Something a trainer asks a group or a learner to do: a module, a skill level, a skill or
    a course, with an optional due date. Removing one never touches progress."""

    __tablename__ = "assignment"
    __table_args__ = (
        CheckConstraint(
            "target_kind IN ('module', 'level', 'skill', 'course')", name="target_known"
        ),
        CheckConstraint("(group_id IS NULL) <> (user_id IS NULL)", name="for_a_group_or_a_learner"),
        Index("ix_assignment_org", "organisation_id"),
        Index("ix_assignment_user", "user_id"),
        Index("ix_assignment_group", "group_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    target_kind: Mapped[str] = mapped_column(String(16))
    target_ref: Mapped[str] = mapped_column(String(120))  # module id, "skill:level", skill, course
    group_id: Mapped[int | None] = mapped_column(ForeignKey("learner_group.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    due_on: Mapped[date | None] = mapped_column(Date)
    easy_read: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
