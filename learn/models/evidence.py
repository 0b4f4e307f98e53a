"""What a learner hands in to show a competence at work: a photo, a voice note or a text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from learn.db import Base, UTCDateTime
from learn.models.people import utcnow

TARGET_KINDS = ("competence", "activity", "skill_level")
EVIDENCE_KINDS = ("photo", "audio", "text")


class Evidence(Base):
    """One piece of evidence for a target: a référentiel competence or activity
    ('agent-proprete/preparer-materiel'), or a soft-skill level ('ecoute/3').

    The file itself is in evidence_blob, read only when it is served, exported or backed up:
    in the database because two instances share one PostgreSQL and no disk (see
    docs/operating.md)."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(
            "target_kind IN ('competence', 'activity', 'skill_level')", name="target_kind_known"
        ),
        CheckConstraint("kind IN ('photo', 'audio', 'text')", name="kind_known"),
        Index("ix_evidence_org_learner", "organisation_id", "learner_id"),
        Index("ix_evidence_learner_target", "learner_id", "target_kind", "target_ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_ref: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    content_type: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvidenceBlob(Base):
    """The bytes of a photo (re-encoded, without metadata) or of a voice note."""

    __tablename__ = "evidence_blob"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
