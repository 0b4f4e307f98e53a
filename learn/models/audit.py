"""The audit log: who did what to which learner's data, and when.

Rows are appended, never updated. They name people by id only, so a learner's erasure (which
anonymises the account in place) also makes the log about them anonymous; `details` hold ids,
counts and reasons, never free text or secrets (the service that writes them checks).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from learn.db import Base, UTCDateTime
from learn.models.people import utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_org_time", "organisation_id", "created_at"),
        Index("ix_audit_event_target", "target_user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The organisation whose data was touched (None only for platform-wide actions).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    # None when the command line or a scheduled job acted (retention).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(64))
    target_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
