"""The `learn` command: database, users, demo data, content check, serving."""

from __future__ import annotations

import os
import secrets
import sys
from contextlib import contextmanager

import click

from learn.config import ConfigError
from learn.db import write_transaction


def _app():
    from learn import create_app

    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def _unit_of_work(app):
    """One write transaction for a command: committed at the end, rolled back on any error,
    and always closed (SQLite begins it as a writer, so it waits instead of failing)."""
    from sqlalchemy.exc import SQLAlchemyError

    from learn import migrate

    try:
        current = migrate.schema_is_current(app.extensions["learn.engine"])
    except SQLAlchemyError:
        current = False
    if not current:
        raise click.ClickException(
            "The database is missing or behind: run `learn db upgrade` first."
        )
    session = app.extensions["learn.sessions"]()
    try:
        with app.app_context(), app.test_request_context(), write_transaction(session):
            yield session
    finally:
        session.close()


def _engine():
    from learn.config import resolve_database_url, resolve_paths
    from learn.db import make_engine

    env = dict(os.environ)
    return make_engine(resolve_database_url(env, resolve_paths(env)))


@click.group(help="Parcours: an accessible e-learning module server.")
def main() -> None:
    pass


@main.group(help="The database.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply every migration the database does not have yet.")
def db_upgrade() -> None:
    from learn import migrate

    engine = _engine()
    before = migrate.current_revision(engine)
    migrate.upgrade(engine)
    after = migrate.current_revision(engine)
    click.echo(f"Database at {after}" + ("" if before == after else f" (was {before or 'empty'})"))


@db.command("current", help="Say whether the database schema is current.")
def db_current() -> None:
    from learn import migrate

    engine = _engine()
    current, head = migrate.current_revision(engine), migrate.head_revision()
    click.echo(f"database: {current or 'empty'}; code: {head}")
    if current != head:
        raise click.ClickException("The database is behind: run `learn db upgrade`.")


@main.group(help="Organisations.")
def orgs() -> None:
    pass


@orgs.command("create", help="Create an organisation.")
@click.argument("slug")
@click.argument("name")
@click.option("--timezone", default="Europe/Paris", show_default=True)
def orgs_create(slug: str, name: str, timezone: str) -> None:
    from learn.services import organisations
    from learn.services.errors import Invalid

    try:
        with _unit_of_work(_app()) as session:
            org = organisations.create_organisation(
                session, slug=slug, name=name, timezone=timezone
            )
    except Invalid as exc:
        raise click.ClickException(" ".join(exc.messages)) from None
    click.echo(f"Organisation {org.slug} created (id {org.id}).")


@main.group(help="User accounts.")
def users() -> None:
    pass


@users.command("create", help="Create an account of any role in an organisation.")
@click.option("--org", "org_slug", help="organisation slug (not needed for a platform admin)")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="the name shown")
@click.option(
    "--role",
    type=click.Choice(["learner", "trainer", "org_admin", "platform_admin"]),
    default="learner",
    show_default=True,
)
@click.option("--password", help="a password; read from LEARN_PASSWORD if not given")
@click.option("--code", "with_code", is_flag=True, help="print a one-time sign-in code")
def users_create(org_slug, username, display_name, role, password, with_code) -> None:
    from sqlalchemy import select

    from learn.models import Organisation
    from learn.services import accounts
    from learn.services.errors import Invalid

    password = password or os.environ.get("LEARN_PASSWORD")
    try:
        with _unit_of_work(_app()) as session:
            org = None
            if org_slug:
                org = session.scalar(select(Organisation).where(Organisation.slug == org_slug))
                if org is None:
                    raise click.ClickException(f"No organisation with the slug {org_slug!r}.")
            created = accounts.create_account(
                session,
                organisation=org,
                username=username,
                display_name=display_name,
                role=role,
                password=password,
                with_code=with_code,
            )
    except Invalid as exc:
        raise click.ClickException(" ".join(exc.messages)) from None
    click.echo(f"Account {created.user.username} ({role}) created.")
    if created.code:
        click.echo(f"One-time sign-in code: {created.code}")


@main.command(help="Create or refresh the demo organisation and its accounts (idempotent).")
@click.option("--password", help="password for every demo account (made for you if not given)")
def demo(password: str | None) -> None:
    _run_demo(password)


