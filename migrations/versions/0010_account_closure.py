"""user_account.closed_at, closed_on, closure_reason: an account closed at the end of a contract

Revision ID: 0010_closures
Revises: 0009_observers
Create Date: 2026-12-07 11:40:00
"""

from alembic import op
import sqlalchemy as sa

import learn.db


revision = "0010_closures"
down_revision = "0009_observers"
branch_labels = None
depends_on = None

REASONS = (
    "lasting_job",
    "transition_job",
    "qualifying_training",
    "no_solution",
    "moved",
    "dropped_out",
    "other",
)


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(
            sa.Column("closed_at", learn.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("closure_reason", sa.String(length=32), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_user_account_closure_reason_known"),
            "closure_reason IS NULL OR closure_reason IN ("
            + ", ".join(f"'{reason}'" for reason in REASONS)
            + ")",
        )
        batch_op.create_check_constraint(
            op.f("ck_user_account_closure_complete"),
            "(closed_at IS NULL AND closed_on IS NULL AND closure_reason IS NULL)"
            " OR (closed_at IS NOT NULL AND closed_on IS NOT NULL)",
        )
        batch_op.create_check_constraint(
            op.f("ck_user_account_closed_is_inactive"), "closed_at IS NULL OR NOT active"
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_constraint(op.f("ck_user_account_closed_is_inactive"), type_="check")
        batch_op.drop_constraint(op.f("ck_user_account_closure_complete"), type_="check")
        batch_op.drop_constraint(op.f("ck_user_account_closure_reason_known"), type_="check")
        batch_op.drop_column("closure_reason")
        batch_op.drop_column("closed_on")
        batch_op.drop_column("closed_at")
