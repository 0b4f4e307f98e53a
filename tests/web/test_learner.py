"""The learner's pages, without JavaScript: plain forms and links."""

from __future__ import annotations

import re

from flask_babel import force_locale, gettext
from sqlalchemy import delete, func, select

from learn.models import (
    HelpRequest,
    ModuleProgress,
    PlacementResult,
    QuizAttempt,
    SelfAssessment,
    WorkshopAnswer,
)
from tests.conftest import csrf_token, sign_in

TICKET_RE = re.compile(r'name="ticket" value="([^"]+)"')


def count(session, model, **where):
    session.rollback()  # a fresh snapshot: see what the requests committed
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return session.scalar(stmt)


def quiz_form(client, module_id):
    page = client.get(f"/modules/{module_id}/quiz")
    assert page.status_code == 200, page.status_code
    text = page.get_data(as_text=True)
    return text, TICKET_RE.search(text).group(1), csrf_token(client, f"/modules/{module_id}/end")


def test_dashboard_and_catalog(env):
    _app, _db, client, _learner, _other = env
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Continuer" in page and "Écouter" in page
    catalog = client.get("/skills/ecoute").get_data(as_text=True)
    assert "Plus tard" in catalog  # level 2 is shown as later, with its reason
    assert client.get("/modules/ecoute-2").status_code == 403


def test_reading_remembers_the_place_and_variant_switch_keeps_it(env):
    _app, db, client, learner, _other = env
    first = client.get("/modules/ecoute-1")
    assert first.headers["Location"].endswith("/modules/ecoute-1/read/travail")
    assert client.get(first.headers["Location"]).status_code == 200
    assert client.get("/modules/ecoute-1/read/signes").status_code == 200
    db.rollback()
    row = db.scalar(select(ModuleProgress).where(ModuleProgress.user_id == learner.id))
    assert row.last_section == "signes" and row.status == "completed"
    # A new browser (no cookie state but the sign-in) resumes at the same part.
    fresh = env[0].test_client()
    sign_in(fresh, "lea")
    assert fresh.get("/modules/ecoute-1").headers["Location"].endswith("/read/signes")
    easy = client.get("/modules/ecoute-1/read/signes?variant=easy")
    assert easy.status_code == 200
    with env[0].test_request_context(), force_locale("fr"):
        back = gettext("Standard version")  # its English text until the catalogue has it
    assert back in easy.get_data(as_text=True)
    assert 'href="/modules/ecoute-1/read/signes?variant=standard"' in easy.get_data(as_text=True)


def test_unknown_module_or_section_is_404(env):
    client = env[2]
    assert client.get("/modules/nope").status_code == 404
    assert client.get("/modules/ecoute-1/read/nope").status_code == 404
    assert client.get("/skills/nope").status_code == 404


def test_quiz_fail_see_corrections_retry_master(env):
    _app, db, client, learner, _other = env
    _text, ticket, token = quiz_form(client, "ecoute-1")
    answer_page = _text
    assert "Oui, vous vérifiez." not in answer_page  # no feedback before answering
    response = client.post(
        "/modules/ecoute-1/quiz", data={"csrf_token": token, "ticket": ticket, "q-q1": "a"}
    )
    assert response.status_code == 302
    corrections = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pas encore réussi" in corrections or "Not passed" in corrections
    assert "Reformuler permet de vérifier." in corrections
    _text, ticket, token = quiz_form(client, "ecoute-1")
    client.post(
        "/modules/ecoute-1/quiz",
        data={
            "csrf_token": token,
            "ticket": ticket,
            "q-q1": "b",
            "q-q2": "a",
            "q-q3": "reformuler",
        },
    )
    db.rollback()
    row = db.scalar(select(ModuleProgress).where(ModuleProgress.user_id == learner.id))
    assert row.status == "mastered" and row.attempts == 2
    # Level 2 is now open.
    assert client.get("/modules/ecoute-2").status_code == 302


def test_resent_quiz_form_records_one_attempt(env):
    _app, db, client, learner, _other = env
    _text, ticket, token = quiz_form(client, "ecoute-1")
    data = {"csrf_token": token, "ticket": ticket, "q-q1": "b"}
    first = client.post("/modules/ecoute-1/quiz", data=data)
    second = client.post("/modules/ecoute-1/quiz", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, QuizAttempt, user_id=learner.id) == 1


