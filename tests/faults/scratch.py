"""Scratch databases for tests that start servers, kill them or restore over them: a SQLite file
in a temporary folder, or a PostgreSQL database of its own (parcours_faults_<random>) on the
server of TEST_DATABASE_URL, created and dropped here — never the suite's `test` database."""

from __future__ import annotations

import os
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from learn import migrate
from learn.db import make_engine
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL


def require_pg_tools(*tools: str) -> None:
    """Skip (fail under CI=true) when a PostgreSQL client tool is missing."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} not installed (Debian: apt-get install postgresql-client)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — CI=true: this test may not be skipped")
        pytest.skip(message)


@contextmanager
def postgres_database(prefix: str = "parcours_faults"):
    """A new, empty PostgreSQL database on the test server; its URL; dropped afterwards."""
    if not ON_POSTGRES:
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://...")
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = make_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def scratch_database(tmp_path: Path, postgres: bool, revision: str = "head"):
    """A migrated database of its own: SQLite in tmp_path, or a new PostgreSQL database."""
    if postgres:
        with postgres_database() as url:
            engine = make_engine(url)
            migrate.upgrade(engine, revision)
            engine.dispose()
            yield url
        return
    tmp_path.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine, revision)
    engine.dispose()
    yield url


def backends():
    """The backends a test of this kind runs on: SQLite always, PostgreSQL when configured."""
    return [
        pytest.param(False, id="sqlite"),
        pytest.param(
            True,
            id="postgresql",
            marks=pytest.mark.skipif(
                not ON_POSTGRES, reason="needs PostgreSQL: set TEST_DATABASE_URL"
            ),
        ),
    ]
