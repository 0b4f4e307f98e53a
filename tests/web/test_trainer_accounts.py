"""A trainer creates learner accounts with a password or a printable code, and resets them."""

from __future__ import annotations

from sqlalchemy import select

from learn.models import Role, User
from tests import factories
from tests.conftest import post_form, sign_in


def setup_trainer(db):
    org = factories.organisation(db)
    trainer = factories.user(db, org, Role.TRAINER, username="coach")
    db.commit()
    return org, trainer


def test_trainer_creates_a_learner_with_a_code(client, db):
    org, _trainer = setup_trainer(db)
    sign_in(client, "coach")
    response = post_form(
        client,
        "/trainer/learners/new",
        {"display_name": "Moussa K", "username": "moussa.k", "with_code": "y"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "moussa.k" in page
    created = db.scalar(select(User).where(User.username == "moussa.k"))
    assert created.organisation_id == org.id and created.role == Role.LEARNER
    assert created.password_hash is None


def test_bad_learner_form_says_what_is_wrong_and_creates_nothing(client, db):
    setup_trainer(db)
    sign_in(client, "coach")
    response = post_form(
        client,
        "/trainer/learners/new",
        {"display_name": "X", "username": "Bad Name!", "password": "", "with_code": ""},
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "username" in text.lower() or "identifiant" in text.lower()
    assert db.scalar(select(User).where(User.display_name == "X")) is None


def test_duplicate_username_is_refused(client, db):
    org, _ = setup_trainer(db)
    factories.user(db, org, username="taken.name")
    db.commit()
    sign_in(client, "coach")
    response = post_form(
        client,
        "/trainer/learners/new",
        {"display_name": "Other", "username": "taken.name", "with_code": "y"},
    )
    assert response.status_code == 400


def test_new_code_for_another_organisations_learner_is_404(client, db):
    setup_trainer(db)
    other_org = factories.organisation(db)
    outsider = factories.user(db, other_org)
    db.commit()
    sign_in(client, "coach")
    response = post_form(
        client, f"/trainer/learners/{outsider.id}/code", form_page="/trainer/learners"
    )
    assert response.status_code == 404


def test_reset_code_ends_the_learners_sessions(app, db):
    org, _ = setup_trainer(db)
    learner = factories.user(db, org, username="reset.me")
    db.commit()
    learner_client, trainer_client = app.test_client(), app.test_client()
    sign_in(learner_client, "reset.me")
    assert learner_client.get("/dashboard").status_code == 200
    sign_in(trainer_client, "coach")
    response = post_form(
        trainer_client, f"/trainer/learners/{learner.id}/code", form_page="/trainer/learners"
    )
    assert response.status_code == 200
    page = learner_client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "reset.me" not in page and ("Sign in" in page or "Se connecter" in page)
