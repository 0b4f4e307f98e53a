"""workshop_answer.review_ratings: the trainer's rubric ratings of a reviewed worksheet

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 08:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_answer") as batch_op:
        batch_op.add_column(sa.Column("review_ratings", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workshop_answer") as batch_op:
        batch_op.drop_column("review_ratings")
