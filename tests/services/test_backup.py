"""`learn backup` and `learn restore`: a round trip on SQLite (and on PostgreSQL when the suite
runs there), backups taken while writes go on, restores that refuse what they should."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from learn import cli, migrate
from learn.db import make_engine, make_session_factory
from learn.models import ModuleProgress, Organisation, ProgressEvent, QuizAttempt, User
from tests import factories
from tests.faults.scratch import backends, require_pg_tools, scratch_database


def write_learner(session, org, username: str, attempts: int = 2) -> User:
    """A learner with a summary, attempts and their events, as the quiz service writes them."""
    learner = factories.user(session, org, username=username)
    now = datetime.now(UTC)
    session.add(
        ModuleProgress(
            user_id=learner.id,
            module_id="ecoute-1",
            organisation_id=org.id,
            status="in_progress",
            sections_seen=[],
            attempts=attempts,
        )
    )
    for seq in range(1, attempts + 1):
        session.add(
            QuizAttempt(
                user_id=learner.id,
                organisation_id=org.id,
                module_id="ecoute-1",
                seq=seq,
                mode="practice",
                lang="fr",
                variant="standard",
                content_version="v1",
                started_at=now,
                duration_seconds=30,
                score=0.5,
                correct_count=1,
                total=2,
                passed=False,
                answers={"q1": {"answer": "a", "correct": False}},
            )
        )
        session.add(
            ProgressEvent(
                user_id=learner.id,
                organisation_id=org.id,
                module_id="ecoute-1",
                kind="quiz",
                data={"attempt": seq},
            )
        )
    session.commit()
    return learner


def usernames(url: str) -> set[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        names = set(conn.scalars(select(User.username)))
    engine.dispose()
    return names


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    def configure(url: str):
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("LEARN_ENV", "development")
        monkeypatch.setenv("LEARN_INSTANCE_PATH", str(tmp_path / "instance"))
        return CliRunner()

    return configure


@pytest.mark.parametrize("postgres", backends())
def test_round_trip_brings_the_first_data_back(postgres, tmp_path, cli_env):
    if postgres:
        require_pg_tools("pg_dump", "pg_restore")
    with scratch_database(tmp_path, postgres) as url:
        runner = cli_env(url)
        engine = make_engine(url)
        session = make_session_factory(engine)()
        org = factories.organisation(session, slug="asso")
        first = write_learner(session, org, "first.learner", attempts=3)
        target = tmp_path / ("first.dump" if postgres else "first.sqlite3")

        made = runner.invoke(cli.main, ["backup", str(target)])
        assert made.exit_code == 0, made.output
        assert target.stat().st_mode & 0o077 == 0  # personal data: owner only

        # Life goes on: a new learner, and the first one deleted with all their records.
        write_learner(session, org, "later.learner")
        session.delete(session.get(User, first.id))
        session.commit()
        assert usernames(url) == {"later.learner"}

        refused = runner.invoke(cli.main, ["restore", str(target)])
        assert refused.exit_code != 0 and "--yes" in refused.output
        assert usernames(url) == {"later.learner"}

        restored = runner.invoke(cli.main, ["restore", str(target), "--yes"])
        assert restored.exit_code == 0, restored.output
        assert "saved in" in restored.output
        session.close()
        session = make_session_factory(engine)()
        assert usernames(url) == {"first.learner"}
        assert session.scalar(select(func.count()).select_from(QuizAttempt)) == 3
        assert session.scalar(select(ModuleProgress.attempts)) == 3
        assert migrate.schema_is_current(engine)
        # The safety copy taken before the restore holds what was replaced.
        safety = next((tmp_path / "instance" / "backups").glob("before-restore-*"))
        assert safety.stat().st_size > 0
        session.close()
        engine.dispose()


@pytest.mark.parametrize("postgres", backends())
def test_restoring_an_older_schema_upgrades_it(postgres, tmp_path, cli_env):
    if postgres:
        require_pg_tools("pg_dump", "pg_restore")
    with scratch_database(tmp_path, postgres, revision="0003") as old_url:
        runner = cli_env(old_url)
        engine = make_engine(old_url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organisation (name, slug, timezone, created_at, "
                    "restrict_trainers_to_groups) VALUES ('Old', 'old', 'Europe/Paris', "
                    "'2025-01-01 00:00:00', false)"
                )
            )
        engine.dispose()
        target = tmp_path / ("old.dump" if postgres else "old.sqlite3")
        assert runner.invoke(cli.main, ["backup", str(target)]).exit_code == 0
    with scratch_database(tmp_path / "new", postgres) as url:
        runner = cli_env(url)
        result = runner.invoke(cli.main, ["restore", str(target), "--yes"])
        assert result.exit_code == 0, result.output
        engine = make_engine(url)
        assert migrate.schema_is_current(engine)
        with engine.connect() as conn:
            assert conn.scalar(select(Organisation.slug)) == "old"
            # Tables of later migrations exist again, empty.
            assert conn.scalar(text("SELECT count(*) FROM audit_event")) == 0
        engine.dispose()


def test_backup_while_writes_go_on_is_consistent(tmp_path, cli_env):
    with scratch_database(tmp_path, postgres=False) as url:
        runner = cli_env(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        session = sessions()
        org = factories.organisation(session)
        session.commit()
        stop = threading.Event()
        written = []

        def writer():
            own = sessions()
            n = 0
            while not stop.is_set() and n < 400:
                n += 1
                write_learner(own, own.get(Organisation, org.id), f"w{n}", attempts=2)
                written.append(n)
            own.close()

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            copies = []
            for i in range(5):
                copy = tmp_path / f"copy-{i}.sqlite3"
                result = runner.invoke(cli.main, ["backup", str(copy)])
                assert result.exit_code == 0, result.output
                copies.append(copy)
        finally:
            stop.set()
            thread.join(timeout=60)
        session.close()
        engine.dispose()
        assert written, "the writer never wrote"
        for copy in copies:
            conn = sqlite3.connect(copy)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            learners = conn.execute("SELECT count(*) FROM user_account").fetchone()[0]
            # Each learner was committed whole: two attempts, one summary, two events.
            assert conn.execute("SELECT count(*) FROM quiz_attempt").fetchone()[0] == 2 * learners
            assert conn.execute("SELECT count(*) FROM module_progress").fetchone()[0] == learners
            conn.close()


def test_a_running_app_sees_the_restored_data(app_factory, tmp_path, cli_env):
    with scratch_database(tmp_path, postgres=False) as url:
        runner = cli_env(url)
        app = app_factory(DATABASE_URL=url)
        session = app.extensions["learn.sessions"]()
        org = factories.organisation(session)
        write_learner(session, org, "kept.learner")
        session.close()
        target = tmp_path / "kept.sqlite3"
        assert runner.invoke(cli.main, ["backup", str(target)]).exit_code == 0
        session = app.extensions["learn.sessions"]()
        session.execute(text("DELETE FROM user_account"))
        session.commit()
        session.close()
        assert runner.invoke(cli.main, ["restore", str(target), "--yes"]).exit_code == 0
        session = app.extensions["learn.sessions"]()  # the app's pool, opened before
        assert session.scalar(select(User.username)) == "kept.learner"
        session.close()
        assert app.test_client().get("/healthz").get_json()["database"]["ok"]


def test_restore_refuses_what_is_not_a_backup(tmp_path, cli_env):
    with scratch_database(tmp_path, postgres=False) as url:
        runner = cli_env(url)
        junk = tmp_path / "junk.sqlite3"
        junk.write_bytes(b"PGDMP not really")
        result = runner.invoke(cli.main, ["restore", str(junk), "--yes"])
        assert result.exit_code != 0 and "not a SQLite backup" in result.output
        stranger = tmp_path / "stranger.sqlite3"
        sqlite3.connect(stranger).execute("CREATE TABLE t (x)").connection.commit()
        result = runner.invoke(cli.main, ["restore", str(stranger), "--yes"])
        assert result.exit_code != 0 and "not a Parcours database" in result.output
        missing = runner.invoke(cli.main, ["restore", str(tmp_path / "none"), "--yes"])
        assert missing.exit_code != 0 and "No backup file" in missing.output
        assert migrate.schema_is_current(make_engine(url))


def test_backup_refuses_to_overwrite_a_file(tmp_path, cli_env):
    with scratch_database(tmp_path, postgres=False) as url:
        runner = cli_env(url)
        taken = tmp_path / "taken.sqlite3"
        taken.write_text("keep me")
        result = runner.invoke(cli.main, ["backup", str(taken)])
        assert result.exit_code != 0 and "already exists" in result.output
        assert taken.read_text() == "keep me"
        default = runner.invoke(cli.main, ["backup"])
        assert default.exit_code == 0, default.output
        assert list((tmp_path / "instance" / "backups").glob("parcours-*.sqlite3"))


def damaged_copy(good, kind: str, dest):
    data = good.read_bytes()
    if kind == "truncated":
        data = data[: len(data) // 2]
    elif kind == "corrupt":
        middle = len(data) // 2
        data = data[:middle] + b"\xff" * 4000 + data[middle + 4000 :]
    else:
        data = data[:50]
    dest.write_bytes(data)
    return dest


@pytest.mark.parametrize("postgres", backends())
@pytest.mark.parametrize("kind", ["truncated", "corrupt", "header only"])
def test_a_damaged_backup_is_refused_in_one_line_and_nothing_changes(
    postgres, kind, tmp_path, cli_env
):
    if postgres:
        require_pg_tools("pg_dump", "pg_restore")
    with scratch_database(tmp_path, postgres) as url:
        runner = cli_env(url)
        engine = make_engine(url)
        session = make_session_factory(engine)()
        org = factories.organisation(session, slug="asso")
        write_learner(session, org, "kept.learner")
        good = tmp_path / ("good.dump" if postgres else "good.sqlite3")
        assert runner.invoke(cli.main, ["backup", str(good)]).exit_code == 0
        write_learner(session, org, "after.learner")
        session.close()
        engine.dispose()
        bad = damaged_copy(good, kind, tmp_path / ("bad-" + good.name))
        result = runner.invoke(cli.main, ["restore", str(bad), "--yes"])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1, result.output
        assert lines[0].startswith("Error: ") and "nothing was changed" in lines[0]
        assert "damaged" in lines[0] or "truncated" in lines[0]
        assert usernames(url) == {"kept.learner", "after.learner"}
        assert not list((tmp_path / "instance" / "backups").glob("before-restore-*"))


def test_the_live_sqlite_database_and_its_wal_are_private(app_factory, tmp_path):
    with scratch_database(tmp_path, postgres=False) as url:
        live = tmp_path / "scratch.sqlite3"
        assert live.stat().st_mode & 0o777 == 0o600  # created so by `learn db upgrade`
        app = app_factory(DATABASE_URL=url)
        session = app.extensions["learn.sessions"]()
        factories.organisation(session)  # a write: the -wal and -shm files exist now
        for suffix in ("", "-wal", "-shm"):
            path = live.with_name(live.name + suffix)
            assert path.stat().st_mode & 0o777 == 0o600, suffix
        session.close()
        app.extensions["learn.engine"].dispose()
        live.chmod(0o644)  # a database made by an older version is narrowed when next opened
        make_engine(url, must_exist=True).dispose()
        assert live.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("postgres", backends())
def test_evidence_files_are_in_the_backup_and_come_back(postgres, tmp_path, cli_env):
    """Photos and voice notes live in the database (evidence_blob): the backup holds them."""
    from learn.models import Evidence, EvidenceBlob
    from tests import evidence_files

    if postgres:
        require_pg_tools("pg_dump", "pg_restore")
    photo, voice = evidence_files.photo(), evidence_files.m4a()
    with scratch_database(tmp_path, postgres) as url:
        runner = cli_env(url)
        engine = make_engine(url)
        session = make_session_factory(engine)()
        org = factories.organisation(session, slug="asso")
        learner = factories.user(session, org, username="lea")
        for kind, content_type, data in (
            ("photo", "image/jpeg", photo),
            ("audio", "audio/mp4", voice),
        ):
            row = Evidence(
                organisation_id=org.id,
                learner_id=learner.id,
                target_kind="skill_level",
                target_ref="ecoute/3",
                kind=kind,
                note="",
                content_type=content_type,
                size=len(data),
            )
            session.add(row)
            session.flush()
            session.add(EvidenceBlob(evidence_id=row.id, data=data))
        session.commit()
        target = tmp_path / ("evidence.dump" if postgres else "evidence.sqlite3")
        assert runner.invoke(cli.main, ["backup", str(target)]).exit_code == 0

        session.execute(EvidenceBlob.__table__.delete())
        session.execute(Evidence.__table__.delete())
        session.commit()
        restored = runner.invoke(cli.main, ["restore", str(target), "--yes"])
        assert restored.exit_code == 0, restored.output
        session.close()
        session = make_session_factory(engine)()
        blobs = session.scalars(select(EvidenceBlob.data).order_by(EvidenceBlob.evidence_id))
        assert list(blobs) == [photo, voice]
        session.close()
        engine.dispose()
