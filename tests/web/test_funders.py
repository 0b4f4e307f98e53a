"""The certificat de réalisation pages: print view, PDF made on the server, CSV lines, the group's
funder; and the refusals (another organisation's learner or group: 404; a learner: 403)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from learn.models import Group, HelpRequest, User
from tests import trainer_factories as tf
from tests.conftest import post_form, sign_in
from tests.web.test_trainer_reports import csv_table


@pytest.fixture
def env(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "f", learners=2)
    learner = world["learners"][0]
    tf.progress(db, learner, "ecoute-1", "mastered")
    tf.progress(db, learner, "ecoute-2", "mastered")
    asked = tf.help_request(db, learner, "ecoute-1", "Je ne comprends pas")
    asked.resolved_at = asked.created_at + timedelta(minutes=30)
    asked.resolved_by_id = world["trainer"].id
    asked.answer = "Regarde l'exemple de la partie 2."
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    yield small_app, db, world, learner, client
    db.close()


def test_the_learner_certificate_in_french(env):
    _app, _db, _world, learner, client = env
    page = client.get(f"/trainer/learners/{learner.id}/certificate")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Certificat de réalisation" in text
    assert "Regarde l&#39;exemple de la partie 2." in text
    assert "Coach f" in text and "Organisation f" in text


def test_the_learner_page_links_to_the_certificate(env):
    _app, _db, _world, learner, client = env
    page = client.get(f"/trainer/learners/{learner.id}").get_data(as_text=True)
    assert f"/trainer/learners/{learner.id}/certificate" in page


def test_the_pdf_is_made_on_the_server(env):
    _app, _db, _world, learner, client = env
    response = client.get(f"/trainer/learners/{learner.id}/certificate.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]


def test_the_group_pdf_has_a_page_per_learner(env):
    _app, _db, world, _learner, client = env
    response = client.get(f"/trainer/groups/{world['group'].id}/certificates.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    one = client.get(f"/trainer/learners/{world['learners'][0].id}/certificate.pdf").data
    assert len(response.data) > len(one)


def test_the_csv_lines_of_a_group(env):
    _app, _db, world, learner, client = env
    post_form(
        client,
        f"/trainer/groups/{world['group'].id}/funding",
        {"funding": "cpf"},
        form_page=f"/trainer/groups/{world['group'].id}/certificates",
    )
    header, rows = csv_table(client.get(f"/trainer/groups/{world['group'].id}/certificates.csv"))
    assert len(header) == 15 and len(rows) == 2
    line = next(r for r in rows if r[2] == learner.username)
    assert line[0] == "Organisation f" and line[3] == str(learner.id) and line[4] == "Group f"
    assert line[5].startswith("CPF")
    assert line[8] == "0,37"  # 10 + 12 min of activities, in hours (French decimal comma)
    assert line[12] == "1"


def test_the_funder_is_recorded_with_a_form(env):
    _app, db, world, _learner, client = env
    group_id = world["group"].id
    url = f"/trainer/groups/{group_id}/funding"
    page = f"/trainer/groups/{group_id}/certificates"

    def funding():
        db.rollback()
        value = db.scalar(select(Group.funding).where(Group.id == group_id))
        db.rollback()  # no snapshot left open while the app writes
        return value

    assert client.post(url, data={"funding": "fse"}).status_code == 400  # no CSRF token
    assert funding() is None
    assert post_form(client, url, {"funding": "fse"}, form_page=page).status_code == 302
    assert funding() == "fse"
    assert post_form(client, url, {"funding": "bank"}, form_page=page).status_code == 302
    assert funding() == "fse"
    assert "Fonds social européen" in client.get(page).get_data(as_text=True)


def test_a_bad_period_is_a_400_page_and_files_go_back(env):
    _app, _db, _world, learner, client = env
    url = f"/trainer/learners/{learner.id}/certificate"
    assert client.get(url + "?start=2026-02-30").status_code == 400
    assert client.get(url + "?start=2026-11-10&end=2026-11-01").status_code == 400
    assert client.get(url + ".pdf?start=nope").status_code == 302
    assert client.get(url + ".doc").status_code == 302
    assert client.get(url + "?start=2026-01-01&end=2026-12-31").status_code == 200


def test_refusals(env, small_app):
    app, db, world, learner, _client = env
    other = tf.organisation_with_group(db, "g", learners=1)
    db.commit()
    stranger = app.test_client()
    sign_in(stranger, other["trainer"].username)
    for url in (
        f"/trainer/learners/{learner.id}/certificate",
        f"/trainer/learners/{learner.id}/certificate.pdf",
        f"/trainer/learners/{learner.id}/certificate.csv",
        f"/trainer/groups/{world['group'].id}/certificates",
        f"/trainer/groups/{world['group'].id}/certificates.csv",
    ):
        assert stranger.get(url).status_code == 404, url
    assert (
        post_form(
            stranger,
            f"/trainer/groups/{world['group'].id}/funding",
            {"funding": "cpf"},
            form_page=f"/trainer/groups/{other['group'].id}/certificates",
        ).status_code
        == 404
    )
    pupil = app.test_client()
    sign_in(pupil, learner.username)
    assert pupil.get(f"/trainer/learners/{learner.id}/certificate").status_code == 403
    assert pupil.get(f"/trainer/groups/{world['group'].id}/certificates.pdf").status_code == 403


def test_erasure_on_request_explains_and_keeps_what_the_funder_requires(env):
    app, db, world, learner, _client = env
    world["group"].funding = "fse"
    db.commit()
    admin = app.test_client()
    sign_in(admin, world["admin"].username)
    url = f"/admin/learners/{learner.id}/erase"
    page = admin.get(url).get_data(as_text=True)
    assert "17(3)(b)" in page and "Fonds social européen" in page
    done = post_form(admin, url, {"confirm": learner.username})
    assert done.status_code == 302
    db.rollback()
    kept = db.scalar(
        select(User).where(User.id == learner.id).execution_options(populate_existing=True)
    )
    assert kept.username == learner.username and kept.active is False
    assert db.scalar(select(HelpRequest.message).where(HelpRequest.user_id == learner.id))
    unfunded = world["learners"][1]
    world["group"].funding = None
    db.commit()
    post_form(admin, f"/admin/learners/{unfunded.id}/erase", {"confirm": unfunded.username})
    db.rollback()
    gone = db.scalar(select(User.username).where(User.id == unfunded.id))
    assert gone.startswith("~erased-")


def test_the_trainer_answer_to_a_help_request_is_kept_and_printed(env):
    _app, db, world, _learner, client = env
    asker = world["learners"][1]
    asked = tf.help_request(db, asker, "ecoute-1", "Comment on fait ?")
    db.commit()
    asked_id = asker_id = None
    asked_id, asker_id = asked.id, asker.id
    page = client.get("/trainer/needs-help").get_data(as_text=True)
    assert 'name="answer"' in page
    done = post_form(
        client,
        f"/trainer/help/{asked_id}/resolve",
        {"answer": "Regarde la vidéo de la partie 1.", "back": "/trainer/needs-help"},
        form_page="/trainer/needs-help",
    )
    assert done.status_code == 302
    db.rollback()
    assert db.scalar(select(HelpRequest.answer).where(HelpRequest.id == asked_id)) == (
        "Regarde la vidéo de la partie 1."
    )
    certificate_page = client.get(f"/trainer/learners/{asker_id}/certificate")
    assert "Regarde la vidéo de la partie 1." in certificate_page.get_data(as_text=True)
