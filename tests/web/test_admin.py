"""The organisation admin's pages and the audit log: what staff do with learners' data is
recorded, readable by the organisation's admins only, and never holds secrets or free text."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from learn.models import AuditEvent, Role
from learn.services import audit
from tests import factories
from tests.conftest import post_form, sign_in


@pytest.fixture
def org_a(db):
    org = factories.organisation(db, name="Chantier A")
    people = {
        "org": org,
        "admin": factories.user(db, org, Role.ORG_ADMIN, username="admin-a"),
        "trainer": factories.user(db, org, Role.TRAINER, username="trainer-a"),
        "learner": factories.user(db, org, username="learner-a", display_name="Léa Martin"),
    }
    other = factories.organisation(db, name="Chantier B")
    people["other_admin"] = factories.user(db, other, Role.ORG_ADMIN, username="admin-b")
    people["other_learner"] = factories.user(db, other, username="learner-b")
    db.commit()
    return people


def actions(db) -> list[str]:
    db.rollback()
    db.expire_all()
    return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    """Everything the app logs during the test (pytest's logging plugin may be off)."""
    handler = Capture()
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.DEBUG)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(previous)


def test_trainer_actions_on_a_learner_are_audited(client, db, org_a, log_lines):
    learner = org_a["learner"]
    sign_in(client, "trainer-a")
    assert client.get(f"/trainer/learners/{learner.id}").status_code == 200
    card = post_form(
        client, f"/trainer/learners/{learner.id}/code", form_page=f"/trainer/learners/{learner.id}"
    )
    assert card.status_code == 200
    code = re.search(r'class="big code">([^<]+)<', card.get_data(as_text=True)).group(1)
    post_form(
        client,
        f"/trainer/learners/{learner.id}/sign-out",
        form_page=f"/trainer/learners/{learner.id}",
    )
    made = actions(db)  # each form page read for its token is a view too
    assert made[0] == "learner.view"
    assert {"learner.new_code", "learner.sign_out_everywhere"} <= set(made)
    events = db.scalars(select(AuditEvent)).all()
    for event in events:
        assert event.actor_id == org_a["trainer"].id and event.actor_role == "trainer"
        assert event.target_user_id == learner.id
        assert event.organisation_id == org_a["org"].id
        assert code not in str(event.details)
    # Nothing the app logged holds the code, the trainer's session token or the password hash.
    db.refresh(learner)
    with client.session_transaction() as cookie:
        session_token = cookie["_user_id"]
    logged = "\n".join(log_lines)
    assert "audit learner.new_code" in logged
    for secret in (code, session_token, learner.password_hash):
        assert secret not in logged


def test_a_refused_view_writes_no_entry(client, db, org_a):
    sign_in(client, "trainer-a")
    assert client.get(f"/trainer/learners/{org_a['other_learner'].id}").status_code == 404
    assert actions(db) == []


def test_record_refuses_free_text_and_secrets(db, org_a):
    admin, learner = org_a["admin"], org_a["learner"]
    audit.record(db, admin, "learner.view", target=learner, module="ecoute-1", seconds=3)
    audit.record(db, None, "learner.erase", target=learner, records={"sign_in_code": 2})
    for bad in (
        {"password": "x"},
        {"code": "ABCD-1234"},
        {"session_id": "1"},
        {"comment": "ok"},
        {"module": "two words"},
        {"module": "line\nbreak"},
        {"display_name": "Léa"},
        {"module": "x" * 81},
        {"nested": {"answer": "b"}},
        {"blob": object()},
    ):
        with pytest.raises(ValueError):
            audit.record(db, admin, "learner.view", target=learner, **bad)
    with pytest.raises(ValueError):
        audit.record(db, admin, "viewed a learner", target=learner)


def test_audit_log_page_is_for_the_organisations_admins(client, db, org_a):
    learner = org_a["learner"]
    audit.record(db, org_a["trainer"], "learner.view", target=learner)
    audit.record(db, org_a["other_admin"], "learner.view", target=org_a["other_learner"])
    db.commit()
    sign_in(client, "trainer-a")
    assert client.get("/admin/audit").status_code == 403
    admin = client.application.test_client()
    sign_in(admin, "admin-a")
    page = admin.get("/admin/audit")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Léa Martin" in text and '<caption id="audit-caption">' in text and 'scope="col"' in text
    assert "learner-b" not in text and "Person" in text  # the trainer's name (factories)
    only = admin.get(f"/admin/audit?learner={learner.id}").get_data(as_text=True)
    assert "Léa Martin" in only
    # Another organisation's learner id shows nothing, not an error.
    other = admin.get(f"/admin/audit?learner={org_a['other_learner'].id}")
    assert other.status_code == 200 and "learner-b" not in other.get_data(as_text=True)


def test_audit_log_pages(client, db, org_a):
    for _ in range(120):
        audit.record(db, org_a["trainer"], "learner.view", target=org_a["learner"])
    db.commit()
    sign_in(client, "admin-a")
    first = client.get("/admin/audit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Entries: 120" in first and "page 1 of 3" in first and 'rel="next"' in first
    last = client.get("/admin/audit?page=3", headers={"Accept-Language": "en"})
    assert last.status_code == 200 and 'rel="prev"' in last.get_data(as_text=True)
    assert client.get("/admin/audit?page=-4").status_code == 200
    assert client.get("/admin/audit?page=x").status_code == 200


def test_platform_admin_reads_every_organisations_log(client, db, org_a):
    factories.user(db, None, Role.PLATFORM_ADMIN, username="root-admin")
    audit.record(db, org_a["other_admin"], "learner.view", target=org_a["other_learner"])
    db.commit()
    sign_in(client, "root-admin")
    assert "Person" in client.get("/admin/audit").get_data(as_text=True)


def test_admin_pages_in_both_languages_with_labels(client, org_a):
    learner = org_a["learner"]
    sign_in(client, "admin-a")
    french = client.get("/admin/learners", headers={"Accept-Language": "fr"})
    assert "Données des apprenants" in french.get_data(as_text=True)
    english = client.get(f"/admin/learners/{learner.id}", headers={"Accept-Language": "en"})
    text = english.get_data(as_text=True)
    assert "What Parcours holds on this learner" in text and 'scope="row"' in text
    erase = client.get(f"/admin/learners/{learner.id}/erase").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="confirm"[^>]*>', erase).group(0)
    field_id = re.search(r'id="([^"]+)"', field).group(1)
    assert f'for="{field_id}"' in erase
    assert "style=" not in erase and "<script>" not in erase


def test_the_menu_shows_administration_to_admins_only(app, org_a):
    admin, trainer = app.test_client(), app.test_client()
    sign_in(admin, "admin-a")
    sign_in(trainer, "trainer-a")
    assert "/admin/learners" in admin.get("/trainer/learners").get_data(as_text=True)
    assert "/admin/learners" not in trainer.get("/trainer/learners").get_data(as_text=True)
