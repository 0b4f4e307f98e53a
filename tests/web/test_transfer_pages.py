"""Moving between partners in the web: A's trainer asks, the learner answers on their passport
(and may refuse), B's trainer sees the record, accepts into a new account or declines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from learn.models import TransferRequest, User
from tests import trainer_factories as tf
from tests.conftest import csrf_token
from tests.web.test_credentials_pages import client_for, issue


@pytest.fixture
def world(app):
    db = app.extensions["learn.sessions"]()
    a = tf.organisation_with_group(db, "a", learners=1)
    b = tf.organisation_with_group(db, "b", learners=1)
    tf.progress(db, a["learners"][0], "ecoute-1", "mastered")
    tf.workshop(db, a["learners"][0], status="accepted")
    db.commit()
    yield app, db, a, b
    db.close()


def transfer(db) -> TransferRequest:
    db.rollback()
    return db.scalar(select(TransferRequest))


def ask(app, a, partner="org-b"):
    trainer = client_for(app, a["trainer"])
    page = f"/trainer/learners/{a['learners'][0].id}/credentials"
    return trainer, trainer.post(
        f"/trainer/learners/{a['learners'][0].id}/transfers",
        data={"partner": partner, "csrf_token": csrf_token(trainer, page)},
    )


def answer(app, learner, row, decision, workshops=False):
    client = client_for(app, learner)
    data = {"decision": decision, "csrf_token": csrf_token(client, "/passport")}
    if workshops:
        data["workshops"] = "y"
    return client, client.post(f"/passport/transfers/{row.id}", data=data)


def test_the_whole_move_with_consent(world):
    app, db, a, b = world
    issue(client_for(app, a["trainer"]), a["learners"][0])
    _trainer, asked = ask(app, a)
    assert asked.status_code == 302
    row = transfer(db)
    learner = client_for(app, a["learners"][0])
    passport = learner.get("/passport").get_data(as_text=True)
    assert "Organisation b" in passport and f"/passport/transfers/{row.id}" in passport
    # B sees nothing before the learner agrees.
    partner = client_for(app, b["trainer"])
    assert partner.get(f"/trainer/transfers/{row.id}").status_code == 404
    answer(app, a["learners"][0], row, "accept")
    assert transfer(db).status == "awaiting_partner"
    listing = partner.get("/trainer/transfers").get_data(as_text=True)
    assert a["learners"][0].display_name in listing
    page = partner.get(f"/trainer/transfers/{row.id}").get_data(as_text=True)
    assert "Valid" in page or "Valide" in page
    assert "Workshop texts" not in page and "Textes des ateliers" not in page
    accepted = partner.post(
        f"/trainer/transfers/{row.id}",
        data={
            "decision": "accept",
            "username": "arrived",
            "csrf_token": csrf_token(partner, f"/trainer/transfers/{row.id}"),
        },
    )
    assert accepted.status_code == 200
    assert "arrived" in accepted.get_data(as_text=True)
    db.rollback()
    new = db.scalar(select(User).where(User.username == "arrived"))
    assert new.organisation_id == b["org"].id
    # The learner, signed in at B, finds the badges brought from A in their passport.
    from learn.models import IssuedCredential
    from learn.services import accounts

    accounts.set_password(db, new, "a-good-test-password")
    db.commit()
    arrived = client_for(app, new)
    brought = db.scalar(select(IssuedCredential.id))
    assert f"/credentials/{brought}" in arrived.get("/passport").get_data(as_text=True)
    # A's trainer sees that the partner received it.
    sent = client_for(app, a["trainer"]).get(f"/trainer/learners/{a['learners'][0].id}/credentials")
    assert "received by the partner" in sent.get_data(as_text=True) or "reçu" in sent.get_data(
        as_text=True
    )


def test_the_learner_refuses_and_nothing_is_sent(world):
    app, db, a, b = world
    ask(app, a)
    row = transfer(db)
    answer(app, a["learners"][0], row, "refuse", workshops=True)
    row = transfer(db)
    assert row.status == "refused" and row.package is None
    partner = client_for(app, b["trainer"])
    assert partner.get(f"/trainer/transfers/{row.id}").status_code == 404
    assert a["learners"][0].display_name not in partner.get("/trainer/transfers").get_data(
        as_text=True
    )


def test_workshop_texts_go_only_when_ticked(world):
    app, db, a, b = world
    ask(app, a)
    row = transfer(db)
    answer(app, a["learners"][0], row, "accept", workshops=True)
    page = client_for(app, b["trainer"]).get(f"/trainer/transfers/{row.id}")
    text = page.get_data(as_text=True)
    assert "Workshop texts" in text or "Textes" in text


def test_refusals_of_the_wrong_people(world):
    app, db, a, b = world
    ask(app, a)
    row = transfer(db)
    # Another learner cannot answer; A's trainer cannot accept for B; B cannot ask for A's learner.
    _client, other = answer(app, b["learners"][0], row, "accept")
    assert other.status_code == 404 and transfer(db).status == "awaiting_consent"
    answer(app, a["learners"][0], row, "accept")
    own = client_for(app, a["trainer"])
    assert own.get(f"/trainer/transfers/{row.id}").status_code == 404
    outsider = client_for(app, b["trainer"])
    token = csrf_token(outsider, "/trainer/transfers")
    response = outsider.post(
        f"/trainer/learners/{a['learners'][0].id}/transfers",
        data={"partner": "org-b", "csrf_token": token},
    )
    assert response.status_code == 404
    learner = client_for(app, a["learners"][0])
    assert learner.get("/trainer/transfers").status_code == 403


def test_an_unknown_partner_is_said_and_nothing_is_asked(world):
    app, db, a, _b = world
    trainer, response = ask(app, a, partner="nobody")
    assert response.status_code == 302 and transfer(db) is None
    page = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "No partner organisation" in page or "Aucune structure" in page


def test_a_taken_username_is_said_and_nothing_is_accepted(world):
    app, db, a, b = world
    ask(app, a)
    row = transfer(db)
    answer(app, a["learners"][0], row, "accept")
    partner = client_for(app, b["trainer"])
    response = partner.post(
        f"/trainer/transfers/{row.id}",
        data={
            "decision": "accept",
            "username": b["learners"][0].username,
            "csrf_token": csrf_token(partner, f"/trainer/transfers/{row.id}"),
        },
    )
    assert response.status_code == 400 and transfer(db).status == "awaiting_partner"


def test_an_empty_partner_field_is_said_not_a_500(world):
    app, db, a, _b = world
    trainer, response = ask(app, a, partner="")
    assert response.status_code == 302 and transfer(db) is None
    page = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "message-error" in page
