"""issued_credential.kind: a validated référentiel competence can be issued as a credential

Revision ID: 0018_competence_credentials
Revises: 0017_validation
Create Date: 2026-12-07 15:30:00
"""

from alembic import op


revision = "0018_competence_credentials"
down_revision = "0017_validation"
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('skill_level', 'course')"
NEW_KINDS = "kind IN ('skill_level', 'course', 'competence')"


def _set_kind_check(old: str, new: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        name = op.f("ck_issued_credential_credential_kind_known")
        op.drop_constraint(name, "issued_credential", type_="check")
        op.create_check_constraint(name, "issued_credential", new)
        return
    # As in 0014_tutors: SQLite cannot alter a CHECK; its documented procedure for loosening one
    # (https://sqlite.org/lang_altertable.html, "making other kinds of table schema changes")
    # edits the stored CREATE statement and bumps the schema version.
    bind = op.get_bind()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) "
        "WHERE type = 'table' AND name = 'issued_credential'",
        (old, new),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    _set_kind_check(OLD_KINDS, NEW_KINDS)


def downgrade() -> None:
    # A signed credential is never deleted (its status bit must not be given to another one):
    # going back is refused while competence credentials exist.
    count = (
        op.get_bind()
        .exec_driver_sql("SELECT count(*) FROM issued_credential WHERE kind = 'competence'")
        .scalar()
    )
    if count:
        raise RuntimeError(
            f"{count} competence credential(s) were issued: they cannot be kept under "
            "0017_validation's rule, and signed credentials are never deleted."
        )
    _set_kind_check(NEW_KINDS, OLD_KINDS)
