"""Backups taken while serving, and restores.

SQLite: the online backup API copies a consistent snapshot while the server keeps writing (WAL
readers do not block writers), into a self-contained file; a restore copies a backup into the
live file through the same API, so running workers see the restored data on their next query.
PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists` in one transaction.
Either way a restore first saves the current database beside the backups, then upgrades the
restored schema to this code's migrations. Evidence files (photos, voice notes) live in the
database (evidence_blob), so every backup holds them and every restore brings them back.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 (pg_dump and pg_restore, with argument lists, never a shell)
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from learn import migrate
from learn.db import make_engine, private_sqlite_file

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
DUMP_TABLE_RE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Done:
    path: Path
    size: int
    safety_copy: Path | None = None
    revision: str | None = None


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def default_path(url: str, backups_dir: Path, prefix: str = "parcours") -> Path:
    """Where a backup goes when no path is given: the instance folder's backups/."""
    suffix = ".sqlite3" if _is_sqlite(url) else ".dump"
    return backups_dir / f"{prefix}-{_stamp()}{suffix}"


def _private(path: Path) -> None:
    """Backups hold personal data: readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)


def backup(url: str, dest: Path) -> Done:
    """Copy the database to dest, safely while the server runs."""
    _private(dest)
    if _is_sqlite(url):
        _sqlite_backup(_sqlite_file(url), dest)
    elif _is_postgres(url):
        _pg_dump(url, dest)
    else:
        raise BackupError(f"Backups of {make_url(url).get_backend_name()} are not supported.")
    return Done(dest, dest.stat().st_size)


def restore(url: str, source: Path, backups_dir: Path) -> Done:
    """Replace the database's content by the backup's, after saving the current content; then
    bring the schema up to this code's migrations."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    with source.open("rb") as handle:
        head = handle.read(16)
    safety = default_path(url, backups_dir, prefix="before-restore")
    if _is_sqlite(url):
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup (a PostgreSQL dump?).")
        _check_sqlite_backup(source)
        live = _sqlite_file(url)
        if live.exists():
            backup(url, safety)
        else:
            safety = None
        _sqlite_restore(source, live)
    elif _is_postgres(url):
        if not head.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(
                f"{source} is not a pg_dump custom-format file (made by `learn backup` on "
                "PostgreSQL); a SQLite backup cannot be restored into PostgreSQL."
            )
        in_dump = _dump_tables(url, source)  # before anything is written
        backup(url, safety)
        _pg_restore(url, source, in_dump)
    else:
        raise BackupError(f"Restores of {make_url(url).get_backend_name()} are not supported.")
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        revision = migrate.current_revision(engine)
    finally:
        engine.dispose()
    return Done(source, source.stat().st_size, safety_copy=safety, revision=revision)


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _integrity(conn: sqlite3.Connection) -> list[str]:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems == ["ok"]:
        problems = []
    problems += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
    return problems


def _sqlite_backup(live: Path, dest: Path) -> None:
    if not live.is_file():
        raise BackupError(f"No database file at {live}.")
    partial = dest.with_name(dest.name + ".part")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(live, timeout=30)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)  # one step: a consistent snapshot, writers carry on (WAL)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        problems = _integrity(target)
    finally:
        target.close()
        source.close()
    if problems:
        partial.unlink(missing_ok=True)
        raise BackupError("The copy failed its integrity check: " + "; ".join(problems[:5]))
    partial.chmod(0o600)
    os.replace(partial, dest)


def _check_sqlite_backup(source: Path) -> None:
    _check_sqlite_size(source)
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        problems = _integrity(conn)
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            revision = None
    except sqlite3.DatabaseError as exc:
        # SQLite stops the check itself on a page it cannot read ("malformed").
        problems = [str(exc)]
    finally:
        conn.close()
    if problems:
        raise BackupError(f"{source} is damaged ({'; '.join(problems[:3])}): nothing was changed.")
    if revision is None:
        raise BackupError(f"{source} is not a Parcours database (no migration table).")
    _check_revision(revision[0], source)


