"""organisation.default_locale: the interface's language for members who chose none

Revision ID: 0015_org_locale
Revises: 0014_tutors
Create Date: 2026-12-07 12:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0015_org_locale"
down_revision = "0014_tutors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.add_column(sa.Column("default_locale", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisation") as batch_op:
        batch_op.drop_column("default_locale")
