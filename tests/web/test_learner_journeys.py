"""The learner's everyday journeys (issue 18): an assessed quiz sent with blanks, "Check my
answer" without JavaScript, the dashboard's "Continue", the sign-out message."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from learn.models import QuizAttempt
from tests import trainer_factories as tf
from tests.conftest import post_form, sign_in
from tests.web.test_learner import count, quiz_form


def open_assessed(env):
    """Léa masters level 1: the assessed quiz of level 2 (q1 multiple, q2 ordering) opens."""
    _app, db, client, learner, _other = env
    tf.progress(db, learner, "ecoute-1", "mastered")
    db.commit()
    return quiz_form(client, "ecoute-2")


def test_assessed_quiz_with_a_blank_asks_first_and_records_nothing(env):
    _app, db, client, learner, _other = env
    _text, ticket, token = open_assessed(env)
    data = {"csrf_token": token, "ticket": ticket, "q-q1-present": "1", "q-q2-1": "x"}
    response = client.post("/modules/ecoute-2/quiz", data=data)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "1 question n'a pas de réponse : envoyer quand même ?" in page
    assert "1 questions" not in page
    assert count(db, QuizAttempt, user_id=learner.id) == 0
    # The answers given travel in hidden fields, with the token and the ticket.
    assert 'type="hidden" name="q-q2-1" value="x"' in page
    assert f'name="ticket" value="{ticket}"' in page and 'name="csrf_token"' in page
    # "Back to my answers": the quiz again, the answers kept, still nothing recorded.
    back = client.post("/modules/ecoute-2/quiz", data={**data, "confirm": "back"})
    assert back.status_code == 200 and 'id="quiz"' in back.get_data(as_text=True)
    assert count(db, QuizAttempt, user_id=learner.id) == 0
    # "Send anyway": recorded once.
    sent = client.post("/modules/ecoute-2/quiz", data={**data, "confirm": "send"})
    assert sent.status_code == 302 and "/attempts/" in sent.headers["Location"]
    assert count(db, QuizAttempt, user_id=learner.id) == 1


def test_the_confirmation_keeps_csrf(env):
    client = env[2]
    _text, ticket, _token = open_assessed(env)
    refused = client.post(
        "/modules/ecoute-2/quiz", data={"ticket": ticket, "confirm": "send", "q-q1": "a"}
    )
    assert refused.status_code == 400
    assert count(env[1], QuizAttempt) == 0


def test_a_full_assessed_quiz_is_sent_without_a_question(env):
    _app, db, client, learner, _other = env
    _text, ticket, token = open_assessed(env)
    response = client.post(
        "/modules/ecoute-2/quiz",
        data={"csrf_token": token, "ticket": ticket, "q-q1": "a", "q-q2-1": "a"},
    )
    assert response.status_code == 302
    assert count(db, QuizAttempt, user_id=learner.id) == 1


def test_the_quiz_page_carries_the_confirmation_for_the_script(env):
    text, _ticket, _token = open_assessed(env)
    text = html.unescape(text)
    assert 'data-confirm-one="1 question n\'a pas de réponse : envoyer quand même ?"' in text
    assert "{n} questions n'ont pas de réponse" in text
    assert "js/quiz-confirm." in text
    practice, _t, _k = quiz_form(env[2], "ecoute-1")
    assert "data-confirm-one" not in practice  # practice quizzes send at once


def test_check_my_answer_lands_on_the_feedback(env):
    client = env[2]
    text, ticket, token = quiz_form(client, "ecoute-1")
    assert 'formaction="/modules/ecoute-1/quiz/check?q=q1#feedback-q1"' in text
    response = client.post(
        "/modules/ecoute-1/quiz/check?q=q1",
        data={"csrf_token": token, "ticket": ticket, "q-q1": "b"},
    )
    assert re.search(r'<div class="feedback[^"]*"[^>]* id="feedback-q1"', response.get_data(True))


def continue_target(client) -> str:
    page = client.get("/dashboard").get_data(as_text=True)
    section = page.split('id="continue-title"', 1)[1].split("</section>", 1)[0]
    return re.search(r'href="/modules/([^"]+)"', section).group(1)


def test_continue_leads_to_the_work_due_first_then_to_the_last_module(env):
    _app, db, client, learner, _other = env
    org = learner.organisation
    tf.progress(db, learner, "ecoute-1", "in_progress")  # visited an hour ago
    db.commit()
    assert continue_target(client) == "ecoute-1"
    today = tf.now().date()
    tf.assignment(db, org, learner=learner, ref="ecoute-2", due_on=today + timedelta(days=10))
    tf.assignment(db, org, learner=learner, ref="es-social", due_on=today + timedelta(days=3))
    db.commit()
    assert continue_target(client) == "es-social"  # due first
    tf.progress(db, learner, "es-social", "mastered")
    db.commit()
    assert continue_target(client) == "ecoute-2"  # the next one due, not the done one
    tf.progress(db, learner, "ecoute-2", "mastered")
    db.commit()
    assert continue_target(client) == "ecoute-1"  # nothing due: the last module visited


def test_sign_out_says_so(env):
    client = env[2]
    response = post_form(client, "/sign-out", form_page="/dashboard")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vous êtes déconnecté." in page


def test_the_password_forms_get_the_show_password_script(env):
    client = env[2]
    page = client.get("/choose-password").get_data(as_text=True)
    assert 'data-password-toggle="Afficher le mot de passe"' in page
    assert "js/password-toggle." in page
    post_form(client, "/sign-out", form_page="/dashboard")
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'data-password-toggle="Afficher le mot de passe"' in page
    assert 'type="password"' in page  # hidden until the learner asks: the script switches it


def test_learner_and_trainer_read_the_same_score(small_app):
    """Partial credit counts the same for both: one text, made by one function."""
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "sc", learners=1)
    lea = world["learners"][0]
    answers = {
        "q1": {"answer": "b", "correct": True, "score": 1.0},
        "q2": {"answer": "a", "correct": False, "score": 0.5},
        "q3": {"answer": "x", "correct": False, "score": 0.0},
    }
    row = tf.attempt(db, lea, "ecoute-1", answers=answers, score=0.5)
    row.correct_count, row.total = 1, 3
    db.commit()
    learner, trainer = small_app.test_client(), small_app.test_client()
    sign_in(learner, lea.username)
    sign_in(trainer, world["trainer"].username)
    expected = "50 % (1 bonne réponse sur 3, 1 en partie juste)"
    learner_page = learner.get(f"/attempts/{row.id}").get_data(as_text=True)
    trainer_page = trainer.get(f"/trainer/attempts/{row.id}").get_data(as_text=True)
    assert expected in learner_page and expected in trainer_page
    # Each answer's verdict in the same words too: the trainer sees the partly right one.
    assert "en partie juste" in trainer_page.split('class="table answers"', 1)[1]
    db.close()


def test_english_pages_mark_french_content_with_its_language(env):
    client = env[2]
    post_form(client, "/language", {"locale": "en", "next": "/dashboard"}, form_page="/dashboard")
    catalog = client.get("/catalog").get_data(as_text=True)
    # The modules of the skill exist in French only: their titles say so; the skill's name has
    # an English text and no lang of its own.
    assert re.search(r'<a href="/modules/ecoute-1" lang="fr">', catalog)
    assert "<h3>Listening</h3>" in catalog
    read = client.get("/modules/ecoute-1/read/travail").get_data(as_text=True)
    assert '<h1 lang="fr">' in read and re.search(r'<ul lang="fr">\s*<li>Expliquer', read)
    quiz = client.get("/modules/ecoute-1/quiz").get_data(as_text=True)
    assert re.search(r'<h1>Quiz: <span lang="fr">[^<]+</span></h1>', quiz)
    # The French interface adds no lang to French content.
    post_form(client, "/language", {"locale": "fr", "next": "/dashboard"}, form_page="/dashboard")
    assert 'lang="fr"' not in client.get("/catalog").get_data(as_text=True).split("<main", 1)[1]


def test_catalogue_is_collapsed_by_course_and_skill_and_searched_on_the_server(env):
    client = env[2]
    page = client.get("/catalog").get_data(as_text=True)
    assert page.count('<details class="catalog-course">') == 2
    assert '<details class="catalog-skill">' in page
    found = client.get("/catalog?q=ecouter").get_data(as_text=True)  # accents ignored
    assert "Écouter" in found and 'id="course-entrepreneurship"' not in found
    assert '<details class="catalog-course" open>' in found
    assert "1 résultat" in found or "2 résultats" in found
    nothing = client.get("/catalog?q=zzzz").get_data(as_text=True)
    assert "Rien ne correspond à votre recherche." in nothing
    assert client.get("/catalog?q=" + "x" * 5000).status_code == 200


def test_the_grid_is_also_a_list_per_skill_with_the_placement(env):
    _app, db, client, learner, _other = env
    tf.placement(db, learner, skill_id="ecoute", level=2)
    db.commit()
    page = client.get("/dashboard").get_data(as_text=True)
    listed = page.split('<ul class="competency-list"', 1)[1].split("</ul>\n{% endmacro", 1)[0]
    for n in range(1, 5):
        assert f"Niveau {n} : " in listed
    assert "commencer au niveau 2" in listed
    assert "commencer au niveau 2" in page.split('class="table competency-grid"', 1)[1]


def test_trainer_pages_in_english_mark_french_titles_too(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "lang", learners=1)
    lea = world["learners"][0]
    tf.progress(db, lea, "ecoute-1", "mastered")
    db.commit()
    trainer = small_app.test_client()
    sign_in(trainer, world["trainer"].username)
    post_form(trainer, "/language", {"locale": "en", "next": "/trainer/"}, form_page="/trainer/")
    record = trainer.get(f"/trainer/learners/{lea.id}/training-record").get_data(as_text=True)
    assert re.search(r'<th scope="row" lang="fr">Écouter : niveau 1</th>', record)
    db.close()
