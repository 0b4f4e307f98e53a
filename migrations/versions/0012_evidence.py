"""evidence and evidence_blob: photos, voice notes and texts a learner hands in

Revision ID: 0012_evidence
Revises: 0011_credentials
Create Date: 2026-12-07 12:00:00
"""

from alembic import op
import sqlalchemy as sa

import learn.db


revision = "0012_evidence"
down_revision = "0011_credentials"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_ref", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", learn.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "target_kind IN ('competence', 'activity', 'skill_level')",
            name=op.f("ck_evidence_target_kind_known"),
        ),
        sa.CheckConstraint(
            "kind IN ('photo', 'audio', 'text')", name=op.f("ck_evidence_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["user_account.id"],
            name=op.f("fk_evidence_learner_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_evidence_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index("ix_evidence_org_learner", "evidence", ["organisation_id", "learner_id"])
    op.create_index(
        "ix_evidence_learner_target", "evidence", ["learner_id", "target_kind", "target_ref"]
    )
    op.create_table(
        "evidence_blob",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_blob_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evidence_id", name=op.f("pk_evidence_blob")),
    )


def downgrade() -> None:
    op.drop_table("evidence_blob")
    op.drop_index("ix_evidence_learner_target", table_name="evidence")
    op.drop_index("ix_evidence_org_learner", table_name="evidence")
    op.drop_table("evidence")
