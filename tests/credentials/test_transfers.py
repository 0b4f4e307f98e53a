"""Moving between partners on one instance: asked by A, consented or refused by the learner,
accepted or declined by B; nothing leaves without consent, workshop texts only if ticked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from learn.credentials import verification
from learn.models import AuditEvent, User
from learn.services import credentials, issuers, transfers
from learn.services.errors import Forbidden, Invalid, NotFound
from tests import trainer_factories as tf
from tests.credentials.conftest import BASE


@pytest.fixture
def asked(world, store):
    db, a = world["db"], world["a"]
    learner = a["learners"][0]
    tf.workshop(db, learner, status="accepted")
    credentials.issue(
        db, a["trainer"], learner.id, "skill_level", "ecoute:1", world["catalog"], store, BASE
    )
    row = transfers.request_transfer(db, a["trainer"], learner.id, "org-b")
    return world, row


def test_nothing_is_sent_before_the_learner_consents(asked):
    world, row = asked
    assert row.status == "awaiting_consent" and row.package is None
    assert transfers.waiting_for(world["db"], world["a"]["learners"][0]) == [row]
    with pytest.raises(NotFound):  # the partner does not see it yet
        transfers.incoming_request(world["db"], world["b"]["trainer"], row.id)
    assert transfers.incoming(world["db"], world["b"]["trainer"]) == []


def test_a_refusal_sends_nothing(asked):
    world, row = asked
    db, learner = world["db"], world["a"]["learners"][0]
    transfers.answer(db, learner, row.id, False, True, world["catalog"])
    assert row.status == "refused" and row.package is None
    assert transfers.incoming(db, world["b"]["trainer"]) == []
    with pytest.raises(Invalid):
        transfers.answer(db, learner, row.id, True, False, world["catalog"])
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "transfer.refuse")) is not None


def test_consent_sends_credentials_grid_and_progress_but_not_workshops_unless_ticked(asked):
    world, row = asked
    db, learner = world["db"], world["a"]["learners"][0]
    transfers.answer(db, learner, row.id, True, False, world["catalog"])
    package = row.package
    assert row.status == "awaiting_partner" and "workshops" not in package
    assert package["grid"] == [
        {"skill": "ecoute", "level": 1, "validated_on": package["grid"][0]["validated_on"]}
    ]
    assert [p["module"] for p in package["progress"]] == ["ecoute-1"]
    (credential,) = package["credentials"]
    assert verification.check(credential, issuers.key_resolver(db)).valid


def test_ticking_workshops_sends_them(world, store):
    db, a = world["db"], world["a"]
    learner = a["learners"][0]
    tf.workshop(db, learner, status="accepted")
    row = transfers.request_transfer(db, a["trainer"], learner.id, "org-b")
    transfers.answer(db, learner, row.id, True, True, world["catalog"])
    assert [w["module"] for w in row.package["workshops"]] == ["es-social"]


def test_the_partner_accepts_into_a_new_account_and_both_logs_say_so(asked):
    world, row = asked
    db, learner, b = world["db"], world["a"]["learners"][0], world["b"]
    transfers.answer(db, learner, row.id, True, False, world["catalog"])
    assert transfers.incoming(db, b["trainer"]) == [row]
    with pytest.raises(Invalid):
        transfers.decide(db, b["trainer"], row.id, True, username="")
    done, new = transfers.decide(db, b["trainer"], row.id, True, username="moved.learner")
    assert done.status == "accepted" and new.code
    moved = db.get(User, done.new_learner_id)
    assert moved.organisation_id == b["org"].id and moved.display_name == learner.display_name
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "transfer.accept")).all()
    assert {e.organisation_id for e in events} == {world["a"]["org"].id, b["org"].id}
    with pytest.raises(Invalid):
        transfers.decide(db, b["trainer"], row.id, False)


def test_only_the_partner_decides_and_only_the_learner_answers(asked):
    world, row = asked
    db, a, b = world["db"], world["a"], world["b"]
    with pytest.raises(NotFound):
        transfers.answer(db, b["learners"][0], row.id, True, False, world["catalog"])
    transfers.answer(db, a["learners"][0], row.id, True, False, world["catalog"])
    with pytest.raises(NotFound):
        transfers.decide(db, a["trainer"], row.id, True, username="x.y")
    with pytest.raises(Forbidden):
        transfers.incoming(db, a["learners"][0])
    with pytest.raises(NotFound):
        transfers.request_transfer(db, b["trainer"], a["learners"][0].id, "org-a")


@pytest.mark.parametrize("slug", ["", "nope", "org-a"])
def test_a_request_needs_a_real_partner(world, slug):
    a = world["a"]
    with pytest.raises(Invalid):
        transfers.request_transfer(world["db"], a["trainer"], a["learners"][0].id, slug)


def test_a_second_request_to_the_same_partner_waits_for_the_first(asked):
    world, _row = asked
    a = world["a"]
    with pytest.raises(Invalid):
        transfers.request_transfer(world["db"], a["trainer"], a["learners"][0].id, "org-b")
