"""The validation service: a trainer's decision validates a grid cell beside the existing rules,
refuses what the learner did not hand in, and a withdrawn one no longer counts."""

from __future__ import annotations

from datetime import date

import pytest

from learn.models import Validation
from learn.services import competencies, validation
from learn.services.errors import Forbidden, Invalid, NotFound
from tests import trainer_factories as tf


@pytest.fixture
def env(session, fixture_catalog):
    world = tf.organisation_with_group(session, "v", learners=2)
    return session, world, fixture_catalog.get()


def decide(db, world, catalog, **over):
    learner = world["learners"][0]
    args = {
        "target_kind": "skill_level",
        "target_ref": "ecoute/1",
        "step": None,
        "sources": [],
        "comment": "",
        "decided_on": date(2026, 12, 1),
    }
    args.update(over)
    return validation.validate(db, world["trainer"], learner, catalog, **args)


def test_a_trainers_decision_validates_the_cell_and_a_withdrawal_undoes_it(env):
    db, world, catalog = env
    learner, trainer = world["learners"][0], world["trainer"]
    seen = tf.observation(db, learner, trainer, level=1, validated=False)
    assert competencies.grid_for(db, learner, catalog).cell("ecoute", 1).state != "validated"
    made = decide(db, world, catalog, sources=[f"observation:{seen.id}"])
    cell = competencies.grid_for(db, learner, catalog).cell("ecoute", 1)
    assert cell.state == "validated" and cell.validation is made
    assert cell.validated_by == trainer.display_name and cell.validated_on == date(2026, 12, 1)
    with pytest.raises(Invalid):
        validation.withdraw(db, trainer, learner, made.id, "  ")
    validation.withdraw(db, trainer, learner, made.id, "Saisie sur la mauvaise personne")
    assert competencies.grid_for(db, learner, catalog).cell("ecoute", 1).state != "validated"
    assert db.get(Validation, made.id).withdrawal_reason == "Saisie sur la mauvaise personne"
    with pytest.raises(NotFound):  # already withdrawn
        validation.withdraw(db, trainer, learner, made.id, "encore")


def test_sources_must_be_the_learners_own_for_this_target(env):
    db, world, catalog = env
    learner, other, trainer = *world["learners"], world["trainer"]
    theirs = tf.observation(db, other, trainer, level=1, validated=True)
    other_level = tf.observation(db, learner, trainer, level=2, validated=True)
    for sources in (
        [],
        [f"observation:{theirs.id}"],
        [f"observation:{other_level.id}"],
        ["evidence:1; drop"],
        ["observation:" + "9" * 40],
    ):
        with pytest.raises(Invalid):
            decide(db, world, catalog, sources=sources)
    with pytest.raises(Invalid):
        decide(db, world, catalog, target_ref="nope/1", sources=[])
    with pytest.raises(Forbidden):
        validation.validate(
            db,
            learner,
            learner,
            catalog,
            target_kind="skill_level",
            target_ref="ecoute/1",
            step=None,
            sources=[],
            comment="",
            decided_on=date(2026, 12, 1),
        )


def test_a_competence_needs_a_step_past_the_first(env):
    db, world, catalog = env
    ref = catalog.referentiel("essai")
    competence = ref.competences[0]
    target = f"essai/{competence.id}"
    with pytest.raises(Invalid) as refused:
        decide(db, world, catalog, target_kind="competence", target_ref=target, step="not-yet")
    assert any("échelon" in m or "step" in m for m in refused.value.messages)


def test_a_tutors_sent_assessment_is_a_source_and_a_draft_or_anothers_is_not(env):
    db, world, catalog = env
    learner, other, trainer = *world["learners"], world["trainer"]
    tutor = tf.tutor(db, world["org"], "v1", [learner, other])
    sent = tf.workplace_assessment(db, tutor, learner)
    draft = tf.workplace_assessment(db, tutor, learner, status="draft")
    theirs = tf.workplace_assessment(db, tutor, other)
    ref = catalog.referentiel("essai")
    records = validation.referentiel_records(db, learner, ref)
    record = records["ecouter-client"]
    assert [a.id for a in record.assessments] == [sent.id]
    assert all(r.assessments == [] for key, r in records.items() if key != "ecouter-client")
    target = "essai/ecouter-client"
    for refused in (draft, theirs):
        with pytest.raises(Invalid):
            decide(
                db,
                world,
                catalog,
                target_kind="competence",
                target_ref=target,
                step="alone",
                sources=[f"assessment:{refused.id}"],
            )
    made = decide(
        db,
        world,
        catalog,
        target_kind="competence",
        target_ref=target,
        step="alone",
        sources=[f"assessment:{sent.id}"],
    )
    assert made.sources == [{"kind": "assessment", "id": sent.id}]
    assert trainer is world["trainer"]
