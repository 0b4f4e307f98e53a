"""observation.observer_role, recorded_by_id, recorded_by_name: an observer without an account
(a workplace tutor) typed in by the trainer who recorded the observation

Revision ID: 0009_observers
Revises: 0008
Create Date: 2026-12-07 11:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0009_observers"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observation") as batch_op:
        batch_op.add_column(sa.Column("observer_role", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("recorded_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recorded_by_name", sa.String(length=120), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_observation_recorded_by_id_user_account"),
            "user_account",
            ["recorded_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Until now the observer was always the trainer who recorded the observation.
    op.execute(
        "UPDATE observation SET recorded_by_id = observer_id, recorded_by_name = observer_name"
    )


def downgrade() -> None:
    with op.batch_alter_table("observation") as batch_op:
        batch_op.drop_constraint(
            op.f("fk_observation_recorded_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("recorded_by_name")
        batch_op.drop_column("recorded_by_id")
        batch_op.drop_column("observer_role")
