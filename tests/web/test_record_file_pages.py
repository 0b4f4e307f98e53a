"""Between two Parcours instances (two apps, two databases, two key folders): A's trainer asks,
the learner consents, A's trainer downloads the signed file; B's trainer checks it (A's profile
shown), imports it into a new account; the learner's passport on B lists the badges."""

from __future__ import annotations

import dataclasses
import html
import io
import json
import re

import pytest
from sqlalchemy import func, select

from learn import migrate
from learn.db import make_engine
from learn.models import AuditEvent, ImportedRecord, IssuedCredential, TransferRequest, User
from tests import trainer_factories as tf
from tests.conftest import csrf_token
from tests.web.test_credentials_pages import client_for, issue

A_URL = "https://a.parcours.example"
B_URL = "https://b.parcours.example"


@pytest.fixture
def two(app_factory, tmp_path):
    """Instance A (this test's database) and instance B (its own SQLite file and key folder)."""
    app_a = app_factory(LEARN_PUBLIC_URL=A_URL)
    b_path = tmp_path / "b.sqlite3"
    engine = make_engine(f"sqlite:///{b_path}")
    migrate.upgrade(engine)
    engine.dispose()
    paths_b = dataclasses.replace(app_a.config["LEARN_PATHS"], instance=tmp_path / "instance-b")
    app_b = app_factory(
        DATABASE_URL=f"sqlite:///{b_path}", LEARN_PUBLIC_URL=B_URL, LEARN_PATHS=paths_b
    )
    db_a = app_a.extensions["learn.sessions"]()
    db_b = app_b.extensions["learn.sessions"]()
    a = tf.organisation_with_group(db_a, "a", learners=1)
    other = tf.organisation_with_group(db_a, "c", learners=1)
    tf.progress(db_a, a["learners"][0], "ecoute-1", "mastered")
    db_a.commit()
    b = tf.organisation_with_group(db_b, "b", learners=1)
    c_on_b = tf.organisation_with_group(db_b, "d", learners=1)
    db_b.commit()
    yield {"app_a": app_a, "app_b": app_b, "db_a": db_a, "db_b": db_b, "a": a, "b": b,
           "other": other, "d": c_on_b}  # fmt: skip
    db_a.close()
    db_b.close()


def ask_export(app, a):
    trainer = client_for(app, a["trainer"])
    page = f"/trainer/learners/{a['learners'][0].id}/credentials"
    response = trainer.post(
        f"/trainer/learners/{a['learners'][0].id}/exports",
        data={"destination": "Mission locale B", "csrf_token": csrf_token(trainer, page)},
    )
    assert response.status_code == 302
    return trainer


def the_request(db) -> TransferRequest:
    db.rollback()
    return db.scalar(select(TransferRequest))


def consent(app, learner, row, decision="accept"):
    client = client_for(app, learner)
    data = {"decision": decision, "csrf_token": csrf_token(client, "/passport")}
    return client.post(f"/passport/transfers/{row.id}", data=data)


def upload(client, raw: bytes):
    token = csrf_token(client, "/trainer/imports")
    return client.post(
        "/trainer/imports/check",
        data={"csrf_token": token, "file": (io.BytesIO(raw), "record.json")},
        content_type="multipart/form-data",
    )