def _check_sqlite_size(source: Path) -> None:
    """A backup cut short (a copy that stopped, a full disk) is smaller than its header says."""
    with source.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100:
        raise BackupError(f"{source} is truncated (only {len(header)} bytes): nothing was changed.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    expected = page_size * int.from_bytes(header[28:32], "big")
    size = source.stat().st_size
    if size < expected:
        raise BackupError(
            f"{source} is truncated ({size} bytes of {expected}): nothing was changed."
        )


def _check_revision(revision: str, source: Path) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    try:
        known = scripts.get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupError(
            f"{source} comes from a newer Parcours (schema {revision}): restore it with the "
            "version of Parcours that made it."
        )


def _sqlite_restore(source: Path, live: Path) -> None:
    live.parent.mkdir(parents=True, exist_ok=True)
    private_sqlite_file(live, create=True)
    backup_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    live_conn = sqlite3.connect(live, timeout=30)
    try:
        # The API writes the live file inside one write transaction: running workers wait on
        # their busy timeout, then read the restored pages.
        backup_conn.backup(live_conn)
        live_conn.execute("PRAGMA journal_mode=WAL")
        problems = _integrity(live_conn)
    finally:
        live_conn.close()
        backup_conn.close()
    if problems:
        raise BackupError("The restored database failed its integrity check: " + problems[0])


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_tool(name: str, url: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    u = make_url(url)
    raise BackupError(
        f"{name} is not installed. Install the PostgreSQL client tools of the server's major "
        "version or newer (Debian/Ubuntu: apt-get install postgresql-client), or run by hand: "
        + (
            f"PGPASSWORD=... pg_dump --format=custom --file BACKUP.dump --host {u.host} "
            f"--port {u.port or 5432} --username {u.username} {u.database}"
            if name == "pg_dump"
            else f"PGPASSWORD=... pg_restore --clean --if-exists --no-owner --single-transaction "
            f"--host {u.host} --port {u.port or 5432} --username {u.username} "
            f"--dbname {u.database} BACKUP.dump; then `learn db upgrade`"
        )
    )


def _pg_connection(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for the client tools; the password goes in the environment, never in
    the arguments (which every user of the machine can read)."""
    u = make_url(url)
    args = []
    if u.host:
        args += ["--host", u.host]
    if u.port:
        args += ["--port", str(u.port)]
    if u.username:
        args += ["--username", u.username]
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    if "sslmode" in u.query:
        env["PGSSLMODE"] = str(u.query["sslmode"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    result = subprocess.run(  # noqa: S603 (fixed tool, argument list)
        command,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",  # a damaged dump's bytes end up in the messages
        check=False,
        timeout=3600,
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {last_line(result.stderr)}")
    return result.stdout


def last_line(stderr: str | bytes) -> str:
    """The tool's last message, on one line (the one that says what stopped it)."""
    if isinstance(stderr, bytes):
        stderr = stderr.decode(errors="replace")
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1][-500:] if lines else "no message"


def _pg_dump(url: str, dest: Path) -> None:
    tool = _pg_tool("pg_dump", url)
    args, env = _pg_connection(url)
    partial = dest.with_name(dest.name + ".part")
    partial.unlink(missing_ok=True)
    command = [tool, "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)]
    try:
        _run([*command, *args, make_url(url).database], env, "pg_dump")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.chmod(0o600)
    os.replace(partial, dest)


def _dump_tables(url: str, source: Path) -> set[str]:
    tool = _pg_tool("pg_restore", url)
    try:
        listing = _run([tool, "--list", str(source)], dict(os.environ), "list")
        # Read the whole archive once (to nowhere): a dump cut short fails here, before the
        # database is touched, rather than half-way through the restore.
        _run([tool, "--file", os.devnull, str(source)], dict(os.environ), "read")
    except BackupError as exc:
        raise BackupError(
            f"{source} is damaged or truncated ({exc}): nothing was changed."
        ) from None
    tables = set()
    for line in listing.splitlines():
        match = DUMP_TABLE_RE.match(line)
        if match and match.group(1) == "public":
            tables.add(match.group(2))
    if "alembic_version" not in tables:
        raise BackupError(f"{source} is not a dump of a Parcours database (no migration table).")
    return tables


def _pg_restore(url: str, source: Path, in_dump: set[str]) -> None:
    tool = _pg_tool("pg_restore", url)
    engine = make_engine(url)
    try:
        before = set(inspect(engine).get_table_names())
        quote = engine.dialect.identifier_preparer.quote
    finally:
        engine.dispose()
    args, env = _pg_connection(url)
    database = make_url(url).database
    clean = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
    newer = sorted(before - in_dump)
    if not newer:
        _run(
            [tool, *clean, "--single-transaction", "--exit-on-error", *args]
            + ["--dbname", database, str(source)],
            env,
            "pg_restore",
        )
        return
    # Tables made by migrations newer than the backup reference the restored ones, so
    # pg_restore --clean could not drop those; they hold nothing the backup knew of. Drop them in
    # the same transaction as the restore (pg_restore's script run by psql), so that a failure
    # leaves the database as it was; the upgrade that follows recreates them.
    psql = _pg_tool("psql", url)
    drops = "".join(f"DROP TABLE IF EXISTS {quote(name)} CASCADE;\n" for name in newer)
    script = subprocess.run(  # noqa: S603 (fixed tool, argument list)
        [tool, *clean, "--file", "-", str(source)],
        env=env,
        capture_output=True,
        check=False,
        timeout=3600,
    )
    if script.returncode != 0:
        raise BackupError("pg_restore failed: " + last_line(script.stderr))
    result = subprocess.run(  # noqa: S603 (fixed tool, argument list)
        [psql, "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1", *args]
        + ["--dbname", database],
        input=b"SET client_min_messages = warning;\n" + drops.encode() + script.stdout,
        env=env,
        capture_output=True,
        check=False,
        timeout=3600,
    )
    if result.returncode != 0:
        raise BackupError("restore failed: " + last_line(result.stderr))
