"""The trainers' guides are read in the workspace: the list, each guide, and links from the
pages where a trainer needs them (observing a skill, reviewing a worksheet, a learner's project)."""

from __future__ import annotations

import pytest
from markupsafe import escape

from tests import trainer_factories as tf
from tests.conftest import sign_in


@pytest.fixture
def env(app_factory):
    app = app_factory()  # the shipped content: 20 skill guides and the course's guide
    db = app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "g", learners=1)
    answer = tf.workshop(db, world["learners"][0], version=1)
    db.commit()
    client = app.test_client()
    sign_in(client, world["trainer"].username)
    yield app, world, client, answer
    db.close()


def test_every_guide_is_listed_and_readable(env, real_catalog):
    _app, _world, client, _answer = env
    catalog = real_catalog.get()
    listing = client.get("/trainer/guides")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert page.count('href="/trainer/guides/') == 21  # 20 skills and the entrepreneurship course
    for key in ("ecoute", "entrepreneurship"):
        guide = catalog.guide(key, "fr")
        text = client.get(f"/trainer/guides/{key}").get_data(as_text=True)
        assert str(escape(guide.title)) in text
        for section in guide.sections:
            assert f'id="{section.id}"' in text
    assert client.get("/trainer/guides/nope").status_code == 404


def test_a_learner_cannot_read_the_guides(env):
    app, world, _client, _answer = env
    learner = app.test_client()
    sign_in(learner, world["learners"][0].username)
    assert learner.get("/trainer/guides").status_code == 403
    assert learner.get("/trainer/guides/ecoute").status_code == 403


def test_pages_link_to_the_guide_they_need(env):
    _app, world, client, answer = env
    review = client.get(f"/trainer/reviews/{answer.id}").get_data(as_text=True)
    assert 'href="/trainer/guides/entrepreneurship"' in review
    learner_id = world["learners"][0].id
    project = client.get(f"/trainer/learners/{learner_id}/project").get_data(as_text=True)
    assert 'href="/trainer/guides/entrepreneurship"' in project
    observe = client.get(f"/trainer/learners/{learner_id}/observations/new?skill=ecoute&level=3")
    assert 'href="/trainer/guides/ecoute"' in observe.get_data(as_text=True)
