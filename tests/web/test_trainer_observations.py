"""Observations at work through the trainer's pages, the competency grid on both sides, the
attestation and the record of training."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from learn.models import Observation
from learn.services import competencies
from tests import trainer_factories as tf
from tests.conftest import csrf_token, sign_in
from tests.web.test_trainer_reports import csv_table


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
    # The activity is shown as visits (trainer/_visits.html); its CSV has the observation's line.
    _h, file_rows = csv_table(client.get(f"/trainer/learners/{learner.id}/export/activity.csv"))
    assert 'class="visits"' in page and file_rows
    learner_client = app.test_client()
    sign_in(learner_client, learner.username)
    dashboard = learner_client.get("/dashboard").get_data(as_text=True)
    # The table (the phone's list after it says the same again).
    start = page.index('class="table competency-grid"')
    trainer_grid = page[start : page.index("</table>", start)]
    start = dashboard.index('class="table competency-grid"')
    learner_grid = dashboard[start : dashboard.index("</table>", start)]
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
    assert "css/trainer." in text
    record = client.get(f"/trainer/learners/{learner.id}/training-record").get_data(as_text=True)
    assert "Écouter : niveau 1" in record and world["trainer"].display_name in record


def test_the_shipped_grid_is_20_skills_by_4_levels_each_cell_saying_its_source(app, real_catalog):
    """On the real catalog, the trainer's page and the learner's dashboard show the same 80 cells,
    each with its state and where it comes from (quiz, worksheet, self-assessment, observation)."""
    catalog = real_catalog.get()
    db = app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "grid", learners=1)
    learner, trainer = world["learners"][0], world["trainer"]
    skill = catalog.skills[0]
    modules = competencies.level_modules(catalog)
    tf.progress(db, learner, modules[(skill.id, 1)], "mastered")
    tf.progress(db, learner, modules[(skill.id, 2)], "in_progress")
    tf.self_assessment(db, learner, modules[(skill.id, 2)], {"o1": 2, "o2": 3})
    tf.progress(db, learner, modules[(skill.id, 3)], "mastered")
    level_3 = catalog.variant(modules[(skill.id, 3)])
    worksheet = tf.workshop(db, learner, "accepted", module_id=level_3.id, ws=level_3.workshop.id)
    worksheet.reviewed_at = worksheet.submitted_at
    tf.observation(db, learner, trainer, skill_id=skill.id, level=3, validated=True)
    tf.observation(db, learner, trainer, skill_id=skill.id, level=4, validated=False)
    db.commit()
    grid = competencies.grid_for(db, learner, catalog)
    assert len(grid.rows) == 20 and {len(row.cells) for row in grid.rows} == {4}
    assert all(cell.module_id for row in grid.rows for cell in row.cells)
    one, two, three, four = grid.rows[0].cells
    assert (one.state, one.validated_by) == ("validated", None) and one.quiz_mastered_on
    assert (two.state, two.self_rating) == ("in_progress", 2.5)
    assert (three.state, three.validated_by) == ("validated", trainer.display_name)
    assert (four.state, four.observation.validated) == ("in_progress", False)
    states = [c.state for row in grid.rows[1:] for c in row.cells]
    assert states == ["not_started"] * 76

    def cells(page: str) -> list[str]:
        return re.findall(r'<td class="competency state-([a-z_]+)">', page)

    staff = app.test_client()
    sign_in(staff, trainer.username)
    on_trainer_page = staff.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    own = app.test_client()
    sign_in(own, learner.username)
    on_dashboard = own.get("/dashboard").get_data(as_text=True)
    expected = [c.state for row in grid.rows for c in row.cells]
    assert cells(on_trainer_page) == cells(on_dashboard) == expected
    for page in (on_trainer_page, on_dashboard):
        assert "Quiz réussi le" in page and "Auto-évaluation : 2,5 / 4" in page
        assert f"par {trainer.display_name} : validé" in page
        assert "Fiche de travail validée le" in page
    db.close()
