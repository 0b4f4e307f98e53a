"""The group's certificates (page, CSV, PDF) and the Qualiopi page run a fixed number of queries,
whatever the number of learners (house rule: lists are counted in tests, never timed)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests import trainer_factories as tf
from tests.conftest import sign_in


def _filled_group(db, label: str, size: int):
    world = tf.organisation_with_group(db, label, learners=size)
    for i, learner in enumerate(world["learners"]):
        tf.progress(db, learner, "ecoute-1", "mastered")
        tf.progress(db, learner, "ecoute-2", "in_progress" if i % 2 else "completed")
        tf.attempt(db, learner, passed=bool(i % 2))
        tf.placement(db, learner, "ecoute", 2)
        tf.observation(db, learner, world["trainer"])
        tf.workshop(db, learner)
        asked = tf.help_request(db, learner)
        asked.resolved_at = asked.created_at + timedelta(minutes=5)
        asked.resolved_by_id = world["trainer"].id
    tf.assignment(db, world["org"], group=world["group"], ref="ecoute-1")
    db.commit()
    return world


@pytest.mark.parametrize(
    "page", ["certificates", "certificates.csv", "certificates.pdf", "qualiopi"]
)
def test_group_pages_run_a_fixed_number_of_queries(small_app, page):
    db = small_app.extensions["learn.sessions"]()
    engine = small_app.extensions["learn.engine"]
    counts = []
    for label, size in (("q2", 2), ("q40", 40)):
        world = _filled_group(db, label, size)
        client = small_app.test_client()
        sign_in(client, world["trainer"].username)
        url = f"/trainer/groups/{world['group'].id}/{page}"
        assert client.get(url).status_code == 200
        with tf.count_queries(engine) as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
    db.close()
    assert counts[0] == counts[1], counts
