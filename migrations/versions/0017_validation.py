"""validation: a trainer's decision that a learner has a competence or a soft-skill level

Revision ID: 0017_validation
Revises: 0016_record_files
Create Date: 2026-12-07 13:00:00
"""

from alembic import op
import sqlalchemy as sa

import learn.db


revision = "0017_validation"
down_revision = "0016_record_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "validation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_ref", sa.String(length=200), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_at", learn.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=200), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("withdrawn_at", learn.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_by_name", sa.String(length=200), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "target_kind IN ('competence', 'skill_level')",
            name=op.f("ck_validation_target_kind_known"),
        ),
        sa.CheckConstraint(
            "(withdrawn_at IS NULL) = (withdrawal_reason IS NULL)",
            name=op.f("ck_validation_withdrawal_has_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["user_account.id"],
            name=op.f("fk_validation_learner_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_validation_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["user_account.id"],
            name=op.f("fk_validation_withdrawn_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_validation_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation")),
    )
    op.create_index("ix_validation_org_learner", "validation", ["organisation_id", "learner_id"])
    op.create_index(
        "uq_validation_in_force",
        "validation",
        ["learner_id", "target_kind", "target_ref"],
        unique=True,
        sqlite_where=sa.text("withdrawn_at IS NULL"),
        postgresql_where=sa.text("withdrawn_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_validation_in_force", table_name="validation")
    op.drop_index("ix_validation_org_learner", table_name="validation")
    op.drop_table("validation")
