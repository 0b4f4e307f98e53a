"""/healthz: ok or not and the schema state for anyone; the reasons only for this machine (the
client address Parcours trusts) and platform admins."""

from __future__ import annotations

import pytest

from learn.models import Role
from learn.web import database as web_database
from tests import factories
from tests.conftest import sign_in

OUTSIDE = {"REMOTE_ADDR": "203.0.113.5"}
PUBLIC_KEYS = {"status", "schema_current"}


def test_the_public_sees_only_ok_and_the_schema_state(client):
    response = client.get("/healthz", environ_base=OUTSIDE)
    body = response.get_json()
    assert set(body) == PUBLIC_KEYS
    assert body["schema_current"] is True
    assert response.status_code == (200 if body["status"] == "ok" else 503)


def test_the_public_gets_no_database_reason_when_it_is_down(client, monkeypatch):
    down = {"ok": False, "schema_current": False, "error": "OperationalError", "reason": "x"}
    monkeypatch.setattr(web_database, "database_status", lambda _app: down)
    response = client.get("/healthz", environ_base=OUTSIDE)
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "schema_current": False}
    local = client.get("/healthz").get_json()
    assert local["database"]["reason"] == "x"


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_this_machine_sees_the_details(client, address):
    body = client.get("/healthz", environ_base={"REMOTE_ADDR": address}).get_json()
    assert body["database"] == {"ok": True, "schema_current": True}
    assert "modules" in body["content"]


def test_a_request_through_an_untrusted_proxy_is_not_local(client):
    # Behind nginx without LEARN_PROXY_COUNT, every request arrives from 127.0.0.1.
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        response = client.get("/healthz", headers={header: "203.0.113.5"})
        assert set(response.get_json()) == PUBLIC_KEYS, header


def test_with_a_trusted_proxy_the_forwarded_address_decides(app_factory):
    client = app_factory(LEARN_PROXY_COUNT=1).test_client()
    outside = client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.5"}).get_json()
    assert set(outside) == PUBLIC_KEYS
    # A forged first address does not help: the proxy's own (last) entry is the one trusted.
    forged = client.get("/healthz", headers={"X-Forwarded-For": "127.0.0.1, 203.0.113.5"})
    assert set(forged.get_json()) == PUBLIC_KEYS
    local = client.get("/healthz", headers={"X-Forwarded-For": "127.0.0.1"}).get_json()
    assert "database" in local


@pytest.mark.parametrize(("role", "sees"), [(Role.PLATFORM_ADMIN, True), (Role.ORG_ADMIN, False)])
def test_platform_admins_see_the_details_from_anywhere(client, db, role, sees):
    org = factories.organisation(db)
    factories.user(db, None if role == Role.PLATFORM_ADMIN else org, role, username="boss")
    db.commit()
    client.environ_base.update(OUTSIDE)
    assert sign_in(client, "boss").status_code == 302
    body = client.get("/healthz").get_json()
    assert ("database" in body and "content" in body) is sees
