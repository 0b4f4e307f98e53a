"""The database storage of rate-limit counters (used when REDIS_URL is unset)."""

from __future__ import annotations

from sqlalchemy import func, select, update

from learn.models import RateLimitCounter
from learn.rate_limits import DatabaseStorage, storage_uri_for
from tests import factories
from tests.conftest import sign_in


def test_counters_count_expire_and_clear(app, db):
    storage = DatabaseStorage(storage_uri_for(app.extensions["learn.engine"]))
    assert storage.check()
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get("other") == 0
    # A window that has passed starts again from the next hit.
    db.execute(update(RateLimitCounter).values(expires_at=0))
    db.commit()
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1
    storage.clear("k")
    assert storage.get("k") == 0
    storage.incr("a", 60)
    assert storage.reset() == 1


def test_an_app_without_redis_counts_sign_ins_in_the_database(app_factory, db):
    app = app_factory(
        RATELIMIT_STORAGE_URI="learn+database://", LEARN_LOGIN_LIMIT_ACCOUNT="2/minute"
    )
    factories.user(db, factories.organisation(db), username="target")
    db.commit()
    client = app.test_client()
    codes = [sign_in(client, "target", "wrong").status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    assert db.scalar(select(func.count()).select_from(RateLimitCounter)) >= 2
