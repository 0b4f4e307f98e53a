"""Typed text: control characters refused by the one rule, with a message; the help form's
return address checked; CSV import cells held to the same rule."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from learn.models import HelpRequest, Role, User, WorkshopAnswer
from tests import factories
from tests.conftest import csrf_token, post_form, sign_in

POISONS = ["Amina\x00", "Ami\u202ena", "Amina\u2066K", "Amina\x1b[31m", "Amina\x85"]
INVISIBLE_PAGE = "Caractères invisibles"  # the 400 page's title, in French (the default)


def count(db, model, **where) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(model).filter_by(**where))


@pytest.fixture
def trainer_client(client, db):
    org = factories.organisation(db)
    factories.user(db, org, Role.TRAINER, username="coach")
    db.commit()
    sign_in(client, "coach")
    return client


@pytest.mark.parametrize("name", POISONS)
def test_new_learner_with_a_control_character_is_refused_and_not_stored(trainer_client, db, name):
    response = post_form(
        trainer_client,
        "/trainer/learners/new",
        {"display_name": name, "username": "amina.k", "with_code": "y"},
    )
    assert response.status_code == 400
    assert INVISIBLE_PAGE in response.get_data(as_text=True)
    assert count(db, User, username="amina.k") == 0


@pytest.mark.parametrize("name", ["Amina\nK", "Amina\r\nK", "Amina\tK"])
def test_a_line_break_in_a_one_line_field_is_refused_beside_the_field(trainer_client, db, name):
    response = post_form(
        trainer_client,
        "/trainer/learners/new",
        {"display_name": name, "username": "amina.k", "with_code": "y"},
    )
    assert response.status_code == 400
    assert "Écrivez-le sur une seule ligne" in response.get_data(as_text=True)
    assert count(db, User, username="amina.k") == 0


def test_help_message_and_workshop_answer_with_nul_are_refused(env):
    _app, db, client, learner, _other = env
    token = csrf_token(client, "/modules/ecoute-1/end")
    response = client.post(
        "/modules/ecoute-1/help", data={"csrf_token": token, "message": "aide\x00moi"}
    )
    assert response.status_code == 400 and INVISIBLE_PAGE in response.get_data(as_text=True)
    assert count(db, HelpRequest, user_id=learner.id) == 0
    url = "/modules/es-social/workshop"
    token = csrf_token(client, url)
    typed = "Une épicerie\x00 solidaire\u202e pour le quartier"
    response = client.post(url, data={"csrf_token": token, "p-mission": typed, "action": "x"})
    assert response.status_code == 400
    assert count(db, WorkshopAnswer, user_id=learner.id) == 0
    # The worksheet comes back with a message and the text, without what could not be saved:
    # nothing typed is lost.
    page = response.get_data(as_text=True)
    assert "caractères invisibles" in page
    assert "Une épicerie solidaire pour le quartier</textarea>" in page
    # A text area keeps its line breaks and tabs.
    response = client.post(url, data={"csrf_token": token, "p-mission": "un\r\n\tdeux"})
    assert response.status_code == 302
    assert count(db, WorkshopAnswer, user_id=learner.id) == 1


@pytest.mark.parametrize("query", ["q=Ami%E2%80%AEna", "q=a%00", "q=a%0Ab", "q=a%09b"])
def test_a_control_character_in_the_query_string_is_a_400(trainer_client, query):
    response = trainer_client.get(f"/trainer/learners?{query}")
    assert response.status_code == 400
    assert INVISIBLE_PAGE in response.get_data(as_text=True)


def test_a_line_break_in_next_is_refused_before_the_sign_in_form(client):
    # Otherwise the hidden `next` field would fail the form without a message anyone could see.
    response = client.get("/sign-in?next=/catalog%0d%0aX-A:%20b")
    assert response.status_code == 400


def test_help_form_back_with_a_line_break_is_a_400(env):
    _app, db, client, learner, _other = env
    token = csrf_token(client, "/modules/ecoute-1/end")
    response = client.post(
        "/modules/ecoute-1/help",
        data={"csrf_token": token, "message": "aide", "back": "/modules/ecoute-1\r\nX-A: b"},
    )
    assert response.status_code == 400
    assert count(db, HelpRequest, user_id=learner.id) == 0


@pytest.mark.parametrize(
    ("back", "expected"),
    [
        ("/modules/ecoute-1/read/travail", "/modules/ecoute-1/read/travail"),
        ("/modules/ecoute-1", "/modules/ecoute-1"),
        ("/modules/ecoute-10/end", "/modules/ecoute-1"),
        ("/modules/ecoute-1/../../trainer", "/modules/ecoute-1"),
        # A browser reads %2e%2e as ".." too: /modules/ecoute-1/%2e%2e/%2e%2e/trainer is /trainer.
        ("/modules/ecoute-1/%2e%2e/%2e%2e/trainer", "/modules/ecoute-1"),
        ("/modules/ecoute-1/.%2E/.%2e/trainer", "/modules/ecoute-1"),
        ("/modules/ecoute-1/%2F%2Fevil.example", "/modules/ecoute-1"),
        ("//evil.example/modules/ecoute-1", "/modules/ecoute-1"),
        ("https://evil.example/", "/modules/ecoute-1"),
        ("", "/modules/ecoute-1"),
    ],
)
def test_too_long_help_message_goes_back_to_a_checked_page_never_the_referer(env, back, expected):
    _app, db, client, learner, _other = env
    token = csrf_token(client, "/modules/ecoute-1/end")
    response = client.post(
        "/modules/ecoute-1/help",
        data={"csrf_token": token, "message": "x" * 2001, "back": back},
        headers={"Referer": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert count(db, HelpRequest, user_id=learner.id) == 0


@pytest.mark.parametrize(
    "cell",
    ['"Amina\x00K"', '"Ami\u202ena"', '"Amina\r\nK"', '"Amina\x0bK"', '"Amina\u2067"'],
)
@pytest.mark.parametrize("column", ["nom", "groupe", "identifiant"])
def test_csv_import_cells_with_control_characters_are_refused(trainer_client, db, cell, column):
    values = {"nom": "Moussa K", "groupe": "Groupe A", "identifiant": "moussa.k"}
    values[column] = cell
    data = ("nom;groupe;identifiant\n" + ";".join(values.values()) + "\n").encode()
    from learn.services import enrolment

    with trainer_client.application.test_request_context():
        raw, problems = enrolment.read_rows(data)
        if not problems:
            actor = db.scalar(select(User).where(User.username == "coach"))
            problems = enrolment.check_rows(db, actor, raw, None).problems
    assert problems, f"{column}={cell!r} accepted"
