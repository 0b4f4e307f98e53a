"""Migrations apply on the test database and agree with the models."""

from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from learn import migrate
from learn.db import Base, make_engine


def test_database_is_at_head(database_url):
    engine = make_engine(database_url)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert migrate.schema_is_current(engine)
    engine.dispose()


def test_models_and_migrations_agree(database_url):
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    engine.dispose()
    assert diff == []


def test_upgrade_from_empty_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.schema_is_current(engine)
    migrate.upgrade(engine)  # a second run is harmless
    engine.dispose()


def test_app_refuses_to_serve_a_database_behind(app_factory, tmp_path):
    path = tmp_path / "behind.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE unrelated (x)").connection.close()
    app = app_factory(DATABASE_URL=f"sqlite:///{path}")
    response = app.test_client().get("/sign-in")
    assert response.status_code == 503
    assert "learn db upgrade" in response.get_data(as_text=True)
    health = app.test_client().get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["action"] == "run `learn db upgrade`"
    # Once upgraded, it serves without a restart.
    migrate.upgrade(app.extensions["learn.engine"])
    assert app.test_client().get("/sign-in").status_code == 200


def test_sqlite_pragmas(app):
    engine = app.extensions["learn.engine"]
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: durable commits
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
