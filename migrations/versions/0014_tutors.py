"""workplace tutors: the tutor role, user_account.company, tutor_link and workplace_assessment

Revision ID: 0014_tutors
Revises: 0013_funders
Create Date: 2026-12-07 12:10:00
"""

from alembic import op
import sqlalchemy as sa
import learn.db


revision = "0014_tutors"
down_revision = "0013_funders"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('learner', 'trainer', 'org_admin', 'platform_admin')"
NEW_ROLES = "role IN ('learner', 'trainer', 'org_admin', 'platform_admin', 'tutor')"


def _set_role_check(old: str, new: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_user_account_role_known"), "user_account", type_="check")
        op.create_check_constraint(op.f("ck_user_account_role_known"), "user_account", new)
        return
    # SQLite cannot alter a CHECK, and rebuilding user_account would drop the table every
    # other table references (with foreign keys on, its implicit DELETE cascades). SQLite's
    # documented procedure for loosening a CHECK (https://sqlite.org/lang_altertable.html,
    # "making other kinds of table schema changes") edits the stored CREATE statement, which
    # does not change the file's format, and bumps the schema version.
    bind = op.get_bind()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) "
        "WHERE type = 'table' AND name = 'user_account'",
        (old, new),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    op.create_table(
        "tutor_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("tutor_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", learn.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", learn.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_tutor_link_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["user_account.id"],
            name=op.f("fk_tutor_link_learner_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_tutor_link_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["tutor_id"],
            ["user_account.id"],
            name=op.f("fk_tutor_link_tutor_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tutor_link")),
    )
    op.create_index("ix_tutor_link_learner", "tutor_link", ["learner_id"], unique=False)
    op.create_index("ix_tutor_link_org", "tutor_link", ["organisation_id"], unique=False)
    op.create_index(
        "uq_tutor_link_live",
        "tutor_link",
        ["tutor_id", "learner_id"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_table(
        "workplace_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("tutor_id", sa.Integer(), nullable=True),
        sa.Column("tutor_name", sa.String(length=120), nullable=False),
        sa.Column("form_token", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("referentiel_id", sa.String(length=80), nullable=True),
        sa.Column("referentiel_version", sa.String(length=64), nullable=True),
        sa.Column("competence_id", sa.String(length=80), nullable=True),
        sa.Column("skill_id", sa.String(length=80), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("scale_step_id", sa.String(length=40), nullable=True),
        sa.Column("scale_step_label", sa.String(length=120), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("created_at", learn.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", learn.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", learn.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("replied_at", learn.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('competence', 'skill')", name=op.f("ck_workplace_assessment_kind_known")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'sent')", name=op.f("ck_workplace_assessment_status_known")
        ),
        sa.CheckConstraint(
            "level IS NULL OR level BETWEEN 1 AND 4",
            name=op.f("ck_workplace_assessment_level_range"),
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["user_account.id"],
            name=op.f("fk_workplace_assessment_learner_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_workplace_assessment_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["tutor_id"],
            ["user_account.id"],
            name=op.f("fk_workplace_assessment_tutor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workplace_assessment")),
        sa.UniqueConstraint("form_token", name=op.f("uq_workplace_assessment_form_token")),
    )
    op.create_index(
        "ix_workplace_assessment_learner",
        "workplace_assessment",
        ["learner_id", "status"],
        unique=False,
    )
    op.create_index(
        "ix_workplace_assessment_org", "workplace_assessment", ["organisation_id"], unique=False
    )
    op.create_index(
        "ix_workplace_assessment_tutor",
        "workplace_assessment",
        ["tutor_id", "learner_id"],
        unique=False,
    )
    # ADD COLUMN, not a rebuild of the table (see _set_role_check).
    op.add_column("user_account", sa.Column("company", sa.String(length=200), nullable=True))
    _set_role_check(OLD_ROLES, NEW_ROLES)


def downgrade() -> None:
    # Tutor accounts cannot outlive the role: they go with their links and drafts.
    op.execute("DELETE FROM workplace_assessment")
    op.execute("DELETE FROM tutor_link")
    op.execute(
        "DELETE FROM user_session WHERE user_id IN "
        "(SELECT id FROM user_account WHERE role = 'tutor')"
    )
    op.execute("DELETE FROM user_account WHERE role = 'tutor'")
    _set_role_check(NEW_ROLES, OLD_ROLES)
    op.drop_column("user_account", "company")
    op.drop_index("ix_workplace_assessment_tutor", table_name="workplace_assessment")
    op.drop_index("ix_workplace_assessment_org", table_name="workplace_assessment")
    op.drop_index("ix_workplace_assessment_learner", table_name="workplace_assessment")
    op.drop_table("workplace_assessment")
    op.drop_index("uq_tutor_link_live", table_name="tutor_link")
    op.drop_index("ix_tutor_link_org", table_name="tutor_link")
    op.drop_index("ix_tutor_link_learner", table_name="tutor_link")
    op.drop_table("tutor_link")
