"""issued_credential, issuer_key, credential_preference, transfer_request: Open Badges 3.0
signed credentials and records sent between partner organisations

Revision ID: 0011_credentials
Revises: 0010_closures
Create Date: 2026-12-07 11:30:00
"""

from alembic import op
import sqlalchemy as sa

from learn.db import UTCDateTime


revision = "0011_credentials"
down_revision = "0010_closures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_credential",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject_ref", sa.String(length=120), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("identity_salt", sa.String(length=64), nullable=False),
        sa.Column("name_shown", sa.Boolean(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=True),
        sa.Column("status_list", sa.Integer(), nullable=False),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.Column("revocation_reason", sa.String(length=40), nullable=True),
        sa.CheckConstraint("kind IN ('skill_level', 'course')", name="credential_kind_known"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["learner_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["issued_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["revoked_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "status_list", "status_index", name="uq_status_bit"),
    )
    op.create_index(
        "uq_issued_credential_in_force",
        "issued_credential",
        ["learner_id", "kind", "subject_ref"],
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    )
    op.create_index(
        "ix_issued_credential_org_time", "issued_credential", ["organisation_id", "issued_at"]
    )
    op.create_table(
        "issuer_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("public_multibase", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("retired_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "key_id", name="uq_issuer_key_id"),
        sa.UniqueConstraint("public_multibase", name="uq_issuer_key_public"),
    )
    op.create_index(
        "uq_issuer_key_current",
        "issuer_key",
        ["organisation_id"],
        unique=True,
        sqlite_where=sa.text("retired_at IS NULL"),
        postgresql_where=sa.text("retired_at IS NULL"),
    )
    op.create_table(
        "credential_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("show_name", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )

    op.create_table(
        "transfer_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("from_organisation_id", sa.Integer(), nullable=False),
        sa.Column("to_organisation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("include_workshops", sa.Boolean(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("consent_at", UTCDateTime(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("new_learner_id", sa.Integer(), nullable=True),
        sa.Column("package", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "status IN ('awaiting_consent', 'refused', 'awaiting_partner', 'accepted', 'declined')",
            name="transfer_status_known",
        ),
        sa.ForeignKeyConstraint(["learner_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["from_organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["to_organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["requested_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["new_learner_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_transfer_request_to", "transfer_request", ["to_organisation_id", "status"])
    op.create_index("ix_transfer_request_learner", "transfer_request", ["learner_id"])


def downgrade() -> None:
    op.drop_index("ix_transfer_request_learner", table_name="transfer_request")
    op.drop_index("ix_transfer_request_to", table_name="transfer_request")
    op.drop_table("transfer_request")
    op.drop_table("credential_preference")
    op.drop_index("uq_issuer_key_current", table_name="issuer_key")
    op.drop_table("issuer_key")
    op.drop_index("ix_issued_credential_org_time", table_name="issued_credential")
    op.drop_index("uq_issued_credential_in_force", table_name="issued_credential")
    op.drop_table("issued_credential")
