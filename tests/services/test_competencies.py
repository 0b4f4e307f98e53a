"""The competency grid: levels 1-2 by the quiz, levels 3-4 by the quiz plus a validated
observation at work; each cell keeps where its state comes from."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from learn.models import ModuleProgress, Observation
from learn.services import attestation, competencies, observations
from learn.services.errors import Invalid
from tests import trainer_factories as tf


@pytest.fixture
def env(session, fixture_catalog):
    world = tf.organisation_with_group(session, "c", learners=1)
    return session, world, fixture_catalog.get()


def grid_with_level_3(catalog, progress, assessments, obs):
    from dataclasses import replace

    level_2 = catalog.modules["ecoute-2"]
    level_3 = replace(level_2, id="ecoute-3", level=3)
    modules = dict(catalog.modules)
    modules["ecoute-3"] = level_3
    bigger = replace(catalog, modules=modules)
    return competencies.build_grid(bigger, progress, assessments, obs)


def test_levels_1_and_2_come_from_the_quiz(env):
    db, world, catalog = env
    learner = world["learners"][0]
    tf.progress(db, learner, "ecoute-1", "mastered")
    tf.progress(db, learner, "ecoute-2", "completed")
    tf.self_assessment(db, learner, "ecoute-2", {"o1": 3, "o2": 4})
    grid = competencies.grid_for(db, learner, catalog)
    one, two, three = (grid.cell("ecoute", n) for n in (1, 2, 3))
    assert one.state == "validated" and one.validated_on is not None and one.validated_by is None
    assert two.state == "in_progress" and two.self_rating == 3.5
    assert three.state == "not_started" and three.module_id is None
    assert [c.skill_id for c in grid.validated()] == ["ecoute"]


def test_levels_3_and_4_need_a_validated_observation(env):
    db, world, catalog = env
    learner, trainer = world["learners"][0], world["trainer"]
    mastered = tf.progress(db, learner, "ecoute-2", "mastered")
    progress = {"ecoute-3": mastered}
    grid = grid_with_level_3(catalog, progress, {}, [])
    assert grid.cell("ecoute", 3).state == "awaiting_observation"
    not_yet = tf.observation(db, learner, trainer, level=3, validated=False)
    grid = grid_with_level_3(catalog, progress, {}, [not_yet])
    assert grid.cell("ecoute", 3).state == "awaiting_observation"
    assert grid.cell("ecoute", 3).observation is not_yet
    seen = tf.observation(db, learner, trainer, level=3, validated=True)
    later_not_yet = tf.observation(
        db, learner, trainer, level=3, validated=False, observed_on=date.today()
    )
    grid = grid_with_level_3(catalog, progress, {}, [not_yet, seen, later_not_yet])
    cell = grid.cell("ecoute", 3)
    assert cell.state == "validated" and cell.validated_by == trainer.display_name
    assert cell.observation is seen  # a later "not yet" does not undo a validation
    # An observation without the quiz: not validated yet.
    grid = grid_with_level_3(catalog, {}, {}, [seen])
    assert grid.cell("ecoute", 3).state == "in_progress"


def test_recording_an_observation_checks_every_field(env):
    db, world, catalog = env
    learner, trainer = world["learners"][0], world["trainer"]
    with pytest.raises(Invalid) as refused:
        observations.record(
            db,
            trainer,
            learner,
            catalog,
            skill_id="ecoute",
            level=3,
            observed_on=date.today() + timedelta(days=2),
            situation="x" * 301,
            evidence="",
            behaviours=["7"],
            validated=True,
            lang="fr",
        )
    assert len(refused.value.messages) == 4  # future, too long, missing, not in the list
    with pytest.raises(Invalid):
        observations.record(
            db,
            trainer,
            learner,
            catalog,
            skill_id="nope",
            level=3,
            observed_on=date.today(),
            situation="s",
            evidence="e",
            behaviours=[],
            validated=False,
            lang="fr",
        )
    with pytest.raises(Invalid):  # validated without any behaviour ticked
        observations.record(
            db,
            trainer,
            learner,
            catalog,
            skill_id="ecoute",
            level=3,
            observed_on=date.today(),
            situation="s",
            evidence="e",
            behaviours=[],
            validated=True,
            lang="fr",
        )
    assert db.scalar(select(func.count()).select_from(Observation)) == 0
    row = observations.record(
        db,
        trainer,
        learner,
        catalog,
        skill_id="ecoute",
        level=3,
        observed_on=date.today(),
        situation="Briefing",
        evidence="A reformulé.\nPuis vérifié.",
        behaviours=["0", "2"],
        validated=True,
        lang="fr",
    )
    assert row.behaviours == ["Compare.", "Explique."]
    assert row.observer_name == trainer.display_name and row.observer_id == trainer.id


def test_attestation_and_training_record(env):
    db, world, catalog = env
    learner, trainer = world["learners"][0], world["trainer"]
    tf.progress(db, learner, "ecoute-1", "mastered", active_seconds=1200)
    tf.progress(db, learner, "es-social", "in_progress", active_seconds=300)
    tf.attempt(db, learner, passed=True, score=1.0)
    tf.observation(db, learner, trainer, level=2, validated=True)
    document = attestation.attestation(db, trainer, learner.id, catalog)
    assert [(c.skill_id, c.level) for c in document.validated] == [("ecoute", 1)]
    record = attestation.training_record(db, trainer, learner.id, catalog)
    assert record.total_minutes == 25
    assert [m.module_id for m in record.modules] == ["ecoute-1", "es-social"]
    assert {r.kind for r in record.results} == {"quiz", "observation"}
    assert db.scalar(select(func.count()).select_from(ModuleProgress)) == 2
