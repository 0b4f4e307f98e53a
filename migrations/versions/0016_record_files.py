"""imported_record, transfer_request.destination: signed export files between two Parcours

Revision ID: 0016_record_files
Revises: 0015_org_locale
Create Date: 2026-12-07 13:00:00
"""

from alembic import op
import sqlalchemy as sa

from learn.db import UTCDateTime


revision = "0016_record_files"
down_revision = "0015_org_locale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("transfer_request") as batch:
        batch.alter_column("to_organisation_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("destination", sa.String(length=200), nullable=True))
    op.create_table(
        "imported_record",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("source_profile", sa.String(length=500), nullable=False),
        sa.Column("source_key", sa.String(length=600), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("verdicts", sa.JSON(), nullable=False),
        sa.CheckConstraint("kind IN ('record', 'passport')", name="imported_record_kind_known"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["learner_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["imported_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_imported_record_learner", "imported_record", ["learner_id"])


def downgrade() -> None:
    op.drop_index("ix_imported_record_learner", table_name="imported_record")
    op.drop_table("imported_record")
    with op.batch_alter_table("transfer_request") as batch:
        batch.drop_column("destination")
        batch.alter_column("to_organisation_id", existing_type=sa.Integer(), nullable=False)
