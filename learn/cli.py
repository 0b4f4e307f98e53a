"""The `learn` command: database, users, demo data, content check, serving."""

from __future__ import annotations

import os
import secrets
import sys
from contextlib import contextmanager

import click

from learn.config import ConfigError
from learn.db import write_intent


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
    token = write_intent.set(True)
    session = app.extensions["learn.sessions"]()
    try:
        with app.app_context(), app.test_request_context():
            yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        write_intent.reset(token)


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
def content_check(path: str | None) -> None:
    from learn.config import resolve_paths
    from learn.modules import cli as modules_cli

    target = path or str(resolve_paths(dict(os.environ)).content)
    sys.exit(modules_cli.main(["check", target]))


@main.command(help="Serve Parcours with gunicorn.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--demo", "with_demo", is_flag=True, help="upgrade the database and load demo data")
def serve(host: str, port: int, workers: int, with_demo: bool) -> None:
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
    run(host=host, port=port, workers=workers)
