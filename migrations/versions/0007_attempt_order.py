"""quiz_attempt.shown_order: the order of the questions and options the learner saw

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quiz_attempt") as batch_op:
        batch_op.add_column(sa.Column("shown_order", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quiz_attempt") as batch_op:
        batch_op.drop_column("shown_order")
