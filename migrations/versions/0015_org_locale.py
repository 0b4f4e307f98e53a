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


# ADD and DROP COLUMN, not a rebuild of the table: every account refers to its organisation, and
# SQLite refuses to drop a table that rows refer to.
def upgrade() -> None:
    op.add_column("organisation", sa.Column("default_locale", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("organisation", "default_locale")
