"""Validation at the workstation: a trainer validates a competence citing the learner's evidence,
withdraws it with a reason; refusals; the learner's view; the attestation PDF."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from learn.models import AuditEvent, Evidence, Validation
from learn.models.people import utcnow
from tests import trainer_factories as tf
from tests.conftest import csrf_token, sign_in

REF = "agent-proprete"


@pytest.fixture
def env(app_factory, real_catalog):
    app = app_factory()
    db = app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "g", learners=1)
    world["stranger"] = tf.organisation_with_group(db, "h", learners=0)["trainer"]
    learner = world["learners"][0]
    competence = real_catalog.get().referentiel(REF).competences[0]
    evidence = tf.text_evidence(db, learner, f"{REF}/{competence.id}")
    db.commit()
    yield {
        "app": app,
        "db": db,
        "world": world,
        "learner": learner,
        "c": competence,
        "e": evidence,
        "all": real_catalog.get().referentiel(REF).competences,
    }
    db.close()


def page_url(env):
    return f"/trainer/learners/{env['learner'].id}/referentiels/{REF}"


def trainer_client(env):
    client = env["app"].test_client()
    sign_in(client, env["world"]["trainer"].username)
    return client


def post_validation(client, env, **over):
    data = {
        "csrf_token": csrf_token(client, page_url(env)),
        "competence": env["c"].id,
        "step": env["c"].scale[-1].id,
        "source": f"evidence:{env['e'].id}",
        "decided_on": "2026-12-01",
        "comment": "",
    }
    data.update(over)
    return client.post(page_url(env), data=data)


def test_a_trainer_validates_then_withdraws_with_a_reason(env):
    client = trainer_client(env)
    page = client.get(page_url(env)).get_data(as_text=True)
    assert env["c"].title.get("fr") in page and f"evidence:{env['e'].id}" in page
    assert post_validation(client, env).status_code == 302
    db = env["db"]
    found = db.scalar(select(Validation))
    assert found.sources == [{"kind": "evidence", "id": env["e"].id}] and found.in_force
    withdraw = f"/trainer/learners/{env['learner'].id}/validations/{found.id}/withdraw"
    token = csrf_token(client, page_url(env))
    assert client.post(withdraw, data={"csrf_token": token, "reason": ""}).status_code == 400
    db.rollback()
    assert db.scalar(select(Validation)).in_force
    response = client.post(withdraw, data={"csrf_token": token, "reason": "Erreur de dossier"})
    assert response.status_code == 302
    db.rollback()
    kept = db.scalar(select(Validation))
    assert not kept.in_force and kept.withdrawal_reason == "Erreur de dossier"
    actions = set(db.scalars(select(AuditEvent.action)))
    assert {"validation.decide", "validation.withdraw"} <= actions


def test_refusals(env):
    client = trainer_client(env)
    assert post_validation(client, env, source="evidence:999999").status_code == 400
    assert post_validation(client, env, csrf_token="").status_code == 400
    assert post_validation(client, env, step="").status_code == 400
    env["db"].rollback()
    assert env["db"].scalar(select(Validation)) is None
    env["db"].rollback()
    learner_client = env["app"].test_client()
    sign_in(learner_client, env["learner"].username)
    assert learner_client.get(page_url(env)).status_code == 403
    stranger = env["app"].test_client()
    sign_in(stranger, env["world"]["stranger"].username)
    assert stranger.get(page_url(env)).status_code == 404


def test_the_learner_view_and_the_attestation_pdf(env):
    client = trainer_client(env)
    post_validation(client, env)
    learner_client = env["app"].test_client()
    sign_in(learner_client, env["learner"].username)
    page = learner_client.get(f"/referentiels/{REF}").get_data(as_text=True)
    assert "Validé" in page and env["c"].title.get("fr") in page
    response = client.get(page_url(env) + "/attestation.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    html = client.get(page_url(env) + "/attestation").get_data(as_text=True)
    assert env["c"].title.get("fr") in html and env["learner"].display_name in html
    assert learner_client.get(f"/referentiels/{REF}/attestation.pdf").data[:4] == b"%PDF"


def pdf_text(app, learner_id, ref) -> str:
    """The words laid out in the attestation's pages (WeasyPrint's boxes, before the PDF)."""
    from flask_login import login_user

    from learn.models import User
    from learn.web import attestations
    from learn.web.transactions import db

    with app.test_request_context():
        learner = db().get(User, learner_id)
        login_user(learner)
        pages = attestations.document(learner, ref).pages
        return " ".join(
            box.text
            for page in pages
            for box in page._page_box.descendants()
            if getattr(box, "text", None)
        )


def test_the_pdf_says_the_learner_and_the_competences_validated(env, real_catalog):
    post_validation(trainer_client(env), env)
    ref = real_catalog.get().referentiel(REF)
    text = " ".join(pdf_text(env["app"], env["learner"].id, ref).split())
    assert "Attestation de compétences" in text  # the learner's language: French
    assert env["learner"].display_name in text
    assert " ".join(env["c"].title.get("fr").split()) in text
    assert "Coach g" in text  # the assessor


@pytest.mark.parametrize(
    ("locale", "title"),
    [("de", "Kompetenznachweis"), ("it", "Attestato di competenze"), ("en", "Attestation of")],
)
def test_the_pdf_is_in_the_learner_s_language(env, real_catalog, locale, title):
    env["learner"].locale = locale
    env["db"].commit()
    post_validation(trainer_client(env), env)
    ref = real_catalog.get().referentiel(REF)
    text = " ".join(pdf_text(env["app"], env["learner"].id, ref).split())
    assert title in text and "Attestation de compétences" not in text


def observe(env, skill_id: str, level: int):
    from learn.models import Observation

    learner = env["learner"]
    observation = Observation(
        organisation_id=learner.organisation_id,
        user_id=learner.id,
        skill_id=skill_id,
        level=level,
        observed_on=utcnow().date(),
        situation="Réunion d'équipe",
        evidence="Écoute sans couper",
        behaviours=[],
        validated=False,
        observer_id=env["world"]["trainer"].id,
        observer_name="Coach g",
        recorded_by_id=env["world"]["trainer"].id,
        recorded_by_name="Coach g",
        created_at=utcnow(),
    )
    env["db"].add(observation)
    env["db"].commit()
    return observation


def test_a_skill_level_validated_by_a_trainer_shows_on_the_grid_with_who_and_on_what(env):
    obs = observe(env, "ecoute", 3)
    client = trainer_client(env)
    url = f"/trainer/learners/{env['learner'].id}/skills/ecoute/levels/3/validation"
    page = client.get(url).get_data(as_text=True)
    assert f'value="observation:{obs.id}"' in page
    token = csrf_token(client, url)
    data = {"csrf_token": token, "decided_on": "2026-12-01", "source": f"observation:{obs.id}"}
    assert client.post(url, data=data).status_code == 302
    grid = client.get(f"/trainer/learners/{env['learner'].id}").get_data(as_text=True)
    assert "Validé par Coach g le 01/12/2026, sur 1 source" in grid
    learner_client = env["app"].test_client()
    sign_in(learner_client, env["learner"].username)
    # the learner's own grid shows it too, and the learner cannot validate
    own = dict(data, csrf_token=csrf_token(learner_client, "/evidence/new"))
    assert learner_client.post(url, data=own).status_code == 403
    # a second validation of the same level is refused until the first is withdrawn
    assert client.post(url, data=data).status_code == 400


def test_the_referentiel_page_runs_the_same_queries_whatever_the_evidence(env):
    client = trainer_client(env)
    engine = env["app"].extensions["learn.engine"]
    client.get(page_url(env))
    with tf.count_queries(engine) as few:
        assert client.get(page_url(env)).status_code == 200
    db, learner = env["db"], env["learner"]
    for competence in env["all"][:6]:
        for _n in range(3):
            db.add(
                Evidence(
                    organisation_id=learner.organisation_id,
                    learner_id=learner.id,
                    target_kind="competence",
                    target_ref=f"{REF}/{competence.id}",
                    kind="text",
                    note="encore",
                    size=0,
                    created_at=utcnow(),
                )
            )
    db.commit()
    observe(env, "ecoute", 3)
    post_validation(client, env)
    with tf.count_queries(engine) as many:
        assert client.get(page_url(env)).status_code == 200
    assert len(many) == len(few)


def test_the_learner_finds_the_referentiel_from_the_dashboard(env):
    learner_client = env["app"].test_client()
    sign_in(learner_client, env["learner"].username)
    page = learner_client.get("/dashboard").get_data(as_text=True)
    assert f'href="/referentiels/{REF}"' in page
    view = learner_client.get(f"/referentiels/{REF}").get_data(as_text=True)
    assert f"target=competence:{REF}/{env['c'].id}" in view.replace("%3A", ":").replace("%2F", "/")
    assert learner_client.get("/referentiels/nope").status_code == 404


def test_withdrawing_is_refused_without_csrf_and_for_another_learner(env):
    client = trainer_client(env)
    post_validation(client, env)
    env["db"].rollback()
    found = env["db"].scalar(select(Validation))
    env["db"].rollback()
    url = f"/trainer/learners/{env['learner'].id}/validations/{found.id}/withdraw"
    assert client.post(url, data={"reason": "Erreur"}).status_code == 400
    token = csrf_token(client, page_url(env))
    other = f"/trainer/learners/{env['world']['trainer'].id}/validations/{found.id}/withdraw"
    assert client.post(other, data={"csrf_token": token, "reason": "Erreur"}).status_code == 404
    stranger = env["app"].test_client()
    sign_in(stranger, env["world"]["stranger"].username)
    theirs = csrf_token(stranger, "/trainer/")
    assert stranger.post(url, data={"csrf_token": theirs, "reason": "x"}).status_code == 404
    bad = client.post(
        page_url(env), data={"csrf_token": token, "competence": "nope", "decided_on": "x"}
    )
    assert bad.status_code == 404
    env["db"].rollback()
    assert env["db"].scalar(select(Validation)).in_force


def test_a_validated_competence_is_issued_as_a_badge_that_the_attestation_points_to(env):
    from learn.models import IssuedCredential

    client = trainer_client(env)
    post_validation(client, env)
    html = client.get(page_url(env) + "/attestation").get_data(as_text=True)
    assert "/credentials/" not in html and "<svg" not in html
    page = client.get(page_url(env)).get_data(as_text=True)
    credentials_page = f"/trainer/learners/{env['learner'].id}/credentials"
    assert f'href="{credentials_page}#earned-title"' in page
    listed = client.get(credentials_page).get_data(as_text=True)
    ref = f"{REF}/{env['c'].id}"
    assert f'value="{ref}"' in listed and 'value="competence"' in listed
    token = csrf_token(client, credentials_page)
    issue = credentials_page + "/issue"
    refused = client.post(issue, data={"csrf_token": "", "kind": "competence", "ref": ref})
    assert refused.status_code == 400
    answer = client.post(issue, data={"csrf_token": token, "kind": "competence", "ref": ref})
    assert answer.status_code == 302
    env["db"].rollback()
    row = env["db"].scalar(select(IssuedCredential))
    assert row.kind == "competence" and row.subject_ref == ref
    html = client.get(page_url(env) + "/attestation").get_data(as_text=True)
    assert f"http://localhost/credentials/{row.id}" in html and "<svg" in html
    public = env["app"].test_client().get(f"/credentials/{row.id}").get_data(as_text=True)
    assert env["c"].title.get("fr") in public
    assert client.get(page_url(env) + "/attestation.pdf").data.startswith(b"%PDF")
