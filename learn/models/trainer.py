"""What trainers record about learners: observations of a skill in a real work situation."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from learn.db import Base, UTCDateTime
from learn.i18n import _
from learn.models.people import utcnow
from learn.models.progress import HelpRequest, ModuleProgress, ProgressEvent


class Observation(Base):
    """A trainer saw a learner at work and says whether they showed a level of a skill.

    The observer's name is copied at the time of writing, so the record stays readable for a
    funder even after the observer's account is gone; the behaviours ticked are kept as the text
    the observer read, so later content edits do not rewrite what was certified."""

    __tablename__ = "observation"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
        Index("ix_observation_org_user", "organisation_id", "user_id"),
        Index("ix_observation_user_skill", "user_id", "skill_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    skill_id: Mapped[str] = mapped_column(String(80))
    level: Mapped[int] = mapped_column(Integer)
    observed_on: Mapped[date] = mapped_column(Date)
    situation: Mapped[str] = mapped_column(String(300))
    evidence: Mapped[str] = mapped_column(Text)
    behaviours: Mapped[list] = mapped_column(JSON, default=list)
    validated: Mapped[bool] = mapped_column(Boolean)
    observer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    observer_name: Mapped[str] = mapped_column(String(120))
    # An observer without an account (a workplace tutor, a technical supervisor) is typed in by
    # the trainer who records the observation: observer_id is then empty, the role says who
    # they are, and the trainer stays known as the one who recorded it.
    observer_role: Mapped[str | None] = mapped_column(String(80))
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    recorded_by_name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def credit(self) -> str:
        """Who observed, with their role, and who recorded it when that is someone else:
        « Paul Morel (tuteur en entreprise) — saisi par Karim Benali »."""
        observer = (
            f"{self.observer_name} ({self.observer_role})"
            if self.observer_role
            else self.observer_name
        )
        if self.recorded_by_name and self.recorded_by_name != self.observer_name:
            return _(
                "%(observer)s — recorded by %(recorder)s",
                observer=observer,
                recorder=self.recorded_by_name,
            )
        return observer


# Indexes the trainer's reports need on tables defined elsewhere, kept beside their queries' owner
# (an Index made of columns attaches itself to their table).
Index(
    "ix_module_progress_org_failed", ModuleProgress.organisation_id, ModuleProgress.failed_in_a_row
)
Index("ix_progress_event_user_id", ProgressEvent.user_id, ProgressEvent.id)
Index("ix_help_request_user", HelpRequest.user_id)
