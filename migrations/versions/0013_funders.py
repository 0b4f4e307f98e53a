"""Records funders accept: learner_group.funding, help_request.answer, satisfaction_response

Revision ID: 0013_funders
Revises: 0012_evidence
Create Date: 2026-12-07 12:10:00
"""

from alembic import op
import sqlalchemy as sa

import learn.db


revision = "0013_funders"
down_revision = "0012_evidence"
branch_labels = None
depends_on = None

FUNDINGS = ("opco", "cpf", "france_travail", "region", "fse", "self", "other")


def upgrade() -> None:
    with op.batch_alter_table("learner_group") as batch_op:
        batch_op.add_column(sa.Column("funding", sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_learner_group_funding_known"),
            "funding IS NULL OR funding IN (" + ", ".join(f"'{f}'" for f in FUNDINGS) + ")",
        )
    with op.batch_alter_table("help_request") as batch_op:
        batch_op.add_column(sa.Column("answer", sa.Text(), nullable=True))
    op.create_table(
        "satisfaction_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", learn.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_satisfaction_response_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_satisfaction_response_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satisfaction_response")),
        sa.UniqueConstraint("user_id", "subject", name="one_per_subject"),
    )
    op.create_index(
        "ix_satisfaction_response_org_subject",
        "satisfaction_response",
        ["organisation_id", "subject"],
    )


def downgrade() -> None:
    op.drop_index("ix_satisfaction_response_org_subject", table_name="satisfaction_response")
    op.drop_table("satisfaction_response")
    with op.batch_alter_table("help_request") as batch_op:
        batch_op.drop_column("answer")
    with op.batch_alter_table("learner_group") as batch_op:
        batch_op.drop_constraint(op.f("ck_learner_group_funding_known"), type_="check")
        batch_op.drop_column("funding")
