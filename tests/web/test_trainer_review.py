"""Workshop review: the queue, a decision with a comment, stale versions, the project page, and
what the learner then sees."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from learn.models import ProgressEvent, WorkshopAnswer
from tests import trainer_factories as tf
from tests.conftest import csrf_token, sign_in


@pytest.fixture
def env(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "w", learners=2)
    first = tf.workshop(db, world["learners"][0], version=2)
    draft = tf.workshop(db, world["learners"][1], status="draft", version=0)
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    yield small_app, db, world, client, first, draft
    db.close()


def review(client, answer_id, **data):
    url = f"/trainer/reviews/{answer_id}"
    return client.post(url, data={"csrf_token": csrf_token(client, "/trainer/reviews"), **data})


def reload(db, answer_id):
    db.rollback()
    db.expire_all()
    return db.get(WorkshopAnswer, answer_id)


def test_queue_lists_submitted_worksheets_only(env):
    _app, _db, world, client, first, draft = env
    page = client.get("/trainer/reviews").get_data(as_text=True)
    assert f"/trainer/reviews/{first.id}" in page
    assert f"/trainer/reviews/{draft.id}" not in page
    detail = client.get(f"/trainer/reviews/{first.id}").get_data(as_text=True)
    assert "Aider les voisins" in detail and 'name="decision"' in detail


def test_ask_for_a_new_version_needs_a_comment_then_the_learner_sees_it(env):
    app, db, world, client, first, _draft = env
    missing = review(client, first.id, decision="needs_revision", comment="", version="2")
    assert missing.status_code == 400
    too_long = review(client, first.id, decision="needs_revision", comment="x" * 5001, version="2")
    assert too_long.status_code == 400 and "5000" in too_long.get_data(as_text=True).replace(
        "\u202f", ""
    ).replace(" ", "")
    assert reload(db, first.id).status == "submitted"
    done = review(
        client, first.id, decision="needs_revision", comment="Précisez le public.", version="2"
    )
    assert done.status_code == 302
    row = reload(db, first.id)
    assert row.status == "needs_revision" and row.review_comment == "Précisez le public."
    assert row.reviewer_id == world["trainer"].id and row.reviewed_at is not None
    assert db.scalar(select(ProgressEvent.kind).where(ProgressEvent.kind == "workshop_reviewed"))
    learner = app.test_client()
    sign_in(learner, world["learners"][0].username)
    dashboard = learner.get("/dashboard").get_data(as_text=True)
    assert "/modules/es-social/workshop" in dashboard
    feedback = dashboard[dashboard.index('id="feedback-title"') :]
    assert "à améliorer" in feedback and "Précisez le public." in feedback
    worksheet = learner.get("/modules/es-social/workshop").get_data(as_text=True)
    assert "Précisez le public." in worksheet
    # Once decided, it cannot be decided again.
    again = review(client, first.id, decision="accepted", comment="", version="2")
    assert again.status_code == 400
    # The learner sends a new version: the dashboard says it waits for review, not "to improve".
    row = reload(db, first.id)
    row.status, row.version = "submitted", 3
    db.commit()
    feedback = learner.get("/dashboard").get_data(as_text=True)
    feedback = feedback[feedback.index('id="feedback-title"') :]
    assert "en attente de relecture" in feedback
    assert "à améliorer" not in feedback and "Précisez le public." not in feedback
    accepted = review(client, first.id, decision="accepted", comment="Bravo", version="3")
    assert accepted.status_code == 302
    feedback = learner.get("/dashboard").get_data(as_text=True)
    feedback = feedback[feedback.index('id="feedback-title"') :]
    assert "accepté" in feedback and "Bravo" in feedback


def test_a_decision_on_an_older_version_is_refused(env):
    _app, db, _world, client, first, _draft = env
    stale = review(client, first.id, decision="accepted", comment="", version="1")
    assert stale.status_code == 400
    assert reload(db, first.id).status == "submitted"
    assert review(client, first.id, decision="accepted", version="2").status_code == 302
    assert reload(db, first.id).status == "accepted"


def test_the_project_page_shows_the_three_worksheets_together(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "p", learners=1)
    answer = tf.workshop(db, world["learners"][0])
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    page = client.get(f"/trainer/learners/{world['learners'][0].id}/project")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Aider les voisins" in text
    assert text.count("<section") >= 1  # the fixture course has one worksheet; real content three
    token = re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)
    response = client.post(
        f"/trainer/reviews/{answer.id}",
        data={"csrf_token": token, "decision": "accepted", "version": "1", "back": "project"},
    )
    assert response.headers["Location"].endswith(
        f"/trainer/learners/{world['learners'][0].id}/project"
    )
    db.close()


def test_the_real_course_groups_three_worksheets(app, db):
    from learn.services import review as review_service

    with app.test_request_context():
        from learn import content

        found = review_service.project_workshops(content.catalog(), "fr")
    assert [variant.workshop.id for _m, variant in found] == [
        "ws-social",
        "ws-economic",
        "ws-environmental",
    ]
