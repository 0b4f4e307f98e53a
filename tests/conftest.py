"""Shared fixtures: a clean database for every test, on SQLite or on the PostgreSQL named by
TEST_DATABASE_URL; the real content catalog loaded once; clients and a helper to sign in."""

from __future__ import annotations

import os
import re
import secrets
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from learn import create_app, migrate
from learn.config import PROJECT_ROOT
from learn.db import Base, make_engine, make_session_factory

pytest_plugins = ["tests.browser_support"]

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")
CONTENT_DIR = PROJECT_ROOT / "content"


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory):
    """Migrate once per run: a SQLite file to copy, or the PostgreSQL database itself."""
    if ON_POSTGRES:
        engine = make_engine(TEST_DATABASE_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        migrate.upgrade(engine)
        engine.dispose()
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def database_url(_migrated_template, tmp_path):
    """A clean, migrated database for one test."""
    if ON_POSTGRES:
        engine = make_engine(TEST_DATABASE_URL)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return TEST_DATABASE_URL
    path = tmp_path / "parcours.sqlite3"
    shutil.copy(_migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def real_catalog():
    """The shipped content, loaded once for the whole run."""
    from learn.modules import CatalogHolder

    holder = CatalogHolder(CONTENT_DIR, reload=False)
    holder.get()
    return holder


def make_config(database_url: str, tmp_path: Path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "LEARN_HTTPS": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "RATELIMIT_STORAGE_URI": TEST_REDIS_URL or "memory://",
    }
    config.update(overrides)
    return config


@pytest.fixture
def app_factory(database_url, tmp_path, real_catalog, monkeypatch):
    """Build an app on this test's database; keyword arguments override settings."""
    monkeypatch.setenv("LEARN_ENV", "development")
    monkeypatch.setenv("LEARN_INSTANCE_PATH", str(tmp_path / "instance"))
    if TEST_REDIS_URL:
        import redis

        # Rate-limit counters live in Redis: each test starts with none.
        redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    apps = []

    def build(**overrides):
        overrides.setdefault("LEARN_CATALOG_HOLDER", real_catalog)
        app = create_app(make_config(database_url, tmp_path, **overrides))
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.extensions["learn.engine"].dispose()


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_app(app_factory):
    """An app whose forms check CSRF tokens, as in production."""
    return app_factory()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A session on the test's database, committed by the factories."""
    session = app.extensions["learn.sessions"]()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def engine(database_url):
    """An engine on the test's database, without an app (service tests)."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    """A session on the test's database without an app, as the app makes them (service tests
    need no Flask: services take the session and translate through learn/i18n.py)."""
    session = make_session_factory(engine)()
    yield session
    session.rollback()
    session.close()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str = "/sign-in") -> str:
    """Read a CSRF token from a page's form, as a browser would."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token in {path}"
    return match.group(1)


def sign_in(client, username: str, password: str = "a-good-test-password"):
    """Sign in through the real form, CSRF token included."""
    token = csrf_token(client)
    return client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": token},
    )


def post_form(client, path: str, data: dict | None = None, form_page: str | None = None):
    """POST with a valid CSRF token taken from form_page (default: the same path)."""
    token = csrf_token(client, form_page or path)
    return client.post(path, data={**(data or {}), "csrf_token": token})


FIXTURE_CONTENT = PROJECT_ROOT / "tests" / "fixtures" / "content"


@pytest.fixture(scope="session")
def fixture_catalog():
    """A small, stable content tree (tests/fixtures/content) for the learner tests."""
    from learn.modules import CatalogHolder

    holder = CatalogHolder(FIXTURE_CONTENT, reload=False)
    assert holder.get().errors == 0, [p.format() for p in holder.get().problems]
    return holder


def fixture_content_with(root: Path, files: dict[str, str]):
    """A copy of the fixture content in `root` with `files` (path -> text) added or replaced:
    a catalog holder for tests that need one more module or variant than the shared fixture."""
    from learn.modules import CatalogHolder

    shutil.copytree(FIXTURE_CONTENT, root)
    for rel, body in files.items():
        (root / rel).write_text(body, encoding="utf-8")
    holder = CatalogHolder(root, reload=False)
    assert holder.get().errors == 0, [p.format() for p in holder.get().problems]
    return holder


@pytest.fixture
def small_app(app_factory, fixture_catalog):
    """An app serving the fixture content."""
    return app_factory(LEARN_CATALOG_HOLDER=fixture_catalog)