def _run_demo(password: str | None) -> None:
    from learn import demo as demo_data
    from learn.services.errors import Invalid

    password = password or secrets.token_urlsafe(12)
    app = _app()
    try:
        with _unit_of_work(app) as session:
            accounts = demo_data.load(session, password, app.extensions["learn.catalog"].get())
    except Invalid as exc:
        raise click.ClickException(" ".join(exc.messages)) from None
    click.echo("Demo organisation ready. Sign in with:")
    for username, role in accounts:
        click.echo(f"  {username:<16} {role:<10} password: {password}")


@main.group(help="Course content.")
def content() -> None:
    pass


@content.command("check", help="Check every content file and list all problems.")
@click.argument("path", required=False)
@click.option("--strict", is_flag=True, help="count warnings as errors (exit status 1)")
def content_check(path: str | None, strict: bool) -> None:
    from learn.config import resolve_paths
    from learn.modules import cli as modules_cli

    target = path or str(resolve_paths(dict(os.environ)).content)
    sys.exit(modules_cli.main(["check", target] + (["--strict"] if strict else [])))


@content.command(
    "stamp",
    help="Write the current version of each translation's source into its source_version line.",
)
@click.argument("files", nargs=-1, required=True)
def content_stamp(files: tuple[str, ...]) -> None:
    from learn.modules import cli as modules_cli

    sys.exit(modules_cli.main(["stamp", *files]))


@content.command(
    "stats", help="Figures about the quizzes: the test-wise guesser, key balance, words."
)
@click.argument("path", required=False)
def content_stats(path: str | None) -> None:
    from learn.config import resolve_paths
    from learn.modules import cli as modules_cli

    target = path or str(resolve_paths(dict(os.environ)).content)
    sys.exit(modules_cli.main(["stats", target]))


@main.command(help="Serve Parcours with gunicorn.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="threads per worker")
@click.option("--demo", "with_demo", is_flag=True, help="upgrade the database and load demo data")
def serve(host: str, port: int, workers: int, threads: int, with_demo: bool) -> None:
    from learn import migrate
    from learn.server import run

    if with_demo:
        os.environ.setdefault("LEARN_ENV", "development")
        migrate.upgrade(_engine())
        _run_demo(os.environ.get("LEARN_DEMO_PASSWORD"))
    _app()  # fail here, with a clear message, rather than in every worker
    if not migrate.schema_is_current(_engine()):
        raise click.ClickException("The database is behind: run `learn db upgrade` first.")
    click.echo(f"Parcours on http://{host}:{port}/  (Ctrl+C stops it)")
    run(host=host, port=port, workers=workers, threads=threads)


def _database_url_and_backups():
    from pathlib import Path

    from learn.config import resolve_database_url, resolve_paths

    env = dict(os.environ)
    paths = resolve_paths(env)
    return resolve_database_url(env, paths), Path(paths.instance) / "backups"


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command(help="Back up the database to PATH (default: instance/backups/), safe while serving.")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def backup(path: str | None) -> None:
    from pathlib import Path

    from learn.services import backup as backups

    url, backups_dir = _database_url_and_backups()
    dest = Path(path) if path else backups.default_path(url, backups_dir)
    if dest.exists():
        raise click.ClickException(f"{dest} already exists: give another path.")
    try:
        done = backups.backup(url, dest)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backup of {_safe_url(url)} written to {done.path} ({done.size} bytes).")
    click.echo("It holds personal data: keep it private, encrypted off this machine.")


@main.command(help="Replace the database's content by a backup (needs --yes).")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="confirm that the current content may be replaced")
def restore(path: str, yes: bool) -> None:
    from pathlib import Path

    from learn.services import backup as backups

    url, backups_dir = _database_url_and_backups()
    if not yes:
        raise click.ClickException(
            f"This replaces everything in {_safe_url(url)} by the content of {path} (a copy of "
            "the current content is saved first). Run again with --yes to do it."
        )
    try:
        done = backups.restore(url, Path(path), backups_dir)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    if done.safety_copy:
        click.echo(f"The content before the restore is saved in {done.safety_copy}.")
    click.echo(f"{_safe_url(url)} restored from {done.path}; schema at {done.revision}.")


@main.group(help="Personal data (GDPR).")
def privacy() -> None:
    pass


