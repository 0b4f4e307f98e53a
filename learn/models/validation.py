"""A trainer's decision that a learner has a référentiel competence or a soft-skill level, with
what it rests on. Never deleted: a validation made in error is withdrawn, with who, when, why."""

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

VALIDATION_KINDS = ("competence", "skill_level")


class Validation(Base):
    """target_ref is '<referentiel>/<competence>' or '<skill>/<level>'; `sources` is a list of
    {"kind": "evidence"|"observation"|"assessment"|"attempt", "id": n} the trainer relied on.
    At most one validation of a target is in force (not withdrawn) per learner."""

    __tablename__ = "validation"
    __table_args__ = (
        CheckConstraint("target_kind IN ('competence', 'skill_level')", name="target_kind_known"),
        CheckConstraint(
            "(withdrawn_at IS NULL) = (withdrawal_reason IS NULL)", name="withdrawal_has_reason"
        ),
        Index("ix_validation_org_learner", "organisation_id", "learner_id"),
        Index(
            "uq_validation_in_force",
            "learner_id",
            "target_kind",
            "target_ref",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_ref: Mapped[str] = mapped_column(String(200))
    step: Mapped[str | None] = mapped_column(String(40))
    decided_on: Mapped[date] = mapped_column(Date)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_by_name: Mapped[str] = mapped_column(String(200))
    sources: Mapped[list] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    withdrawn_by_name: Mapped[str | None] = mapped_column(String(200))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None

    def cited(self, kind: str) -> set[int]:
        """The ids of the sources of this kind it rests on."""
        return {s["id"] for s in self.sources or () if s.get("kind") == kind}
