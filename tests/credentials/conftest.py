"""A world for credential tests: two organisations, a learner with a validated level."""

from __future__ import annotations

import pytest

from learn.services import issuers
from tests import trainer_factories as tf

BASE = "https://parcours.example"


@pytest.fixture
def store(tmp_path):
    return issuers.KeyStore(tmp_path / "instance" / "credential-keys", {})


@pytest.fixture
def world(session, fixture_catalog):
    """`a` and `b`: organisations with a trainer, an admin and one learner each; a's learner has
    ecoute level 1 validated (its quiz mastered)."""
    a = tf.organisation_with_group(session, "a", learners=1)
    b = tf.organisation_with_group(session, "b", learners=1)
    tf.progress(session, a["learners"][0], "ecoute-1", "mastered")
    session.commit()
    return {"db": session, "a": a, "b": b, "catalog": fixture_catalog.get()}
