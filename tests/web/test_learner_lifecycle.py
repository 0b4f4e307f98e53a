"""A learner's account over time, on the trainer's side: renamed, closed at the end of the
contract ("sortie", with a date and a reason: no more sign-in, still in the reports, marked),
reopened. Each action is audited; each refusal says why and changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from learn.models import AuditEvent, Group, Role, SignInCode, User
from learn.services import privacy
from tests import factories
from tests import trainer_factories as tf
from tests.conftest import csrf_token, post_form, sign_in

YESTERDAY = date.today() - timedelta(days=1)
MONTH = timedelta(days=30)


@pytest.fixture
def world(app):
    """(db, org, trainer client, learner): Amina, in a group, signed in nowhere yet."""
    db = app.extensions["learn.sessions"]()
    org = factories.organisation(db)
    trainer = factories.user(db, org, Role.TRAINER, username="coach")
    learner = factories.user(
        db, org, username="amina.d", display_name="Amina Diallo", created_at=tf.now() - MONTH
    )
    factories.user(db, org, username="taken.name")
    factories.group(db, org, name="Remobilisation", members=[learner, trainer])
    db.commit()
    client = app.test_client()
    assert sign_in(client, "coach").status_code == 302
    yield db, org, client, learner
    db.close()


def actions(db, learner) -> list[str]:
    rows = db.scalars(select(AuditEvent).where(AuditEvent.target_user_id == learner.id))
    return [event.action for event in rows]


def close(client, learner, closed_on=YESTERDAY, reason="lasting_job"):
    return post_form(
        client,
        f"/trainer/learners/{learner.id}/close",
        {"closed_on": closed_on.isoformat() if closed_on else "", "reason": reason},
        form_page="/trainer/learners",
    )


# --- renaming ------------------------------------------------------------------------------------


def test_renaming_changes_the_name_and_the_username_and_is_audited(app, world):
    db, _org, client, learner = world
    response = post_form(
        client,
        f"/trainer/learners/{learner.id}/rename",
        {"display_name": "Amina Diallo-Sow", "username": "Amina.Sow "},
    )
    assert response.status_code == 302
    db.refresh(learner)
    assert (learner.display_name, learner.username) == ("Amina Diallo-Sow", "amina.sow")
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "learner.rename"))
    assert event.target_user_id == learner.id
    assert event.details == {"changed": ["display_name", "username"]}
    # The learner signs in with the new username and the same password; the old one is gone.
    assert sign_in(app.test_client(), "amina.sow").status_code == 302
    assert sign_in(app.test_client(), "amina.d").status_code == 400


@pytest.mark.parametrize(
    ("username", "display_name"),
    [("taken.name", "Amina"), ("admin", "Amina"), ("Bad Name!", "Amina"), ("amina.d", "")],
)
def test_renaming_keeps_the_rules_of_a_new_account(world, username, display_name):
    db, _org, client, learner = world
    response = post_form(
        client,
        f"/trainer/learners/{learner.id}/rename",
        {"display_name": display_name, "username": username},
    )
    assert response.status_code == 400
    db.refresh(learner)
    assert (learner.display_name, learner.username) == ("Amina Diallo", "amina.d")
    assert actions(db, learner) == []


def test_keeping_the_same_username_is_not_a_conflict(world):
    db, _org, client, learner = world
    response = post_form(
        client,
        f"/trainer/learners/{learner.id}/rename",
        {"display_name": "Amina D.", "username": "amina.d"},
    )
    assert response.status_code == 302
    db.refresh(learner)
    assert learner.display_name == "Amina D."
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "learner.rename"))
    assert event.details == {"changed": ["display_name"]}


def test_the_rename_form_shows_the_current_values(world):
    _db, _org, client, learner = world
    page = client.get(f"/trainer/learners/{learner.id}/rename").get_data(as_text=True)
    assert 'value="amina.d"' in page and 'value="Amina Diallo"' in page


# --- closing at the end of the contract ----------------------------------------------------------


def test_closing_ends_the_sessions_and_refuses_sign_in_with_a_clear_message(app, world):
    db, _org, client, learner = world
    learner_client = app.test_client()
    assert sign_in(learner_client, "amina.d").status_code == 302
    assert learner_client.get("/dashboard").status_code == 200

    response = close(client, learner, reason="qualifying_training")
    assert response.status_code == 302
    db.refresh(learner)
    assert learner.active is False and learner.closed_at is not None
    assert (learner.closed_on, learner.closure_reason) == (YESTERDAY, "qualifying_training")

    # Signed out on the device already signed in...
    assert learner_client.get("/dashboard").status_code == 302
    # ...and the right password says the account is closed, and since when.
    refused = sign_in(app.test_client(), "amina.d")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert YESTERDAY.strftime("%d/%m/%Y") in text
    assert "fermé" in text
    # A wrong password gets the usual answer, which tells nothing about the account.
    wrong = sign_in(app.test_client(), "amina.d", "not-the-password-at-all")
    assert YESTERDAY.strftime("%d/%m/%Y") not in wrong.get_data(as_text=True)

    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "learner.close"))
    assert event.target_user_id == learner.id
    assert event.details == {
        "closed_on": YESTERDAY.isoformat(),
        "reason": "qualifying_training",
    }


def test_closing_spends_the_unused_sign_in_codes(app, world):
    db, org, client, _learner = world
    carded = factories.carded_learner(db, org, "card.holder")
    carded.user.created_at = tf.now() - MONTH
    db.commit()
    assert close(client, carded.user).status_code == 302
    codes = db.scalars(select(SignInCode).where(SignInCode.user_id == carded.user.id)).all()
    assert codes and all(code.used_at is not None for code in codes)
    assert sign_in(app.test_client(), "card.holder", carded.code).status_code == 400


def test_a_closed_learner_is_marked_on_the_list_and_their_page(world):
    _db, _org, client, learner = world
    close(client, learner, reason="moved")
    mark = f"sorti·e le {YESTERDAY.strftime('%d/%m/%Y')}"
    assert mark in client.get("/trainer/learners").get_data(as_text=True)
    page = client.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    assert mark in page and "Déménagement" in page
    assert "Rouvrir le compte" in page
    assert f"/trainer/learners/{learner.id}/code" not in page  # no card for a closed account


def test_a_closed_learner_stays_in_the_group_report_and_its_file_with_a_status(world):
    db, org, client, learner = world
    group = db.scalar(select(Group).where(Group.organisation_id == org.id))
    tf.progress(db, learner, "ecoute-1", status="completed")
    db.commit()
    close(client, learner, reason="lasting_job")
    mark = f"sorti·e le {YESTERDAY.strftime('%d/%m/%Y')}"
    screen = client.get(f"/trainer/groups/{group.id}/matrix").get_data(as_text=True)
    assert "Amina Diallo" in screen and mark in screen
    sheet = client.get(f"/trainer/groups/{group.id}/matrix.csv").get_data(as_text=True)
    lines = sheet.lstrip("\ufeff").splitlines()
    assert any(line.startswith("Apprenant;Identifiant;Compte;") for line in lines), lines[:2]
    assert any(line.startswith(f"Amina Diallo;amina.d;{mark};") for line in lines), lines


@pytest.mark.parametrize(
    ("closed_on", "reason"),
    [
        (date.today() + timedelta(days=1), "lasting_job"),  # in the future
        (date(2001, 1, 1), "lasting_job"),  # before the account existed
        (None, "lasting_job"),
        (YESTERDAY, ""),
        (YESTERDAY, "won_the_lottery"),
    ],
)
def test_a_closure_needs_a_sensible_date_and_a_reason_from_the_list(world, closed_on, reason):
    db, _org, client, learner = world
    response = close(client, learner, closed_on, reason)
    assert response.status_code == 400
    db.refresh(learner)
    assert learner.active is True and learner.closed_at is None
    assert actions(db, learner) == []


def test_no_new_sign_in_code_for_a_closed_account(world):
    db, _org, client, learner = world
    close(client, learner)
    response = post_form(
        client, f"/trainer/learners/{learner.id}/code", form_page="/trainer/learners"
    )
    assert response.status_code == 302
    assert db.scalar(select(SignInCode).where(SignInCode.user_id == learner.id)) is None


def test_closing_twice_changes_nothing(world):
    db, _org, client, learner = world
    close(client, learner, closed_on=YESTERDAY, reason="moved")
    again = close(client, learner, closed_on=date.today(), reason="other")
    assert again.status_code == 302
    db.refresh(learner)
    assert (learner.closed_on, learner.closure_reason) == (YESTERDAY, "moved")
    assert actions(db, learner).count("learner.close") == 1


# --- reopening ----------------------------------------------------------------------------------


def test_reopening_restores_sign_in_and_is_audited(app, world):
    db, _org, client, learner = world
    close(client, learner)
    response = post_form(
        client, f"/trainer/learners/{learner.id}/reopen", form_page="/trainer/learners"
    )
    assert response.status_code == 302
    db.refresh(learner)
    assert learner.active is True
    assert (learner.closed_at, learner.closed_on, learner.closure_reason) == (None, None, None)
    assert sign_in(app.test_client(), "amina.d").status_code == 302
    assert actions(db, learner)[-2:] == ["learner.close", "learner.reopen"]


def test_an_erased_learner_cannot_be_reopened_nor_renamed(app, world):
    db, _org, client, learner = world
    close(client, learner)
    db.refresh(learner)
    privacy.erase(db, None, learner)
    db.commit()
    page = client.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    assert f"/trainer/learners/{learner.id}/reopen" not in page
    reopen = post_form(
        client, f"/trainer/learners/{learner.id}/reopen", form_page="/trainer/learners"
    )
    assert reopen.status_code == 302
    db.refresh(learner)
    assert learner.active is False
    rename = post_form(
        client,
        f"/trainer/learners/{learner.id}/rename",
        {"display_name": "Someone", "username": "someone.new"},
        form_page="/trainer/learners",
    )
    assert rename.status_code == 400
    assert db.scalar(select(User).where(User.username == "someone.new")) is None


# --- who may ------------------------------------------------------------------------------------


def test_another_organisations_learner_is_404_on_every_lifecycle_route(app, world):
    db, _org, client, _learner = world
    outsider = factories.user(db, factories.organisation(db), username="outsider")
    db.commit()
    token = csrf_token(client, "/trainer/learners")
    for action in ("rename", "close"):
        assert client.get(f"/trainer/learners/{outsider.id}/{action}").status_code == 404
    for action in ("rename", "close", "reopen"):
        response = client.post(
            f"/trainer/learners/{outsider.id}/{action}",
            data={
                "csrf_token": token,
                "display_name": "X",
                "username": "x.y.z",
                "closed_on": YESTERDAY.isoformat(),
                "reason": "other",
            },
        )
        assert response.status_code == 404, action
    db.refresh(outsider)
    assert outsider.active is True and outsider.username == "outsider"


def test_a_learner_gets_403_on_the_lifecycle_routes(app, world):
    _db, _org, _client, learner = world
    own = app.test_client()
    sign_in(own, "amina.d")
    assert own.get(f"/trainer/learners/{learner.id}/close").status_code == 403
    token = csrf_token(own, "/catalog")
    response = own.post(f"/trainer/learners/{learner.id}/reopen", data={"csrf_token": token})
    assert response.status_code == 403
