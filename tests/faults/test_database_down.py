"""The database goes away: pages answer 503 with a plain page, /healthz says why without naming
hosts, users, passwords or paths, and the app serves again by itself once it is back."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from sqlalchemy.engine import make_url

from learn import migrate
from learn.db import make_engine
from learn.models import Role
from tests import factories
from tests.conftest import ON_POSTGRES, csrf_token, post_form, sign_in
from tests.faults.proxy import Proxy
from tests.faults.scratch import postgres_database


def signed_in_learner(app):
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, Role.LEARNER, username="still.here")
    session.commit()
    session.close()
    client = app.test_client()
    assert sign_in(client, "still.here").status_code == 302
    assert client.get("/dashboard").status_code == 200
    return client


def assert_unavailable(client, secrets_: list[str], reason_part: str):
    page = client.get("/dashboard", headers={"Accept-Language": "en"})
    assert page.status_code == 503
    text = page.get_data(as_text=True)
    assert "The database cannot be reached right now" in text
    assert page.headers["X-Request-ID"] in text
    french = client.get("/dashboard", headers={"Accept-Language": "fr"})
    assert "La base de données est injoignable" in french.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503
    body = health.get_json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is False
    assert reason_part in body["database"]["reason"]
    raw = json.dumps(body)
    for secret in secrets_:
        assert secret not in raw, secret
    # "run learn db upgrade" would send the operator the wrong way.
    assert "upgrade" not in raw


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: set TEST_DATABASE_URL")
def test_postgres_goes_away_and_comes_back(app_factory):
    with postgres_database() as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        real = make_url(url)
        proxy = Proxy(real.host or "127.0.0.1", real.port or 5432).start()
        try:
            proxied = real.set(host="127.0.0.1", port=proxy.port)
            app = app_factory(DATABASE_URL=proxied.render_as_string(hide_password=False))
            client = signed_in_learner(app)
            token = csrf_token(client, "/dashboard")

            proxy.cut()
            secrets_ = [real.database, str(proxy.port), real.username or "postgres"]
            if real.password:
                secrets_.append(real.password)
            assert_unavailable(client, secrets_, "cannot be reached")
            # A write while it is down: the same plain page.
            response = client.post("/language", data={"locale": "en", "csrf_token": token})
            assert response.status_code == 503

            proxy.restore()
            assert client.get("/dashboard").status_code == 200
            assert client.get("/healthz").get_json()["database"] == {
                "ok": True,
                "schema_current": True,
            }
            # Writes work again too.
            assert post_form(client, "/language", {"locale": "en"}, "/dashboard").status_code == 302
        finally:
            proxy.stop()


def test_sqlite_folder_gone_then_back(app_factory, tmp_path):
    folder = tmp_path / "volume"
    folder.mkdir()
    url = f"sqlite:///{folder / 'parcours.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = app_factory(DATABASE_URL=url)
    client = signed_in_learner(app)

    # The volume is unmounted: a worker that starts or reconnects now cannot open the file.
    away = tmp_path / "unmounted"
    folder.rename(away)
    app.extensions["learn.engine"].dispose()
    assert_unavailable(client, [str(tmp_path), "parcours.sqlite3"], "cannot be opened")
    assert not folder.exists()  # nothing was created in its place

    away.rename(folder)
    assert client.get("/dashboard").status_code == 200
    assert client.get("/healthz").get_json()["database"] == {"ok": True, "schema_current": True}


def test_sqlite_file_deleted_is_not_replaced_by_an_empty_one(app_factory, tmp_path):
    """A deleted database file (a wrong cleanup, a lost volume) answers 503: the app must not
    create an empty database in its place and serve it as if every account had gone."""
    path = tmp_path / "parcours.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    app = app_factory(DATABASE_URL=f"sqlite:///{path}")
    client = signed_in_learner(app)
    app.extensions["learn.engine"].dispose()  # the last connection checkpoints the WAL
    kept = tmp_path / "kept.sqlite3"
    path.rename(kept)
    assert_unavailable(client, [str(tmp_path), "parcours.sqlite3"], "cannot be opened")
    assert not path.exists()

    kept.rename(path)
    assert client.get("/dashboard").status_code == 200


def test_a_fresh_worker_with_the_database_down_says_so(app_factory, tmp_path):
    """Before its first schema check, a worker that cannot reach the database must not say that
    the schema is behind (which would send the operator to `learn db upgrade`)."""
    url = f"sqlite:///{tmp_path / 'missing-folder' / 'parcours.sqlite3'}"
    app = app_factory(DATABASE_URL=url)
    response = app.test_client().get("/sign-in", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "The database cannot be reached right now" in text
    assert "learn db upgrade" not in text


def test_sqlite_file_moved_or_replaced_under_running_workers_answers_503(app_factory, tmp_path):
    """The pooled connections still hold the old file open: without the identity check they
    would go on writing into the moved file (no dispose here, unlike the tests above)."""
    path = tmp_path / "parcours.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    app = app_factory(DATABASE_URL=f"sqlite:///{path}")
    client = signed_in_learner(app)
    assert client.get("/dashboard").status_code == 200

    moved = tmp_path / "moved.sqlite3"
    path.rename(moved)
    assert_unavailable(client, [str(tmp_path), "parcours.sqlite3"], "cannot be opened")
    moved.rename(path)  # the same file back: served again, no restart
    assert client.get("/dashboard").status_code == 200

    token = csrf_token(client, "/dashboard")  # one token per session, any page
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(path, copy)
    path.rename(moved)
    copy.rename(path)  # another file (a copy) at the same path: a new inode
    assert_unavailable(client, [str(tmp_path), "parcours.sqlite3"], "moved or replaced")
    help_ = {"csrf_token": token, "message": "au secours"}
    assert client.post("/modules/es-social/help", data=help_).status_code == 503
    for database in (moved, path):  # the write went nowhere
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT count(*) FROM help_request").fetchone() == (0,)


def test_a_file_put_in_place_of_the_database_is_never_opened_with_its_wal(app_factory, tmp_path):
    """`mv parcours.sqlite3 elsewhere` leaves the -wal and -shm files at the path. Opening
    another file put at the path would read that WAL as its own: SQLite would copy the moved
    file's latest writes into the new file and delete them from the WAL, so the moved file,
    put back, would have lost them. Another worker holds the moved file open meanwhile (here a
    plain connection), so the WAL is not checkpointed when the pool's connection is closed."""
    path = tmp_path / "parcours.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    app = app_factory(DATABASE_URL=f"sqlite:///{path}")
    other_worker = sqlite3.connect(path)
    other_worker.execute("SELECT count(*) FROM user_account").fetchone()
    client = signed_in_learner(app)  # the account and the session are in the WAL only
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(path, copy)  # the main file alone, as `cp` makes it
    before = copy.read_bytes()
    moved = tmp_path / "moved.sqlite3"
    path.rename(moved)
    copy.rename(path)
    assert client.get("/dashboard").status_code == 503
    assert client.get("/dashboard").status_code == 503
    assert path.read_bytes() == before  # nothing written into the new file
    path.rename(copy)
    moved.rename(path)  # the original back, next to its WAL
    other_worker.close()
    assert client.get("/dashboard").status_code == 200  # its session is still there
