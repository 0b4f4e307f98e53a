"""Where rate-limit counters live: Redis when REDIS_URL is set, else this database storage for
the limits library, so that the limits hold as configured across workers and instances (the
library's memory storage counts per process: two workers let twice the attempts through).

Each count is one statement in its own short transaction on its own connection, committed even
when the request that counted is refused and rolled back. On SQLite that transaction begins
IMMEDIATE: a key function must therefore not open the request's own write transaction before the
count (the key functions read the form, the address and signed cookies, never the database)."""

from __future__ import annotations

import contextlib
import itertools
import random
import time
import weakref

from limits.storage import Storage
from sqlalchemy import case, delete, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from learn.db import write_intent
from learn.models import RateLimitCounter

SCHEME = "learn+database"
COUNTERS = RateLimitCounter.__table__
# The engine of each app, by the name its storage URI carries ("learn+database://app-1"): the
# limits library builds a storage from a URI string only.
_ENGINES: weakref.WeakValueDictionary[str, Engine] = weakref.WeakValueDictionary()
_numbers = itertools.count(1)


def storage_uri_for(engine: Engine) -> str:
    """A storage URI that names this engine, for RATELIMIT_STORAGE_URI."""
    name = f"app-{next(_numbers)}"
    _ENGINES[name] = engine
    return f"{SCHEME}://{name}"


class DatabaseStorage(Storage):
    """Fixed-window counters in the rate_limit_counter table (SQLite or PostgreSQL)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions, **options)
        engine = _ENGINES.get((uri or "").partition("://")[2])
        if engine is None:
            raise ValueError(f"{uri!r}: use storage_uri_for(engine) to name the database")
        self.engine = engine

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    @contextlib.contextmanager
    def _writing(self):
        token = write_intent.set(True)  # BEGIN IMMEDIATE on SQLite: writers queue
        try:
            with self.engine.begin() as conn:
                yield conn
        finally:
            write_intent.reset(token)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        insert = sqlite_insert if self.engine.dialect.name == "sqlite" else postgresql_insert
        expired = COUNTERS.c.expires_at <= now
        stmt = (
            insert(COUNTERS)
            .values(key=key, hits=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[COUNTERS.c.key],
                set_={
                    "hits": case((expired, amount), else_=COUNTERS.c.hits + amount),
                    "expires_at": case((expired, now + expiry), else_=COUNTERS.c.expires_at),
                },
            )
            .returning(COUNTERS.c.hits)
        )
        with self._writing() as conn:
            hits = conn.execute(stmt).scalar_one()
            if random.random() < 0.01:  # noqa: S311 (housekeeping, not security)
                conn.execute(delete(COUNTERS).where(COUNTERS.c.expires_at < now - 60))
        return hits

    def get(self, key: str) -> int:
        with self.engine.connect() as conn:
            hits = conn.scalar(
                select(COUNTERS.c.hits).where(
                    COUNTERS.c.key == key, COUNTERS.c.expires_at > time.time()
                )
            )
        return hits or 0

    def get_expiry(self, key: str) -> float:
        with self.engine.connect() as conn:
            expires = conn.scalar(select(COUNTERS.c.expires_at).where(COUNTERS.c.key == key))
        return expires if expires is not None else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._writing() as conn:
            return conn.execute(delete(COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        with self._writing() as conn:
            conn.execute(delete(COUNTERS).where(COUNTERS.c.key == key))
