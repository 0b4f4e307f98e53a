"""Signed credentials: what an organisation issued, the keys it signs with, a learner's choice.

The signed JSON is kept as issued (`document`), so the public page and the downloads serve the
very bytes that were signed; revocation only sets `revoked_*` and the credential's bit in its
organisation's status list (`status_list`, `status_index`, unique per organisation). The private
keys are never here: only their public Multikeys, which stay published after rotation so that
older credentials still verify."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learn.db import Base, UTCDateTime
from learn.models.people import Organisation, User, utcnow

CREDENTIAL_KINDS = ("skill_level", "course", "competence")


class IssuedCredential(Base):
    __tablename__ = "issued_credential"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('skill_level', 'course', 'competence')", name="credential_kind_known"
        ),
        UniqueConstraint("organisation_id", "status_list", "status_index", name="uq_status_bit"),
        # One credential in force per learner and achievement; a revoked one can be issued again.
        Index(
            "uq_issued_credential_in_force",
            "learner_id",
            "kind",
            "subject_ref",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
        Index("ix_issued_credential_org_time", "organisation_id", "issued_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(20))
    # "<skill id>:<level>", "<course id>" or "<référentiel id>/<competence id>"
    subject_ref: Mapped[str] = mapped_column(String(120))
    level: Mapped[int | None] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    # The salt of the learner's identityHash; emptied when the learner is erased.
    identity_salt: Mapped[str] = mapped_column(String(64))
    name_shown: Mapped[bool] = mapped_column(Boolean, default=False)
    key_id: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status_list: Mapped[int] = mapped_column(Integer, default=1)
    status_index: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revocation_reason: Mapped[str | None] = mapped_column(String(40))

    organisation: Mapped[Organisation] = relationship()
    learner: Mapped[User] = relationship(foreign_keys=[learner_id])


class IssuerKey(Base):
    __tablename__ = "issuer_key"
    __table_args__ = (
        UniqueConstraint("organisation_id", "key_id", name="uq_issuer_key_id"),
        UniqueConstraint("public_multibase", name="uq_issuer_key_public"),
        # At most one key in use per organisation; the retired ones stay published.
        Index(
            "uq_issuer_key_current",
            "organisation_id",
            unique=True,
            sqlite_where=text("retired_at IS NULL"),
            postgresql_where=text("retired_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    key_id: Mapped[str] = mapped_column(String(64))
    public_multibase: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CredentialPreference(Base):
    """A learner's choice to show their name on the credentials issued to them from now on."""

    __tablename__ = "credential_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


TRANSFER_STATUSES = ("awaiting_consent", "refused", "awaiting_partner", "accepted", "declined")


class TransferRequest(Base):
    """A learner's record sent from one organisation to a partner on the same instance: asked by
    a trainer of the first, consented to (or refused) by the learner, accepted by the partner.
    `package` is the record as the learner consented to send it (taken at consent)."""

    __tablename__ = "transfer_request"
    __table_args__ = (
        CheckConstraint(
            "status IN ('awaiting_consent', 'refused', 'awaiting_partner', 'accepted', 'declined')",
            name="transfer_status_known",
        ),
        Index("ix_transfer_request_to", "to_organisation_id", "status"),
        Index("ix_transfer_request_learner", "learner_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    from_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    # None for an export to another Parcours: `destination` then names the partner.
    to_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    destination: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="awaiting_consent")
    include_workshops: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_learner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    package: Mapped[dict | None] = mapped_column(JSON)

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    from_organisation: Mapped[Organisation] = relationship(foreign_keys=[from_organisation_id])
    to_organisation: Mapped[Organisation | None] = relationship(foreign_keys=[to_organisation_id])

    @property
    def partner_name(self) -> str:
        """Who the record goes to: the partner on this instance, or the one named for an export."""
        return self.to_organisation.name if self.to_organisation else (self.destination or "")

    @property
    def is_export(self) -> bool:
        return self.to_organisation_id is None


class ImportedRecord(Base):
    """A signed export file from another Parcours, imported by a trainer of this organisation
    for one of its learners: the file as received (`document`, signature included), whose
    issuer profile it carried, and each credential's verdict at import (`verdicts`)."""

    __tablename__ = "imported_record"
    __table_args__ = (
        CheckConstraint("kind IN ('record', 'passport')", name="imported_record_kind_known"),
        Index("ix_imported_record_learner", "learner_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    source_name: Mapped[str] = mapped_column(String(200))
    source_profile: Mapped[str] = mapped_column(String(500))
    source_key: Mapped[str] = mapped_column(String(600))
    imported_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    document: Mapped[dict] = mapped_column(JSON)
    verdicts: Mapped[list] = mapped_column(JSON)

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
