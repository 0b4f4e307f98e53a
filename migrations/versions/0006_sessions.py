"""sessions with a server-side identity (user_session); the per-user session token goes;
rate-limit counters in the database when there is no Redis (rate_limit_counter)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 08:40:00
"""

import sqlalchemy as sa
from alembic import op

import learn.db

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", learn.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", learn.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", learn.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", learn.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sign_in_code_id", sa.Integer(), nullable=True),
        sa.Column("device", sa.String(length=60), nullable=True),
        sa.ForeignKeyConstraint(
            ["sign_in_code_id"],
            ["sign_in_code.id"],
            name=op.f("fk_user_session_sign_in_code_id_sign_in_code"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_user_session")),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index("ix_user_session_user", ["user_id"], unique=False)
    # Every session so far was a signed cookie checked against this token: they all end here
    # (users sign in again once), and the table above is the only identity of a session.
    op.create_table(
        "rate_limit_counter",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counter")),
    )
    with op.batch_alter_table("rate_limit_counter", schema=None) as batch_op:
        batch_op.create_index("ix_rate_limit_counter_expires", ["expires_at"], unique=False)
    # A plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35 has it): a batch copy of this table
    # would drop the old one under foreign keys, which SQLite turns into deletes that cascade.
    op.drop_column("user_account", "session_token")


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_token", sa.String(length=64), nullable=False, server_default="-")
        )
    with op.batch_alter_table("rate_limit_counter", schema=None) as batch_op:
        batch_op.drop_index("ix_rate_limit_counter_expires")
    op.drop_table("rate_limit_counter")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index("ix_user_session_user")
    op.drop_table("user_session")