def test_a_form_older_than_the_learners_record_is_opened_again_not_a_500(env):
    """Attempts removed since the form was opened (a backup restored, say): the form's attempt
    number leads nowhere; the quiz comes back with the answers kept and a message."""
    _app, db, client, learner, _other = env
    _text, ticket, token = quiz_form(client, "ecoute-1")
    client.post("/modules/ecoute-1/quiz", data={"csrf_token": token, "ticket": ticket})
    _text, second, token = quiz_form(client, "ecoute-1")  # attempt 2
    db.execute(delete(QuizAttempt))
    db.commit()
    response = client.post(
        "/modules/ecoute-1/quiz",
        data={"csrf_token": token, "ticket": second, "q-q3": "mes mots"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "mes mots" in page and "plus à jour" in page
    assert count(db, QuizAttempt) == 0
    fresh = TICKET_RE.search(page).group(1)
    again = client.post(
        "/modules/ecoute-1/quiz", data={"csrf_token": token, "ticket": fresh, "q-q3": "mes mots"}
    )
    assert again.status_code == 302 and count(db, QuizAttempt, user_id=learner.id) == 1


def test_tampered_ticket_is_refused(env):
    _app, db, client, _learner, _other = env
    _text, ticket, token = quiz_form(client, "ecoute-1")
    response = client.post(
        "/modules/ecoute-1/quiz", data={"csrf_token": token, "ticket": ticket[:-3] + "abc"}
    )
    assert response.status_code == 400
    assert count(db, QuizAttempt) == 0


def test_practice_check_gives_feedback_at_once_and_keeps_answers(env):
    client = env[2]
    _text, ticket, token = quiz_form(client, "ecoute-1")
    response = client.post(
        "/modules/ecoute-1/quiz/check?q=q1",
        data={"csrf_token": token, "ticket": ticket, "q-q1": "b", "q-q3": "mon texte"},
    )
    text = response.get_data(as_text=True)
    assert "Oui, vous vérifiez." in text
    assert 'value="mon texte"' in text
    assert "Si, cela aide." not in text  # only the checked question's feedback


def test_malformed_answers_never_break_the_quiz(env):
    _app, db, client, _learner, _other = env
    _text, ticket, token = quiz_form(client, "ecoute-1")
    response = client.post(
        "/modules/ecoute-1/quiz",
        data={"csrf_token": token, "ticket": ticket, "q-q1": "zzz", "q-q3": "x" * 5000},
    )
    assert response.status_code == 302
    assert count(db, QuizAttempt) == 1


def test_another_learners_attempt_is_404(env):
    app, db, client, _learner, other = env
    other_client = app.test_client()
    sign_in(other_client, "other")
    _text, ticket, token = quiz_form(other_client, "ecoute-1")
    response = other_client.post(
        "/modules/ecoute-1/quiz", data={"csrf_token": token, "ticket": ticket, "q-q1": "b"}
    )
    attempt_url = response.headers["Location"]
    assert other_client.get(attempt_url).status_code == 200
    assert client.get(attempt_url).status_code == 404


def test_workshop_draft_submit_and_overlong_refusal(env):
    _app, db, client, learner, _other = env
    url = "/modules/es-social/workshop"
    token = csrf_token(client, url)
    long_text = "é" * 20_001
    refused = client.post(url, data={"csrf_token": token, "p-mission": long_text, "action": "save"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert long_text in page  # nothing lost: the text is still in the box
    assert count(db, WorkshopAnswer) == 0
    saved = client.post(
        url, data={"csrf_token": token, "p-mission": "Aider\r\nles voisins", "action": "save"}
    )
    assert saved.status_code == 302
    db.rollback()
    row = db.scalar(select(WorkshopAnswer).where(WorkshopAnswer.user_id == learner.id))
    assert row.status == "draft" and row.answers["mission"] == "Aider\nles voisins"
    client.post(url, data={"csrf_token": token, "p-mission": "Aider", "action": "submit"})
    db.rollback()
    row = db.scalar(select(WorkshopAnswer).where(WorkshopAnswer.user_id == learner.id))
    assert row.status == "submitted" and row.version == 1
    locked = client.post(url, data={"csrf_token": token, "p-mission": "x", "action": "save"})
    assert locked.status_code == 400


def test_workshop_autosave_answers_json(env):
    client = env[2]
    url = "/modules/es-social/workshop"
    token = csrf_token(client, url)
    response = client.post(
        url,
        data={"csrf_token": token, "p-mission": "brouillon", "action": "save"},
        headers={"Accept": "application/json"},
    )
    assert response.get_json() == {"saved": True, "status": "draft"}


def test_self_assessment_is_stored_with_its_date(env):
    _app, db, client, learner, _other = env
    token = csrf_token(client, "/modules/ecoute-1/end")
    incomplete = client.post("/modules/ecoute-1/selfcheck", data={"csrf_token": token, "o1": "3"})
    assert incomplete.status_code == 302 and count(db, SelfAssessment) == 0
    client.post("/modules/ecoute-1/selfcheck", data={"csrf_token": token, "o1": "3", "o2": "4"})
    db.rollback()
    row = db.scalar(select(SelfAssessment).where(SelfAssessment.user_id == learner.id))
    assert row.ratings == {"o1": 3, "o2": 4} and row.created_at is not None


def test_help_request_reaches_the_database_once(env):
    _app, db, client, learner, _other = env
    token = csrf_token(client, "/modules/ecoute-1/end")
    for _ in range(2):
        response = client.post(
            "/modules/ecoute-1/help",
            data={"csrf_token": token, "message": "Je ne comprends pas", "back": "//evil"},
        )
        assert response.headers["Location"] == "/modules/ecoute-1"
    assert count(db, HelpRequest, user_id=learner.id) == 1


def test_placement_recommends_and_opens_levels(env):
    _app, db, client, learner, _other = env
    assert client.get("/modules/ecoute-2").status_code == 403  # level 1 not mastered yet
    token = csrf_token(client, "/skills/ecoute/placement")
    response = client.post(
        "/skills/ecoute/placement",
        data={
            "csrf_token": token,
            "level-1": "4",
            "level-2": "2",
            "level-3": "1",
            "q-p1": "a",
            "q-p2": "a",
            "q-p3": "b",
        },
    )
    assert response.status_code == 200
    assert "niveau de départ : 2" in response.get_data(as_text=True).lower()
    db.rollback()
    row = db.scalar(select(PlacementResult).where(PlacementResult.user_id == learner.id))
    assert row.recommended_level == 2
    assert client.get("/modules/ecoute-2").status_code == 302
    assert client.get("/modules/ecoute-2/quiz").status_code == 200
    assert "Votre positionnement recommande le niveau 2" in client.get("/skills/ecoute").get_data(
        as_text=True
    )


def test_placement_without_ratings_says_what_is_missing(env):
    _app, db, client, _learner, _other = env
    token = csrf_token(client, "/skills/ecoute/placement")
    response = client.post("/skills/ecoute/placement", data={"csrf_token": token})
    assert response.status_code == 400
    assert count(db, PlacementResult) == 0


def test_english_interface(env):
    client = env[2]
    from tests.conftest import post_form

    post_form(client, "/language", {"locale": "en", "next": "/dashboard"}, form_page="/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Continue" in page and 'lang="en"' in page
    assert "Social (en standard)" in client.get("/catalog").get_data(as_text=True)


def test_the_autosave_words_come_in_the_pages_language(env):
    """autosave.js says "saving", "saved", "not saved" and "no connection" with the words the
    server gives the form, in the learner's language (not French or English only)."""
    client = env[2]
    for language, saving in (("de", "Wird gespeichert …"), ("it", "Salvataggio…")):
        token = csrf_token(client, "/dashboard")
        client.post("/language", data={"csrf_token": token, "locale": language})
        page = client.get("/modules/es-social/workshop").get_data(as_text=True)
        assert f'data-msg-saving="{saving}"' in page, language
        assert 'data-msg-offline="' in page and 'data-msg-failed="' in page
