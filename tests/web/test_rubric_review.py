"""Levels 3-4 need the learner's evidence: the worksheet, reviewed against its rubric (every
criterion rated not yet / partly / yes), then accepted; the learner sees the ratings in words, and
the competency grid validates the level only with the quiz, the accepted worksheet and the
observation at work."""

from __future__ import annotations

import pytest

from learn.models import WorkshopAnswer
from learn.services import competencies
from tests import trainer_factories as tf
from tests.conftest import PROJECT_ROOT, csrf_token, fixture_content_with, sign_in

RUBRIC_FILES = PROJECT_ROOT / "tests" / "fixtures" / "rubric"


@pytest.fixture
def rubric_catalog(tmp_path):
    """The fixture content plus a level-3 module whose workshop has a two-criterion rubric."""
    files = {
        f"softskills/ecoute/{file.name}": file.read_text(encoding="utf-8")
        for file in RUBRIC_FILES.glob("*.md")
    }
    return fixture_content_with(tmp_path / "content", files)


@pytest.fixture
def env(app_factory, rubric_catalog):
    app = app_factory(LEARN_CATALOG_HOLDER=rubric_catalog)
    db = app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "r", learners=1)
    learner = world["learners"][0]
    answer = tf.workshop(db, learner, version=1, module_id="ecoute-3", ws="ws-ecoute-3")
    answer.answers = {"situation": "La relève de 14 h", "ameliorer": "Poser mon outil"}
    db.commit()
    client = app.test_client()
    sign_in(client, world["trainer"].username)
    yield app, db, world, client, answer
    db.close()


def post_review(client, answer_id, **data):
    token = csrf_token(client, f"/trainer/reviews/{answer_id}")
    return client.post(f"/trainer/reviews/{answer_id}", data={"csrf_token": token, **data})


def reload(db, answer_id) -> WorkshopAnswer:
    db.rollback()
    db.expire_all()
    return db.get(WorkshopAnswer, answer_id)


def test_the_review_page_shows_each_criterion_with_what_each_rating_means(env):
    _app, _db, _world, client, answer = env
    page = client.get(f"/trainer/reviews/{answer.id}").get_data(as_text=True)
    assert "Compare deux façons de réagir et leurs effets." in page
    assert 'name="rating-compare"' in page and 'name="rating-point"' in page
    assert "Décrit une seule réaction, sans effet." in page  # the not-yet descriptor
    assert "Un point précis qu&#39;un tuteur peut observer." in page  # the yes descriptor


def test_a_decision_needs_every_criterion_rated(env):
    _app, db, _world, client, answer = env
    refused = post_review(client, answer.id, decision="accepted", version="1", **{
        "rating-compare": "yes"})  # fmt: skip
    assert refused.status_code == 400
    assert "Choisit un point précis et observable." in refused.get_data(as_text=True)
    row = reload(db, answer.id)
    assert row.status == "submitted" and row.review_ratings is None


def test_a_worksheet_with_a_criterion_not_yet_cannot_be_accepted(env):
    _app, db, _world, client, answer = env
    refused = post_review(client, answer.id, decision="accepted", version="1", **{
        "rating-compare": "yes", "rating-point": "not-yet"})  # fmt: skip
    assert refused.status_code == 400
    assert "demandez une nouvelle version" in refused.get_data(as_text=True)
    assert reload(db, answer.id).status == "submitted"
    asked = post_review(client, answer.id, decision="needs_revision", version="1",
        comment="Choisissez un point qu'on peut voir.",
        **{"rating-compare": "yes", "rating-point": "not-yet"})  # fmt: skip
    assert asked.status_code == 302
    row = reload(db, answer.id)
    assert row.status == "needs_revision"
    assert row.review_ratings == {"compare": "yes", "point": "not-yet"}


def test_an_unknown_rating_is_refused(env):
    _app, db, _world, client, answer = env
    refused = post_review(client, answer.id, decision="accepted", version="1", **{
        "rating-compare": "excellent", "rating-point": "yes"})  # fmt: skip
    assert refused.status_code == 400
    assert reload(db, answer.id).status == "submitted"


def test_accepted_ratings_are_shown_to_the_learner_in_words(env):
    app, db, world, client, answer = env
    done = post_review(client, answer.id, decision="accepted", version="1", comment="Bien vu.",
        **{"rating-compare": "partly", "rating-point": "yes"})  # fmt: skip
    assert done.status_code == 302
    row = reload(db, answer.id)
    assert row.status == "accepted" and row.review_ratings == {"compare": "partly", "point": "yes"}
    trainer_view = client.get(f"/trainer/reviews/{answer.id}").get_data(as_text=True)
    assert "Critères de la relecture" in trainer_view
    for done_before in ("ecoute-1", "ecoute-2"):  # the level-3 module opens after them
        tf.progress(db, world["learners"][0], done_before, "mastered")
    db.commit()
    learner = app.test_client()
    sign_in(learner, world["learners"][0].username)
    response = learner.get("/modules/ecoute-3/workshop")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    ratings = page[page.index('class="rubric-ratings"') :]
    assert "Compare deux façons de réagir et leurs effets." in ratings
    assert "Décrit deux réactions, sans tous leurs effets." in ratings  # the partly descriptor
    assert "Un point précis qu&#39;un tuteur peut observer." in ratings


def test_level_3_is_validated_only_with_the_accepted_worksheet(env, rubric_catalog):
    app, db, world, client, answer = env
    learner, trainer = world["learners"][0], world["trainer"]
    tf.progress(db, learner, "ecoute-3", "mastered")
    tf.observation(db, learner, trainer, level=3, validated=True)
    db.commit()
    catalog = rubric_catalog.get()
    with app.test_request_context():
        cell = competencies.grid_for(db, learner, catalog).cell("ecoute", 3)
        assert cell.state == "awaiting_evidence" and cell.needs_evidence
        assert not cell.evidence_accepted and cell.validated_on is None
    grid_page = client.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    assert "state-awaiting_evidence" in grid_page
    assert "si le module a une fiche de travail, la fiche acceptée" in grid_page  # the grid's hint
    accepted = post_review(client, answer.id, decision="accepted", version="1",
        **{"rating-compare": "yes", "rating-point": "yes"})  # fmt: skip
    assert accepted.status_code == 302 and reload(db, answer.id).status == "accepted"
    with app.test_request_context():
        cell = competencies.grid_for(db, learner, catalog).cell("ecoute", 3)
        assert cell.state == "validated" and cell.evidence_accepted
        assert cell.validated_on == cell.evidence_on
    # Level 2 has no worksheet: the quiz alone still validates it.
    tf.progress(db, learner, "ecoute-2", "mastered")
    db.commit()
    with app.test_request_context():
        two = competencies.grid_for(db, learner, catalog).cell("ecoute", 2)
        assert two.state == "validated" and not two.needs_evidence