@privacy.command("retention", help="Erase learners inactive for longer than LEARN_RETENTION_DAYS.")
@click.option("--dry-run", is_flag=True, help="only list them")
@click.option("--days", type=int, help="override LEARN_RETENTION_DAYS")
def privacy_retention(dry_run: bool, days: int | None) -> None:
    from learn.services import retention

    app = _app()
    days = app.config["LEARN_RETENTION_DAYS"] if days is None else days
    if days <= 0:
        click.echo("Retention is off (LEARN_RETENTION_DAYS is 0): nothing to do.")
        return
    periods = retention.Periods.from_config(app.config)
    with _unit_of_work(app) as session:
        listed = retention.apply_retention(session, days, periods, dry_run=dry_run)
        if dry_run:
            session.rollback()
    steps = {
        retention.ERASE: "erased",
        retention.CLOSE: "closed, record kept for its funder",
        retention.PSEUDONYMISE: "name replaced, evidence kept for its funder",
        retention.ERASE_EVIDENCE: "evidence erased (funder's period over)",
    }
    for user_id, org_id, username, last, step in listed:
        # Once erased, the old username is not repeated in a log or a cron e-mail.
        shown = username if dry_run or step == retention.CLOSE else "(erased)"
        click.echo(
            f"  #{user_id:<8} org {org_id:<6} {shown:<32} last active {last:%Y-%m-%d}: "
            f"{steps[step]}"
        )
    verb = "would be handled (dry run: nothing changed)" if dry_run else "handled"
    click.echo(f"{len(listed)} learner(s) inactive for more than {days} days {verb}.")


@main.group(help="Signed credentials (Open Badges 3.0).")
def credentials() -> None:
    pass


@contextmanager
def _local_keys():
    """This instance's issuers' keys and status lists, when its database can be read (else
    None: the command then needs --public-key-multibase and says the status is unchecked)."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from learn import migrate
    from learn.config import ConfigError, resolve_paths
    from learn.services import credentials, issuers
    from learn.services.credential_checks import LocalIssuers

    # A verifier run anywhere must not make a database where it runs: only an instance's own.
    env = dict(os.environ)
    if (
        not env.get("DATABASE_URL")
        and not (resolve_paths(env).instance / "parcours.sqlite3").exists()
    ):
        yield None
        return
    try:
        engine = _engine()
        current = migrate.schema_is_current(engine)
    except (ConfigError, SQLAlchemyError, OSError):
        yield None
        return
    session = Session(engine)
    try:
        yield (
            LocalIssuers(issuers.key_resolver(session), credentials.status_resolver(session))
            if current
            else None
        )
    finally:
        session.close()
        engine.dispose()


def _organisation(session, slug: str):
    from learn.services import issuers
    from learn.services.errors import NotFound

    try:
        return issuers.organisation_by_slug(session, slug)
    except NotFound:
        raise click.ClickException(f"No organisation with the slug {slug!r}.") from None


@credentials.command(
    "verify",
    help="Check a credential's signature, dates and revocation offline: exit 0 if valid, else 1.",
)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--public-key-multibase",
    "public_key",
    help="the issuer's key (z6Mk..., from its profile page); else this instance's issuers' keys",
)
@click.option(
    "--status-list",
    "status_list_path",
    type=click.Path(dir_okay=False),
    help="a saved copy of the issuer's signed status list, to check revocation offline",
)
def credentials_verify(path: str, public_key: str | None, status_list_path: str | None) -> None:
    from learn.services import credential_checks

    with _local_keys() as local:
        outcome = credential_checks.verify_file(path, public_key, status_list_path, local)
    for line in outcome.lines:
        click.echo(line)
    sys.exit(0 if outcome.valid else 1)


@credentials.command(
    "rotate-key",
    help="Retire the organisation's signing key and make a new one; the old key stays published.",
)
@click.option("--organisation", "slug", required=True, help="organisation slug")
def credentials_rotate_key(slug: str) -> None:
    from learn.services import issuers
    from learn.services.errors import Invalid

    app = _app()
    store = issuers.key_store(app.config["LEARN_PATHS"].instance)
    try:
        with _unit_of_work(app) as session:
            new = issuers.rotate_key(session, None, _organisation(session, slug), store)
            key_id, public = new.key_id, new.public_multibase
    except Invalid as exc:
        raise click.ClickException(" ".join(exc.messages)) from None
    click.echo(f"New key {key_id} for {slug}: {public}")