def exported(world) -> bytes:
    app_a, a = world["app_a"], world["a"]
    issue(client_for(app_a, a["trainer"]), a["learners"][0])
    trainer = ask_export(app_a, a)
    row = the_request(world["db_a"])
    learner = client_for(app_a, a["learners"][0])
    assert "Mission locale B" in learner.get("/passport").get_data(as_text=True)
    assert consent(app_a, a["learners"][0], row).status_code == 302
    page = trainer.get(f"/trainer/learners/{a['learners'][0].id}/credentials")
    assert f"/trainer/exports/{row.id}.json" in page.get_data(as_text=True)
    response = trainer.get(f"/trainer/exports/{row.id}.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def test_round_trip_between_two_instances(two):
    raw = exported(two)
    app_b, b, db_b = two["app_b"], two["b"], two["db_b"]
    trainer_b = client_for(app_b, b["trainer"])
    checked = upload(trainer_b, raw)
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert f"{A_URL}/issuers/org-a" in page  # A's profile shown to confirm, no fetch made
    assert "Learner a 0" in page
    token = csrf_token(trainer_b, "/trainer/imports")
    done = trainer_b.post(
        "/trainer/imports",
        data={"csrf_token": token, "document": json.dumps(json.loads(raw)), "learner": "",
              "username": "venu.de.a", "confirm": "y"},
    )  # fmt: skip
    assert done.status_code == 200, done.get_data(as_text=True)
    assert "venu.de.a" in done.get_data(as_text=True)
    db_b.rollback()
    new = db_b.scalar(select(User).where(User.username == "venu.de.a"))
    assert new.organisation_id == b["org"].id
    record = db_b.scalar(select(ImportedRecord))
    assert record.learner_id == new.id and record.source_profile == f"{A_URL}/issuers/org-a"
    # Both sides audit-logged, each in its own database.
    assert db_b.scalar(select(AuditEvent).where(AuditEvent.action == "transfer.import"))
    two["db_a"].rollback()
    assert two["db_a"].scalar(select(AuditEvent).where(AuditEvent.action == "transfer.export"))


def test_a_tampered_file_is_refused_with_a_message_and_nothing_written(two):
    raw = exported(two)
    document = json.loads(raw)
    document["package"]["grid"].append({"skill": "ecoute", "level": 4, "validated_on": None})
    app_b, db_b = two["app_b"], two["db_b"]
    trainer_b = client_for(app_b, two["b"]["trainer"])
    users = db_b.scalar(select(func.count(User.id)))
    response = upload(trainer_b, json.dumps(document).encode())
    assert response.status_code == 400
    assert "modifié après" in response.get_data(as_text=True)
    token = csrf_token(trainer_b, "/trainer/imports")
    forced = trainer_b.post(
        "/trainer/imports",
        data={"csrf_token": token, "document": json.dumps(document), "username": "forced",
              "confirm": "y"},
    )  # fmt: skip
    assert forced.status_code == 400
    db_b.rollback()
    assert db_b.scalar(select(func.count(User.id))) == users
    assert db_b.scalar(select(func.count(ImportedRecord.id))) == 0
    for junk in (b"not json", b"\xff\xfe\x00", b"[]"):
        assert upload(trainer_b, junk).status_code == 400


def test_refused_consent_means_no_export(two):
    app_a, a = two["app_a"], two["a"]
    trainer = ask_export(app_a, a)
    row = the_request(two["db_a"])
    assert trainer.get(f"/trainer/exports/{row.id}.json").status_code == 302  # not yet
    consent(app_a, a["learners"][0], row, "refuse")
    response = trainer.get(f"/trainer/exports/{row.id}.json")
    assert response.headers["Location"].endswith(
        f"/learners/{a['learners'][0].id}/credentials#export"
    )
    page = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert "a dit non" in page
    two["db_a"].rollback()
    exports = select(func.count(AuditEvent.id)).where(AuditEvent.action == "transfer.export")
    assert two["db_a"].scalar(exports) == 0


def test_cross_organisation_refusals(two):
    raw = exported(two)
    row = the_request(two["db_a"])
    app_a, app_b = two["app_a"], two["app_b"]
    # Another organisation's trainer on A cannot download it, nor ask for A's learner.
    other = client_for(app_a, two["other"]["trainer"])
    assert other.get(f"/trainer/exports/{row.id}.json").status_code == 404
    assert (
        other.post(
            f"/trainer/learners/{two['a']['learners'][0].id}/exports",
            data={"destination": "x", "csrf_token": csrf_token(other, "/trainer/imports")},
        ).status_code
        == 404
    )
    # On B, importing into a learner of another organisation is refused.
    trainer_b = client_for(app_b, two["b"]["trainer"])
    token = csrf_token(trainer_b, "/trainer/imports")
    response = trainer_b.post(
        "/trainer/imports",
        data={"csrf_token": token, "document": json.dumps(json.loads(raw)), "confirm": "y",
              "learner": str(two["d"]["learners"][0].id)},
    )  # fmt: skip
    assert response.status_code == 404
    # A learner cannot reach the import pages.
    learner_b = client_for(app_b, two["b"]["learners"][0])
    assert learner_b.get("/trainer/imports").status_code in (302, 403, 404)


def test_a_learner_exports_their_passport_and_a_trainer_on_b_imports_it(two):
    app_a, a = two["app_a"], two["a"]
    issue(client_for(app_a, a["trainer"]), a["learners"][0])
    learner = client_for(app_a, a["learners"][0])
    assert "/passport/export.json" in learner.get("/passport").get_data(as_text=True)
    response = learner.get("/passport/export.json")
    assert response.status_code == 200 and json.loads(response.data)["kind"] == "passport"
    trainer_b = client_for(two["app_b"], two["b"]["trainer"])
    assert upload(trainer_b, response.data).status_code == 200
    token = csrf_token(trainer_b, "/trainer/imports")
    document = json.dumps(json.loads(response.data))
    done = trainer_b.post(
        "/trainer/imports",
        data={"csrf_token": token, "document": document, "confirm": "y",
              "learner": str(two["b"]["learners"][0].id)},
    )  # fmt: skip
    assert done.status_code == 200
    learner_page = trainer_b.get(f"/trainer/learners/{two['b']['learners'][0].id}/credentials")
    assert f"{A_URL}/issuers/org-a" in learner_page.get_data(as_text=True)
    passport = client_for(two["app_b"], two["b"]["learners"][0]).get("/passport")
    assert "Organisation a" in passport.get_data(as_text=True)


def test_a_badge_revoked_before_the_export_shows_revoked_on_bs_passport(two):
    app_a, a, db_a = two["app_a"], two["a"], two["db_a"]
    trainer = client_for(app_a, a["trainer"])
    issue(trainer, a["learners"][0])
    db_a.rollback()
    credential = db_a.scalar(select(IssuedCredential))
    page = f"/trainer/learners/{a['learners'][0].id}/credentials"
    revoked = trainer.post(
        f"/trainer/credentials/{credential.id}/revoke",
        data={"reason": "issued_in_error", "csrf_token": csrf_token(trainer, page)},
    )
    assert revoked.status_code == 302
    response = client_for(app_a, a["learners"][0]).get("/passport/export.json")
    trainer_b = client_for(two["app_b"], two["b"]["trainer"])
    checked = upload(trainer_b, response.data)
    assert checked.status_code == 200 and "révoqué par l'émetteur" in checked.get_data(as_text=True)
    token = csrf_token(trainer_b, "/trainer/imports")
    trainer_b.post(
        "/trainer/imports",
        data={"csrf_token": token, "document": json.dumps(json.loads(response.data)),
              "confirm": "y", "learner": str(two["b"]["learners"][0].id)},
    )  # fmt: skip
    passport = client_for(two["app_b"], two["b"]["learners"][0]).get("/passport")
    assert "révoqué par l'émetteur" in passport.get_data(as_text=True)


def test_a_large_file_with_workshop_texts_goes_through_both_steps(two):
    """A file near the size limit, with accented texts, passes the check and the confirmation
    (the confirmation form carries it again, escaped)."""
    app_a, a, db_a = two["app_a"], two["a"], two["db_a"]
    tf.workshop(db_a, a["learners"][0], status="accepted")
    db_a.commit()
    db_a.rollback()
    from learn.models import WorkshopAnswer

    answer = db_a.scalar(select(WorkshopAnswer))
    answer.answers = {"mission": "Écrit à la main, « été » — " * 9000}
    db_a.commit()
    trainer = ask_export(app_a, a)
    row = the_request(db_a)
    client = client_for(app_a, a["learners"][0])
    client.post(
        f"/passport/transfers/{row.id}",
        data={
            "decision": "accept",
            "workshops": "y",
            "csrf_token": csrf_token(client, "/passport"),
        },
    )
    raw = trainer.get(f"/trainer/exports/{row.id}.json").data
    assert 250_000 < len(raw) < 400 * 1024
    trainer_b = client_for(two["app_b"], two["b"]["trainer"])
    checked = upload(trainer_b, raw)
    assert checked.status_code == 200
    hidden = re.search(
        r'name="document" type="hidden" value="([^"]*)"', checked.get_data(as_text=True)
    )
    token = csrf_token(trainer_b, "/trainer/imports")
    done = trainer_b.post(
        "/trainer/imports",
        data={"csrf_token": token, "document": html.unescape(hidden.group(1)), "confirm": "y",
              "username": "grand.fichier"},
    )  # fmt: skip
    assert done.status_code == 200
