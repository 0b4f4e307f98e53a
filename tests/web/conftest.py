"""Fixtures shared by the page tests."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import sign_in


@pytest.fixture
def env(small_app):
    """Learner Léa signed in on the fixture content, and another learner of her organisation:
    (app, session, client, lea, other). Files with their own `env` use theirs."""
    session = small_app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    learner = factories.user(session, org, username="lea")
    other = factories.user(session, org, username="other")
    session.commit()
    client = small_app.test_client()
    sign_in(client, "lea")
    yield small_app, session, client, learner, other
    session.close()
