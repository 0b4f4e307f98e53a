"""Observations at work through the trainer's pages, the competency grid on both sides, the
attestation and the record of training."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from learn.models import Observation
from tests import trainer_factories as tf
from tests.conftest import csrf_token, sign_in
from tests.web.test_trainer_reports import csv_table, screen_table


@pytest.fixture
def env(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "o", learners=1)
    learner = world["learners"][0]
    tf.progress(db, learner, "ecoute-1", "mastered")
    tf.progress(db, learner, "ecoute-2", "mastered")
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    yield small_app, db, world, learner, client
    db.close()


def test_choose_skill_and_level_then_see_its_behaviours(env):
    _app, _db, _world, learner, client = env
    url = f"/trainer/learners/{learner.id}/observations/new"
    first = client.get(url).get_data(as_text=True)
    assert 'name="behaviour"' not in first and 'name="skill"' in first
    page = client.get(url + "?skill=ecoute&level=3").get_data(as_text=True)
    for behaviour in ("Compare.", "Évalue.", "Explique."):
        assert behaviour in page


def test_record_an_observation_and_the_grid_changes_for_both(env):
    app, db, world, learner, client = env
    url = f"/trainer/learners/{learner.id}/observations/new"
    token = csrf_token(client, url + "?skill=ecoute&level=2")
    refused = client.post(
        url,
        data={
            "csrf_token": token,
            "skill": "ecoute",
            "level": "2",
            "observed_on": (date.today() + timedelta(days=1)).isoformat(),
            "situation": "x" * 301,
            "evidence": "Vu",
            "validated": "yes",
        },
    )
    assert refused.status_code == 400
    assert db.scalar(select(Observation)) is None
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "skill": "ecoute",
            "level": "2",
            "observed_on": date.today().isoformat(),
            "situation": "Réunion d'équipe",
            "evidence": "A reformulé la consigne\net l'a notée.",
            "behaviour": ["0", "2"],
            "validated": "yes",
        },
    )
    assert response.status_code == 302
    db.rollback()
    row = db.scalar(select(Observation))
    assert row.observer_name == world["trainer"].display_name
    assert row.behaviours == ["Reformule une consigne.", "Vérifie."]
    page = client.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    assert "Réunion d&#39;équipe" in page or "Réunion d'équipe" in page
    header, rows = screen_table(page, "activity")
    _h, file_rows = csv_table(client.get(f"/trainer/learners/{learner.id}/export/activity.csv"))
    assert rows and file_rows == rows
    learner_client = app.test_client()
    sign_in(learner_client, learner.username)
    dashboard = learner_client.get("/dashboard").get_data(as_text=True)
    trainer_grid = page[page.index('class="table competency-grid"') :]
    learner_grid = dashboard[dashboard.index('class="table competency-grid"') :]
    for text in (world["trainer"].display_name, "state-validated"):
        assert text in trainer_grid and text in learner_grid
    assert trainer_grid.count("state-validated") == learner_grid.count("state-validated") == 2


def test_attestation_and_training_record_are_printable(env):
    _app, db, world, learner, client = env
    tf.observation(db, learner, world["trainer"], level=2)
    db.commit()
    attestation = client.get(f"/trainer/learners/{learner.id}/attestation")
    text = attestation.get_data(as_text=True)
    assert attestation.status_code == 200 and 'class="print-view"' in text
    assert world["org"].name in text and "Écouter" in text
    assert "trainer.css" in text
    record = client.get(f"/trainer/learners/{learner.id}/training-record").get_data(as_text=True)
    assert "Écouter : niveau 1" in record and world["trainer"].display_name in record
