"""Migration 0014_tutors: the role check accepts 'tutor' (and still refuses an unknown role)
without losing a row of the tables that reference accounts (on SQLite the CHECK is changed in
place, not by rebuilding user_account, whose implicit DELETE would cascade), and it can be
undone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from learn import migrate
from learn.db import make_engine
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from tests.services.test_observation_migration import _row


def _account(user: sa.Table, **given) -> dict:
    return _row(user, organisation_id=1, display_name="X", **given)


@pytest.fixture
def engine(tmp_path):
    if ON_POSTGRES:
        engine = make_engine(TEST_DATABASE_URL)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    yield engine
    migrate.upgrade(engine)  # leave the shared PostgreSQL database at head for the next tests
    engine.dispose()


def _downgrade(engine, revision: str) -> None:
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_the_tutor_role_arrives_without_losing_rows_and_leaves(engine):
    migrate.upgrade(engine, "0013_funders")
    meta = sa.MetaData()
    meta.reflect(engine)
    org, user, sessions = (
        meta.tables["organisation"],
        meta.tables["user_account"],
        meta.tables["user_session"],
    )
    with engine.begin() as conn:
        conn.execute(org.insert().values(_row(org, id=1, slug="o", name="O")))
        conn.execute(user.insert().values(_account(user, id=7, username="lea", role="learner")))
        conn.execute(sessions.insert().values(_row(sessions, token_hash="h" * 64, user_id=7)))
    migrate.upgrade(engine)
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM user_session")).scalar() == 1
        conn.execute(user.insert().values(_account(user, id=8, username="paul", role="tutor")))
        if engine.dialect.name == "sqlite":
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(user.insert().values(_account(user, id=9, username="x", role="boss")))
    columns = {c["name"] for c in sa.inspect(engine).get_columns("user_account")}
    assert "company" in columns
    _downgrade(engine, "0013_funders")
    with engine.connect() as conn:
        names = set(conn.execute(sa.text("SELECT username FROM user_account")).scalars())
        assert names == {"lea"}
        assert conn.execute(sa.text("SELECT count(*) FROM user_session")).scalar() == 1
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(user.insert().values(_account(user, id=8, username="paul", role="tutor")))
    assert "tutor_link" not in sa.inspect(engine).get_table_names()
