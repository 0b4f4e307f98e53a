"""The needs-help reasons and count as the pages show them: the learner's dashboard agrees with
the trainer's list, and the workspace home page shows the count without building the list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from markupsafe import escape

from learn.models import User
from learn.services import needs_help
from tests import trainer_factories as tf
from tests.conftest import sign_in


@pytest.fixture
def needs_help_env(small_app, fixture_catalog):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "a", learners=4)
    db.commit()
    yield small_app, db, world, fixture_catalog.get()
    db.close()


def test_the_learner_and_the_trainer_see_the_same_reasons(needs_help_env):
    app, db, world, catalog = needs_help_env
    learner = world["learners"][0]
    tf.help_request(db, learner, "ecoute-1", "Aidez-moi")
    tf.progress(db, learner, "ecoute-2", failed_in_a_row=4, attempts=4)
    tf.assignment(
        db, world["org"], learner=learner, ref="ecoute-1", due_on=date.today() - timedelta(2)
    )
    db.commit()
    client = app.test_client()
    sign_in(client, learner.username)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    trainer = app.test_client()
    sign_in(trainer, world["trainer"].username)
    listing = trainer.get("/trainer/needs-help").get_data(as_text=True)
    db.expire_all()
    fresh = db.get(User, learner.id)
    reasons = needs_help.reasons_for_learner(db, fresh, catalog)
    assert [r.kind for r in reasons] == ["asked", "failing", "overdue"]
    with app.test_request_context():  # described in the pages' language (French)
        for reason in reasons:
            learners_words = needs_help.describe(reason, catalog, "fr", for_learner=True)
            assert escape(learners_words) in dashboard
            assert escape(needs_help.describe(reason, catalog, "fr")) in listing


def test_the_home_page_shows_the_count_without_building_the_list(needs_help_env, monkeypatch):
    app, db, _world, _catalog = needs_help_env
    world = tf.organisation_with_group(db, "h", learners=4)
    asked, failing, idle, active = world["learners"]
    for learner in (asked, failing, active):
        learner.last_seen_at = tf.now()
    idle.last_seen_at = tf.now() - timedelta(days=20)
    tf.help_request(db, asked)
    tf.progress(db, failing, "ecoute-1", failed_in_a_row=3)
    db.commit()

    def refuse(*_args, **_kwargs):
        raise AssertionError("the home page builds the whole needs-help list")

    monkeypatch.setattr(needs_help, "needs_help_list", refuse)
    client = app.test_client()
    sign_in(client, world["trainer"].username)
    page = client.get("/trainer/")
    assert page.status_code == 200
    assert '<p class="big">3</p>' in page.get_data(as_text=True)
