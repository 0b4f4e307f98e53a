"""The `learn` command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from learn import cli
from learn.models import Group, GroupMembership, ModuleProgress, Organisation, QuizAttempt, User
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture
def cli_env(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("LEARN_ENV", "development")
    monkeypatch.setenv("LEARN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("LEARN_CONTENT_DIR", str(FIXTURE_CONTENT))
    return database_url


def counts(app_factory):
    app = app_factory()
    session = app.extensions["learn.sessions"]()
    result = {
        model.__name__: session.scalar(select(func.count()).select_from(model))
        for model in (Organisation, User, Group, GroupMembership, ModuleProgress, QuizAttempt)
    }
    session.close()
    return result


def test_demo_twice_gives_the_same_data(cli_env, app_factory):
    runner = CliRunner()
    first = runner.invoke(cli.main, ["demo", "--password", "demo-password-2026"])
    assert first.exit_code == 0, first.output
    assert "demo-learner" in first.output and "demo-password-2026" in first.output
    after_first = counts(app_factory)
    second = runner.invoke(cli.main, ["demo", "--password", "demo-password-2026"])
    assert second.exit_code == 0, second.output
    assert counts(app_factory) == after_first
    assert after_first["User"] == 5 and after_first["Organisation"] == 1
    assert after_first["ModuleProgress"] == 2 and after_first["QuizAttempt"] == 1


def test_demo_without_password_makes_one(cli_env):
    result = CliRunner().invoke(cli.main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "password: " in result.output


def test_demo_refuses_a_weak_password(cli_env):
    result = CliRunner().invoke(cli.main, ["demo", "--password", "short"])
    assert result.exit_code != 0
    assert "12" in result.output


def test_users_create_for_an_organisation(cli_env):
    runner = CliRunner()
    assert runner.invoke(cli.main, ["orgs", "create", "asso-x", "Asso X"]).exit_code == 0
    ok = runner.invoke(
        cli.main,
        [
            "users",
            "create",
            "--org",
            "asso-x",
            "--username",
            "t.dupont",
            "--name",
            "T Dupont",
            "--role",
            "trainer",
            "--password",
            "a-long-trainer-password",
        ],
    )
    assert ok.exit_code == 0, ok.output
    code = runner.invoke(
        cli.main,
        ["users", "create", "--org", "asso-x", "--username", "l.one", "--name", "L One", "--code"],
    )
    assert code.exit_code == 0 and "One-time sign-in code" in code.output
    missing = runner.invoke(
        cli.main, ["users", "create", "--org", "nope", "--username", "x.y", "--name", "X"]
    )
    assert missing.exit_code != 0 and "No organisation" in missing.output
    weak = runner.invoke(
        cli.main,
        [
            "users",
            "create",
            "--org",
            "asso-x",
            "--username",
            "t.two",
            "--name",
            "T",
            "--role",
            "trainer",
            "--password",
            "short",
        ],
    )
    assert weak.exit_code != 0 and "12" in weak.output


def test_db_current_says_when_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = CliRunner().invoke(cli.main, ["db", "current"])
    assert result.exit_code != 0 and "learn db upgrade" in result.output
    assert CliRunner().invoke(cli.main, ["db", "upgrade"]).exit_code == 0
    assert CliRunner().invoke(cli.main, ["db", "current"]).exit_code == 0


def test_content_check_lists_problems_and_exits_1_on_errors(tmp_path):
    import shutil

    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    ok = CliRunner().invoke(cli.main, ["content", "check", str(root)])
    assert ok.exit_code == 0, ok.output
    assert "0 errors" in ok.output
    broken = root / "softskills" / "ecoute" / "level-1.fr.md"
    broken.write_text(broken.read_text().replace("title:", "titel:", 1))
    bad = CliRunner().invoke(cli.main, ["content", "check", str(root)])
    assert bad.exit_code == 1
    assert "level-1.fr.md:3: error: unknown key 'titel'" in bad.output


def test_content_stamp_records_the_source_version_and_the_warning_goes(tmp_path):
    import hashlib
    import shutil

    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    english = root / "entrepreneurship" / "social.en.md"
    text = english.read_text(encoding="utf-8")
    english.write_text(
        text.replace(
            "variant: standard\n",
            "variant: standard\n"
            'translation: {status: reviewed, from: fr, source_version: "000000000000"}\n',
        ),
        encoding="utf-8",
    )
    stale = CliRunner().invoke(cli.main, ["content", "check", str(root)])
    assert stale.exit_code == 0 and "social.fr.md changed since this translation" in stale.output
    done = CliRunner().invoke(cli.main, ["content", "stamp", str(english)])
    assert done.exit_code == 0, done.output
    source = (root / "entrepreneurship" / "social.fr.md").read_bytes()
    assert hashlib.sha256(source).hexdigest()[:12] in english.read_text(encoding="utf-8")
    after = CliRunner().invoke(cli.main, ["content", "check", str(root)]).output
    assert "0 errors" in after and "changed since" not in after
    missing = CliRunner().invoke(cli.main, ["content", "stamp", str(root / "nowhere.md")])
    assert missing.exit_code == 1


def test_commands_on_a_missing_database_say_to_upgrade(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    monkeypatch.setenv("LEARN_ENV", "development")
    monkeypatch.setenv("LEARN_INSTANCE_PATH", str(tmp_path / "instance"))
    result = CliRunner().invoke(cli.main, ["orgs", "create", "org-x", "Org X"])
    assert result.exit_code == 1
    assert "run `learn db upgrade` first" in result.output
    assert not (tmp_path / "none.sqlite3").exists()
