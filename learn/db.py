"""The database: engine, declarative base, one session per request."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import DateTime, MetaData, String, TypeDecorator, create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.functions import FunctionElement

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# True while the current unit of work intends to write: SQLite then begins with BEGIN IMMEDIATE,
# so two writers queue on the busy timeout instead of failing half-way with "database is locked".
write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


@contextmanager
def write_transaction(session: Session):
    """The block's statements as one write transaction (BEGIN IMMEDIATE on SQLite): committed
    when the block ends, rolled back if it raises."""
    token = write_intent.set(True)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        write_intent.reset(token)


def connection_of(session: Session):
    """The session's connection for a Core statement, with the session's pending changes flushed
    first, as the ORM's autoflush would before a query (the same transaction)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str, *, must_exist: bool = False, **kwargs) -> Engine:
    """Create an engine with the pragmas and transaction mode each database needs.

    must_exist (the serving app): a SQLite file that has gone is an error (503, "cannot be
    opened"), not silently replaced by an empty database; `learn db upgrade` creates it."""
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            private_sqlite_file(path, create=not must_exist)
        if must_exist:
            url = _sqlite_read_write(url)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        if must_exist and path is not None:
            _watch_file_identity(engine, path)
        return engine
    # A database host that stops answering must fail fast (503), not hold a worker for a minute.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5}, **kwargs)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory or URI database."""
    parsed = make_url(url)
    path = parsed.database
    if not path or path == ":memory:" or path.startswith("file:") or parsed.query.get("uri"):
        return None
    return Path(path).resolve()


def private_sqlite_file(path: Path, create: bool) -> None:
    """The database, its WAL and shared-memory files readable by their owner only (they hold
    personal data). A new database is created empty with mode 600 before SQLite opens it, and
    SQLite gives the -wal and -shm files the mode of the database; files left by an older
    version are narrowed to 600."""
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for found in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):  # absent, or owned by someone else: leave it
            if found.stat().st_mode & 0o077:
                found.chmod(0o600)


def _sqlite_read_write(url: str) -> str | URL:
    """The same SQLite file opened with mode=rw, which never creates it."""
    path = sqlite_path(url)
    if path is None:
        return url
    parsed = make_url(url)
    uri = f"file:{quote(str(path))}?mode=rw"
    return parsed.set(database=uri, query={**parsed.query, "uri": "true"})


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


class fold_case(FunctionElement):  # noqa: N801 (used like a SQL function)
    """A text with its case folded: Python's casefold on SQLite (registered on each connection),
    lower() on PostgreSQL, which knows every alphabet."""

    type = String()
    inherit_cache = True
    name = "fold_case"


@compiles(fold_case)
def _fold_case_default(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(fold_case, "sqlite")
def _fold_case_sqlite(element, compiler, **kw):
    return f"casefold({compiler.process(element.clauses, **kw)})"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event decide how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # SQLite's lower() knows only ASCII; searches fold case with Python's rules ("É" = "é").
        dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # FULL: a commit is on disk before the page says "saved", even across a power cut
        # (NORMAL would only survive a crash of the process); about 0.5 ms a commit here.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


FILE_MOVED = "the database file was moved or replaced while Parcours ran"


def _watch_file_identity(engine: Engine, path: Path) -> None:
    """A SQLite file moved or replaced under running workers: their open connections would go on
    writing into the moved file (or next to another file's WAL), and those writes would be lost.
    The file's identity (device and inode) is taken at the first connection; each checkout
    compares it with the path's current one (one stat, a few microseconds) and refuses to hand
    out the connection when they differ, which the request frame answers with a 503; no new
    connection opens another file found at the path. The same file put back serves again; a
    new file at the path needs a restart."""
    first: list[tuple[int, int]] = []

    def identity() -> tuple[int, int] | None:
        try:
            found = os.stat(path)
        except OSError:
            return None
        return (found.st_dev, found.st_ino)

    @event.listens_for(engine, "do_connect")
    def _before_opening(_dialect, _record, _cargs, _cparams):
        # Never open another file put at the path: it would read the moved file's -wal (left at
        # the path by `mv`) as its own and copy that file's latest writes into itself.
        if first and (current := identity()) is not None and current != first[0]:
            raise sqlite3.OperationalError(FILE_MOVED)

    @event.listens_for(engine, "connect")
    def _remember(_dbapi_connection, _record):
        if not first and (found := identity()) is not None:
            first.append(found)

    @event.listens_for(engine, "checkout")
    def _compare(_dbapi_connection, _record, _proxy):
        current = identity()
        if current is not None and not first:
            first.append(current)
        if current is None or current != first[0]:
            # The pool closes this connection (a failed checkout invalidates it).
            reason = "unable to open database file" if current is None else FILE_MOVED
            raise OperationalError("(file identity check)", None, sqlite3.OperationalError(reason))


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay usable after commit (templates read them)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
