"""Without Redis, rate limits still hold across instances: two `learn serve` instances on one
database count the same sign-in attempts (the counters live in the database)."""

from __future__ import annotations

import pytest

from tests import factories
from tests.multi.test_two_instances import Browser, instance_env, serving, sign_in


@pytest.fixture
def target(app):
    session = app.extensions["learn.sessions"]()
    factories.user(session, factories.organisation(session), username="limited.learner")
    session.commit()
    session.close()


def test_limits_hold_across_instances_without_redis(database_url, tmp_path, target):
    env = instance_env(
        database_url,
        tmp_path,
        REDIS_URL="",
        LEARN_LOGIN_LIMIT_ACCOUNT="3 per minute",
        LEARN_LOGIN_LIMIT_ADDRESS="100 per minute",
    )
    with serving(env) as (first, second):
        codes = [
            sign_in(Browser(), base, "limited.learner", "wrong-password")[0]
            for base in (first, second, first)
        ]
        assert codes == [400, 400, 400]
        # Each instance has seen fewer than 3 tries; together they have seen 3.
        assert sign_in(Browser(), second, "limited.learner", "wrong-password")[0] == 429
        assert sign_in(Browser(), first, "limited.learner", "wrong-password")[0] == 429
