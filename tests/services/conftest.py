"""Service tests run without a Flask app: `db` here is a plain session on the test's database."""

from __future__ import annotations

import pytest


@pytest.fixture
def db(session):
    """The test's session, without an app (a test that also asks for `app` gets one beside it)."""
    return session
