"""Workplace tutors (issue 19): a trainer creates a tutor (code card, no e-mail) and links
learners; a tutor sees only the linked learners and assesses them on a form that keeps a draft;
the learner reads it and replies; the trainer reads both. Every refusal is tried."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from learn.models import AuditEvent, Role, TutorLink, User, WorkplaceAssessment
from tests import trainer_factories as tf
from tests.conftest import csrf_token, sign_in

ASSESS = "/tutor/learners/{id}/assess?referentiel=essai&competence=ecouter-client"


@pytest.fixture
def env(small_app):
    """Organisation a: a trainer, two learners, tutor a1 linked to learner 0, tutor a2 linked
    to learner 1. Organisation b: the same shape."""
    db = small_app.extensions["learn.sessions"]()
    sides = {}
    for label in ("a", "b"):
        side = tf.organisation_with_group(db, label, learners=2)
        first, second = side["learners"]
        side["tutor"] = tf.tutor(db, side["org"], f"{label}1", [first], company="Le Port")
        side["other_tutor"] = tf.tutor(db, side["org"], f"{label}2", [second])
        side["sent"] = tf.workplace_assessment(db, side["tutor"], first)
        side["draft"] = tf.workplace_assessment(db, side["tutor"], first, status="draft")
        sides[label] = side
    db.commit()
    yield small_app, db, sides["a"], sides["b"]
    db.close()


def client_for(app, username):
    client = app.test_client()
    assert sign_in(client, username).status_code == 302, username
    return client


def ids_of(side) -> dict:
    learner = side["learners"][0]
    return {
        "learner_id": learner.id,
        "user_id": learner.id,
        "tutor_id": side["tutor"].id,
        "assessment_id": side["sent"].id,
        "group_id": side["group"].id,
        "attempt_id": 1,
        "answer_id": 1,
        "help_request_id": 1,
        "assignment_id": 1,
        "workshop_answer_id": 1,
        "help_id": 1,
        "staff_id": side["trainer"].id,
        "evidence_id": 1,
        "level": 3,
        "validation_id": 1,
    }


def build(rule, ids) -> str:
    values = {}
    for arg in rule.arguments:
        if isinstance(rule._converters[arg], IntegerConverter):
            values[arg] = ids[arg]
        else:
            values[arg] = {
                "referentiel_id": "essai",
                "guide_key": "ecoute",
                "skill_id": "ecoute",
                "kind": "csv",
            }.get(arg, "x")
    return rule.build(values, append_unknown=False)[1]


def rules(app, prefix: str, method: str):
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if r.endpoint.startswith(prefix) and method in r.methods
        ),
        key=lambda r: r.rule,
    )


def assessment_form(client, learner_id, **data):
    url = ASSESS.format(id=learner_id)
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="form_token"[^>]*value="([^"]+)"', page)
    form = {
        "csrf_token": csrf_token(client, url),
        "form_token": token.group(1),
        "referentiel": "essai",
        "competence": "ecouter-client",
    }
    form.update(data)
    return url, form


# --- the trainer's side -------------------------------------------------------------------------


def test_a_trainer_creates_a_tutor_with_a_code_card_and_no_email(env):
    app, db, a, _b = env
    client = client_for(app, a["trainer"].username)
    token = csrf_token(client, "/trainer/tutors/new")
    response = client.post(
        "/trainer/tutors/new",
        data={"csrf_token": token, "display_name": "Paul Morel", "company": "Jardins de l'Est"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "paul.morel" in page and 'class="big code"' in page
    db.rollback()
    tutor = db.scalar(select(User).where(User.username == "paul.morel"))
    assert tutor.role == Role.TUTOR and tutor.email is None and tutor.password_hash is None
    assert tutor.company == "Jardins de l'Est"
    assert "Paul Morel" in client.get("/trainer/tutors").get_data(as_text=True)


def test_a_tutor_form_with_bad_input_is_refused_with_its_reasons(env):
    app, db, a, _b = env
    client = client_for(app, a["trainer"].username)
    token = csrf_token(client, "/trainer/tutors/new")
    response = client.post(
        "/trainer/tutors/new",
        data={"csrf_token": token, "display_name": "", "company": "x" * 201},
    )
    assert response.status_code == 400
    assert db.scalar(select(func.count()).select_from(User).where(User.role == "tutor")) == 4


def test_a_trainer_links_and_unlinks_a_learner_and_it_is_audited(env):
    app, db, a, _b = env
    client = client_for(app, a["trainer"].username)
    tutor, second = a["tutor"], a["learners"][1]
    url = f"/trainer/tutors/{tutor.id}"
    token = csrf_token(client, url)
    assert (
        client.post(url + "/links", data={"csrf_token": token, "learner": second.id}).status_code
        == 302
    )
    again = client.post(url + "/links", data={"csrf_token": token, "learner": second.id})
    assert again.status_code == 302  # refused with a message, nothing doubled
    db.rollback()
    live = (
        select(func.count())
        .select_from(TutorLink)
        .where(TutorLink.tutor_id == tutor.id, TutorLink.ended_at.is_(None))
    )
    assert db.scalar(live) == 2
    tutor_client = client_for(app, tutor.username)
    assert tutor_client.get(f"/tutor/learners/{second.id}").status_code == 200
    ended = client.post(f"{url}/links/{second.id}/end", data={"csrf_token": token})
    assert ended.status_code == 302
    db.rollback()
    assert db.scalar(live) == 1
    assert tutor_client.get(f"/tutor/learners/{second.id}").status_code == 404
    actions = set(db.scalars(select(AuditEvent.action)))
    assert {"tutor.link", "tutor.unlink"} <= actions


def test_a_trainer_cannot_link_another_organisations_learner_or_tutor(env):
    app, _db, a, b = env
    client = client_for(app, a["trainer"].username)
    token = csrf_token(client, "/trainer/tutors")
    own = f"/trainer/tutors/{a['tutor'].id}/links"
    outsider = b["learners"][0].id
    assert client.post(own, data={"csrf_token": token, "learner": outsider}).status_code == 404
    assert client.post(own, data={"csrf_token": token, "learner": "abc"}).status_code == 404
    assert client.get(f"/trainer/tutors/{b['tutor'].id}").status_code == 404
    # A learner's id is not a tutor's.
    assert client.get(f"/trainer/tutors/{a['learners'][0].id}").status_code == 404


def test_the_trainer_sees_tutor_assessments_and_replies_on_the_learner_page(env):
    app, db, a, _b = env
    a["sent"].reply = "Merci, je vais continuer."
    db.commit()
    client = client_for(app, a["trainer"].username)
    page = client.get(f"/trainer/learners/{a['learners'][0].id}").get_data(as_text=True)
    assert "A bien reformulé." in page and "Merci, je vais continuer." in page
    assert "Tutor a1" in page and "Le Port" in page
    assert page.count("A bien reformulé.") == 1  # the draft is not shown


# --- the tutor's scope --------------------------------------------------------------------------


def test_a_tutor_sees_only_linked_learners(env):
    app, _db, a, _b = env
    client = client_for(app, a["tutor"].username)
    home = client.get("/").headers["Location"]
    assert home.endswith("/tutor/")
    page = client.get("/tutor/").get_data(as_text=True)
    assert a["learners"][0].display_name in page
    assert a["learners"][1].display_name not in page
    learner_page = client.get(f"/tutor/learners/{a['learners'][0].id}").get_data(as_text=True)
    assert "Métier d&#39;essai" in learner_page and "A bien reformulé." in learner_page


def test_a_tutor_gets_403_on_every_trainer_admin_and_learner_route(env):
    app, _db, a, _b = env
    client = client_for(app, a["tutor"].username)
    token = csrf_token(client, "/tutor/")
    checked = 0
    for prefix in ("trainer.", "admin.", "learner."):
        for method in ("GET", "POST"):
            for rule in rules(app, prefix, method):
                url = build(rule, ids_of(a))
                response = (
                    client.get(url)
                    if method == "GET"
                    else client.post(url, data={"csrf_token": token})
                )
                assert response.status_code == 403, (method, url, response.status_code)
                checked += 1
    assert checked >= 60


def test_another_tutor_of_the_same_organisation_gets_404_on_every_tutor_route(env):
    app, _db, a, _b = env
    client = client_for(app, a["other_tutor"].username)
    token = csrf_token(client, "/tutor/")
    checked = 0
    for method in ("GET", "POST"):
        for rule in rules(app, "tutor.", method):
            if "learner_id" not in rule.arguments:
                continue
            url = build(rule, ids_of(a)) + "?referentiel=essai&competence=ecouter-client"
            response = (
                client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            )
            assert response.status_code == 404, (method, url, response.status_code)
            checked += 1
    assert checked >= 3


def test_tutor_routes_refuse_everyone_but_tutors(env):
    app, _db, a, _b = env
    for username in (a["trainer"].username, a["admin"].username, a["learners"][0].username):
        client = client_for(app, username)
        for rule in rules(app, "tutor.", "GET"):
            assert client.get(build(rule, ids_of(a))).status_code == 403, (username, rule.rule)
    anonymous = app.test_client()
    for rule in rules(app, "tutor.", "GET"):
        assert anonymous.get(build(rule, ids_of(a))).status_code == 302


def test_an_unknown_competence_or_skill_level_is_404(env):
    app, _db, a, _b = env
    client = client_for(app, a["tutor"].username)
    base = f"/tutor/learners/{a['learners'][0].id}/assess"
    for query in (
        "?referentiel=essai&competence=nope",
        "?referentiel=nope&competence=ecouter-client",
        "?skill=ecoute&level=9",
        "?skill=nope&level=1",
        "",
    ):
        assert client.get(base + query).status_code == 404, query
    assert client.get(base + "?skill=ecoute&level=2").status_code == 200


# --- the assessment form ------------------------------------------------------------------------


def test_a_draft_survives_a_reload_then_is_sent_once(env):
    app, db, a, _b = env
    learner = a["learners"][0]
    client = client_for(app, a["other_tutor"].username)  # no draft of theirs yet
    db.add(
        TutorLink(organisation_id=a["org"].id, tutor_id=a["other_tutor"].id, learner_id=learner.id)
    )
    db.commit()
    url, form = assessment_form(
        client,
        learner.id,
        criterion=["reformule"],
        step="alone",
        note="Reformule bien.",
        place="Rayon frais",
        action="draft",
    )
    assert client.post(url, data=form).status_code == 302
    again = client.get(url).get_data(as_text=True)
    assert "Reformule bien." in again and 'value="Rayon frais"' in again
    assert re.search(r'value="reformule" checked', again)
    assert re.search(r'value="alone" checked', again)
    assert form["form_token"] in again  # the same draft goes on
    form.update(action="send", assessed_on=date.today().isoformat())
    assert client.post(url, data=form).status_code == 302
    assert client.post(url, data=form).status_code == 302  # a double click
    db.rollback()
    rows = list(
        db.scalars(
            select(WorkplaceAssessment).where(WorkplaceAssessment.tutor_id == a["other_tutor"].id)
        )
    )
    assert len(rows) == 1
    row = rows[0]
    assert row.status == "sent" and row.sent_at is not None
    assert row.criteria == [{"id": "reformule", "text": "Reformule la demande"}]
    assert (row.scale_step_id, row.scale_step_label) == ("alone", "Seul·e")
    assert row.referentiel_id == "essai" and len(row.referentiel_version) == 16
    assert row.tutor_name == "Tutor a2" and row.place == "Rayon frais"
    # A new form starts empty, with a new token.
    fresh = client.get(url).get_data(as_text=True)
    assert "Reformule bien." not in fresh and form["form_token"] not in fresh


def test_a_failed_sending_loses_nothing_and_writes_nothing(env):
    app, db, a, _b = env
    learner = a["learners"][1]
    client = client_for(app, a["other_tutor"].username)
    url, form = assessment_form(
        client,
        learner.id,
        criterion=["reformule", "questionne"],
        note="Un long texte tapé sur le téléphone.\nDeux lignes.",
        place="Caisse 3",
        assessed_on=(date.today() + timedelta(days=2)).isoformat(),
        action="send",
    )
    before = db.scalar(select(func.count()).select_from(WorkplaceAssessment))
    response = client.post(url, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Un long texte tapé sur le téléphone." in page and 'value="Caisse 3"' in page
    assert re.search(r'value="questionne" checked', page)
    assert form["form_token"] in page
    assert "futur" in page
    db.rollback()
    assert db.scalar(select(func.count()).select_from(WorkplaceAssessment)) == before


def test_bad_values_are_refused_with_messages(env):
    app, _db, a, _b = env
    learner = a["learners"][1]
    client = client_for(app, a["other_tutor"].username)
    for data in (
        {"criterion": ["invented"], "step": "alone", "action": "send"},
        {"step": "ten", "action": "draft"},
        {"note": "x" * 4001, "action": "draft"},
        {"place": "a\u202eb", "action": "draft"},
        {"form_token": "short", "action": "draft"},
    ):
        url, form = assessment_form(client, learner.id, assessed_on=date.today().isoformat())
        form.update(data)
        assert client.post(url, data=form).status_code == 400, data


def test_the_autosave_answers_json(env):
    app, db, a, _b = env
    learner = a["learners"][1]
    client = client_for(app, a["other_tutor"].username)
    url, form = assessment_form(client, learner.id, note="En cours", action="draft")
    saved = client.post(url, data=form, headers={"Accept": "application/json"})
    assert saved.status_code == 200 and saved.get_json() == {"saved": True, "status": "draft"}
    form["note"] = "x" * 4001
    refused = client.post(url, data=form, headers={"Accept": "application/json"})
    assert refused.status_code == 400 and refused.get_json()["errors"]
    db.rollback()
    row = db.scalar(select(WorkplaceAssessment).where(WorkplaceAssessment.note == "En cours"))
    assert row.status == "draft"


def test_a_soft_skill_level_is_assessed_on_the_built_in_scale(env):
    app, db, a, _b = env
    learner = a["learners"][1]
    client = client_for(app, a["other_tutor"].username)
    url = f"/tutor/learners/{learner.id}/assess?skill=ecoute&level=2"
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="form_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "form_token": token,
            "skill": "ecoute",
            "level": "2",
            "criterion": ["0"],
            "step": "with-help",
            "assessed_on": date.today().isoformat(),
            "action": "send",
        },
    )
    assert response.status_code == 302
    db.rollback()
    row = db.scalar(select(WorkplaceAssessment).where(WorkplaceAssessment.skill_id == "ecoute"))
    assert row.kind == "skill" and row.level == 2 and row.scale_step_id == "with-help"
    assert row.criteria and row.criteria[0]["id"] == "0"


def test_a_form_token_of_another_tutor_cannot_overwrite_their_draft(env):
    app, db, a, _b = env
    learner = a["learners"][0]
    db.add(
        TutorLink(organisation_id=a["org"].id, tutor_id=a["other_tutor"].id, learner_id=learner.id)
    )
    db.commit()
    client = client_for(app, a["other_tutor"].username)
    url, form = assessment_form(client, learner.id, note="Pris", action="draft")
    form["form_token"] = a["draft"].form_token
    assert client.post(url, data=form).status_code == 400
    db.rollback()
    assert db.get(WorkplaceAssessment, a["draft"].id).note == "A bien reformulé."


# --- the learner's side -------------------------------------------------------------------------


def test_the_learner_reads_what_the_tutor_saw_and_replies(env):
    app, db, a, _b = env
    learner = a["learners"][0]
    client = client_for(app, learner.username)
    assert "/workplace" in client.get("/dashboard").get_data(as_text=True)
    page = client.get("/workplace").get_data(as_text=True)
    assert "A bien reformulé." in page and "Tutor a1" in page and "Seul·e" in page
    assert page.count("A bien reformulé.") == 1  # not the draft
    token = csrf_token(client, "/workplace")
    sent_id = a["sent"].id
    url = f"/workplace/{sent_id}/reply"
    refused = client.post(url, data={"csrf_token": token, "reply": "y" * 4001})
    assert refused.status_code == 400 and "y" * 4001 in refused.get_data(as_text=True)
    assert client.post(url, data={"csrf_token": token, "reply": "Merci !"}).status_code == 302
    db.rollback()
    assert db.scalar(
        select(WorkplaceAssessment.reply).where(WorkplaceAssessment.id == sent_id)
    ) == ("Merci !")
    tutor_page = client_for(app, a["tutor"].username).get(f"/tutor/learners/{learner.id}")
    assert "Merci !" in tutor_page.get_data(as_text=True)


def test_a_learner_cannot_reply_to_anothers_assessment_or_to_a_draft(env):
    app, _db, a, b = env
    client = client_for(app, a["learners"][1].username)
    token = csrf_token(client, "/workplace")
    assert "A bien reformulé." not in client.get("/workplace").get_data(as_text=True)
    for target in (a["sent"].id, a["draft"].id, b["sent"].id, 2**63):
        response = client.post(
            f"/workplace/{target}/reply", data={"csrf_token": token, "reply": "x"}
        )
        assert response.status_code == 404, target
    owner = client_for(app, a["learners"][0].username)
    token = csrf_token(owner, "/workplace")
    response = owner.post(
        f"/workplace/{a['draft'].id}/reply", data={"csrf_token": token, "reply": "x"}
    )
    assert response.status_code == 404


def test_staff_do_not_use_the_learners_workplace_page(env):
    app, _db, a, _b = env
    client = client_for(app, a["trainer"].username)
    assert client.get("/workplace").status_code == 403


def test_a_trainer_limited_to_groups_sees_only_the_tutors_of_their_learners(env):
    app, db, a, _b = env
    from learn.models import Organisation
    from tests import factories

    outsider = factories.user(db, a["org"], username="not-mine", display_name="Not Mine")
    factories.group(db, a["org"], name="Other group", members=[outsider])
    theirs = tf.tutor(db, a["org"], "theirs", [outsider])
    fresh = tf.tutor(db, a["org"], "fresh")
    db.get(Organisation, a["org"].id).restrict_trainers_to_groups = True
    db.commit()
    client = client_for(app, a["trainer"].username)
    page = client.get("/trainer/tutors").get_data(as_text=True)
    assert "Tutor a1" in page and "Tutor fresh" in page and "Tutor theirs" not in page
    assert client.get(f"/trainer/tutors/{theirs.id}").status_code == 404
    assert client.get(f"/trainer/tutors/{fresh.id}").status_code == 200
    token = csrf_token(client, "/trainer/tutors")
    own = f"/trainer/tutors/{fresh.id}/links"
    assert client.post(own, data={"csrf_token": token, "learner": outsider.id}).status_code == 404
    admin = client_for(app, a["admin"].username)
    assert admin.get(f"/trainer/tutors/{theirs.id}").status_code == 200


def test_invisible_characters_are_refused_with_the_text_given_back(env):
    app, _db, a, _b = env
    learner = a["learners"][1]
    client = client_for(app, a["other_tutor"].username)
    url, form = assessment_form(client, learner.id, note="Bon travail\u202e ici", action="draft")
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert "Bon travail ici" in response.get_data(as_text=True)
    reader = client_for(app, a["learners"][0].username)
    token = csrf_token(reader, "/workplace")
    response = reader.post(
        f"/workplace/{a['sent'].id}/reply", data={"csrf_token": token, "reply": "Merci\x00 !"}
    )
    assert response.status_code == 400
    assert "Merci !" in response.get_data(as_text=True)


def test_a_tutor_chooses_a_password_under_the_staff_rules(env):
    app, db, a, _b = env
    from learn.services import tutoring

    created = tutoring.create_tutor(
        db, db.get(User, a["trainer"].id), display_name="Paul Morel", username="paul.morel"
    )
    db.commit()
    client = app.test_client()
    assert sign_in(client, "paul.morel", created.code).status_code == 302
    token = csrf_token(client, "/choose-password")
    short = "jardin vert"  # 11 characters: enough for a learner, not for a tutor
    response = client.post(
        "/choose-password", data={"csrf_token": token, "password": short, "confirm": short}
    )
    assert response.status_code == 400
    long_enough = "un jardin sous la pluie"
    response = client.post(
        "/choose-password",
        data={"csrf_token": token, "password": long_enough, "confirm": long_enough},
    )
    assert response.status_code == 302
    assert client.get("/tutor/").status_code == 200


def test_a_linked_tutor_sees_the_learners_evidence_and_no_other_tutor_does(env):
    app, db, a, b = env
    learner = a["learners"][0]
    lea = client_for(app, learner.username)
    sent = lea.post(
        "/evidence/new",
        data={
            "csrf_token": csrf_token(lea, "/evidence/new"),
            "target": "skill_level:ecoute/3",
            "note": "Au rayon frais, consigne réexpliquée à un client.",
        },
    )
    assert sent.status_code == 302
    db.rollback()
    from learn.models import Evidence

    evidence_id = db.scalar(select(Evidence.id).where(Evidence.learner_id == learner.id))
    tutor = client_for(app, a["tutor"].username)
    page = tutor.get(f"/tutor/learners/{learner.id}").get_data(as_text=True)
    assert "Au rayon frais, consigne réexpliquée à un client." in page
    # Another tutor of the same organisation, a tutor of another organisation, and the tutor
    # once the link has ended: the learner's evidence is not theirs to see.
    for other in (a["other_tutor"], b["tutor"]):
        assert (
            client_for(app, other.username).get(f"/evidence/{evidence_id}/file").status_code == 404
        )
    from learn.services import evidence as evidence_service

    db.rollback()
    other = db.get(User, a["other_tutor"].id)
    assert evidence_service.for_learner(db, other, learner) == []
    mine = db.get(User, a["tutor"].id)
    assert [e.id for e in evidence_service.for_learner(db, mine, learner)] == [evidence_id]
    link = db.scalar(select(TutorLink).where(TutorLink.tutor_id == mine.id))
    link.ended_at = link.created_at
    db.commit()
    assert evidence_service.for_learner(db, mine, learner) == []
