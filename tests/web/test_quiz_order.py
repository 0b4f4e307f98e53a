"""Options are shuffled per attempt; the order shown is stored with the attempt, and the corrections
and the trainer's view show the options in that order."""

from __future__ import annotations

import re

from sqlalchemy import select

from learn.models import QuizAttempt, Role
from learn.modules import attempt_order
from learn.services.quizzes import attempt_seed
from tests import factories
from tests.conftest import sign_in

from .test_learner import quiz_form

Q1 = {"a": "Vous partez tout de suite.", "b": "Vous reformulez la consigne."}
RADIO_RE = re.compile(r'<input type="radio" id="q-(\w+)-(\w)"')


def shown_on_page(page: str, qid: str) -> list[str]:
    return [oid for q, oid in RADIO_RE.findall(page) if q == qid]


def positions(page: str, texts: list[str]) -> list[int]:
    return [page.index(text) for text in texts]


def variant_of(app):
    return app.extensions["learn.catalog"].get().variant("ecoute-1", "fr")


def latest_attempt(db, learner) -> QuizAttempt:
    db.rollback()
    return db.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == learner.id).order_by(QuizAttempt.seq)
    ).all()[-1]


def test_each_attempt_shows_and_stores_its_own_order(env):
    app, db, client, learner, _other = env
    expected = {
        seq: attempt_order(variant_of(app).questions, attempt_seed(learner.id, "ecoute-1", seq))
        for seq in (1, 2, 3, 4)
    }
    for seq in (1, 2, 3, 4):
        page, ticket, token = quiz_form(client, "ecoute-1")
        assert shown_on_page(page, "q1") == dict(expected[seq])["q1"]
        assert shown_on_page(page, "q2") == ["a", "b"]  # true/false keeps Vrai, Faux
        client.post(
            "/modules/ecoute-1/quiz", data={"csrf_token": token, "ticket": ticket, "q-q1": "b"}
        )
        row = latest_attempt(db, learner)
        assert row.seq == seq and row.shown_order == expected[seq]
        assert row.answers["q1"]["correct"] is True  # grading does not depend on the order


def test_check_my_answer_keeps_the_order_of_the_attempt(env):
    _app, _db, client, _learner, _other = env
    page, ticket, token = quiz_form(client, "ecoute-1")
    checked = client.post(
        "/modules/ecoute-1/quiz/check?q=q1",
        data={"csrf_token": token, "ticket": ticket, "q-q1": "a"},
    ).get_data(as_text=True)
    assert shown_on_page(checked, "q1") == shown_on_page(page, "q1")


def test_corrections_and_trainer_view_show_the_stored_order(env):
    app, db, client, learner, _other = env
    _page, ticket, token = quiz_form(client, "ecoute-1")
    response = client.post(
        "/modules/ecoute-1/quiz",
        data={"csrf_token": token, "ticket": ticket, "q-q1": "a", "q-q2": "a"},
    )
    row = latest_attempt(db, learner)
    for order in (["b", "a"], ["a", "b"]):
        row.shown_order = [["q3", []], ["q1", order], ["q2", ["a", "b"]]]
        db.commit()
        corrections = client.get(response.headers["Location"]).get_data(as_text=True)
        texts = [Q1[oid] for oid in order]
        assert sorted(positions(corrections, texts)) == positions(corrections, texts), order
        questions = ["Quel mot veut dire", "Le chef donne une consigne", "Regarder la personne"]
        assert sorted(positions(corrections, questions)) == positions(corrections, questions)
        assert "Vous risquez de mal faire." in corrections  # the learner's choice, graded as before
        staff = app.test_client()
        admin = factories.user(
            db, learner.organisation, role=Role.ORG_ADMIN, username=f"a{order[0]}"
        )
        db.commit()
        sign_in(staff, admin.username)
        view = staff.get(f"/trainer/attempts/{row.id}").get_data(as_text=True)
        seen = view[view.index('class="options-seen"') :]
        assert sorted(positions(seen, texts)) == positions(seen, texts), order
        assert re.search(r"Vous partez tout de suite\.\s*<span class=\"tag\">", view)


def test_an_attempt_recorded_before_the_order_was_kept_shows_the_written_order(env):
    _app, db, client, learner, _other = env
    _page, ticket, token = quiz_form(client, "ecoute-1")
    response = client.post(
        "/modules/ecoute-1/quiz", data={"csrf_token": token, "ticket": ticket, "q-q1": "b"}
    )
    row = latest_attempt(db, learner)
    row.shown_order = None
    db.commit()
    corrections = client.get(response.headers["Location"]).get_data(as_text=True)
    assert positions(corrections, [Q1["a"]]) < positions(corrections, [Q1["b"]])
