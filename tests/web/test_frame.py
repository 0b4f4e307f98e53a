"""Headers, languages, error pages, health check, configuration refusals."""

from __future__ import annotations

import pytest

from learn.config import ConfigError, build_config
from learn.models import Role
from tests import factories
from tests.conftest import sign_in


def test_security_headers_on_every_kind_of_response(client):
    for path in ("/", "/sign-in", "/no-such-page", "/healthz"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_flags(app_factory, db):
    app = app_factory(SESSION_COOKIE_SECURE=True)
    org = factories.organisation(db)
    factories.user(db, org, username="cookie-check")
    db.commit()
    client = app.test_client()
    response = sign_in(client, "cookie-check")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


@pytest.mark.parametrize(
    "accept, expected", [("fr-FR,fr;q=0.9", "Se connecter"), ("en-GB,en;q=0.9", "Sign in")]
)
def test_both_languages_render(client, accept, expected):
    page = client.get("/sign-in", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert expected in page
    assert f'lang="{accept[:2]}"' in page


def test_french_is_the_default(client):
    assert 'lang="fr"' in client.get("/sign-in").get_data(as_text=True)


def test_language_choice_is_remembered(client):
    from tests.conftest import post_form

    post_form(client, "/language", {"locale": "en", "next": "/sign-in"}, form_page="/sign-in")
    assert 'lang="en"' in client.get("/sign-in").get_data(as_text=True)


@pytest.mark.parametrize("accept", ["fr", "en"])
def test_404_page_in_both_languages(client, accept):
    response = client.get("/nowhere", headers={"Accept-Language": accept})
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert ("Page introuvable" if accept == "fr" else "Page not found") in text


def test_500_page_shows_a_request_id(app):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("given", "kept"),
    [("req-7f3a9c", True), ("<script>x</script>", False), ("a b", False), ("x" * 65, False)],
)
def test_a_request_id_from_outside_is_kept_only_when_it_is_an_id(client, given, kept):
    response = client.get("/ping", headers={"X-Request-ID": given})
    assert (response.headers["X-Request-ID"] == given) is kept
    assert response.headers["X-Request-ID"]


def test_a_sqlite_uri_makes_no_folder_where_parcours_runs(tmp_path, monkeypatch):
    from learn.config import Paths, resolve_database_url

    monkeypatch.chdir(tmp_path)
    paths = Paths(instance=tmp_path / "instance", content=tmp_path, static=tmp_path,
                  migrations=tmp_path)  # fmt: skip
    uri = "sqlite:///file%3A/tmp/parcours-test.sqlite3?mode=rwc&uri=true"
    assert resolve_database_url({"DATABASE_URL": uri}, paths) == uri
    assert list(tmp_path.iterdir()) == []
    plain = f"sqlite:///{tmp_path}/data/parcours.sqlite3"
    resolve_database_url({"DATABASE_URL": plain}, paths)
    assert (tmp_path / "data").is_dir()


def test_learner_on_a_trainer_page_gets_403(client, db):
    org = factories.organisation(db)
    factories.user(db, org, Role.LEARNER, username="just-a-learner")
    db.commit()
    sign_in(client, "just-a-learner")
    assert client.get("/trainer/learners").status_code == 403


def test_trainer_cannot_read_a_learner_of_another_organisation(client, db):
    org_a, org_b = factories.organisation(db), factories.organisation(db)
    factories.user(db, org_a, Role.TRAINER, username="trainer-a")
    own = factories.user(db, org_a, Role.LEARNER)
    other = factories.user(db, org_b, Role.LEARNER)
    db.commit()
    sign_in(client, "trainer-a")
    assert client.get(f"/trainer/learners/{own.id}").status_code == 200
    assert client.get(f"/trainer/learners/{other.id}").status_code == 404
    listing = client.get("/trainer/learners").get_data(as_text=True)
    assert own.display_name in listing and other.display_name not in listing


def test_platform_admin_crosses_organisations(client, db):
    org_b = factories.organisation(db)
    factories.user(db, None, Role.PLATFORM_ADMIN, username="root-admin")
    other = factories.user(db, org_b, Role.LEARNER)
    db.commit()
    sign_in(client, "root-admin")
    assert client.get(f"/trainer/learners/{other.id}").status_code == 200


def test_healthz_reports_database_schema_and_content(client):
    response = client.get("/healthz")
    body = response.get_json()
    assert body["database"] == {"ok": True, "schema_current": True}
    assert "modules" in body["content"]
    assert response.status_code == (200 if body["content"]["ok"] else 503)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {"LEARN_ENV": "production", "LEARN_INSTANCE_PATH": str(tmp_path)}
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        build_config(env)


def test_production_refuses_a_weak_secret_key(tmp_path):
    env = {
        "LEARN_ENV": "production",
        "SECRET_KEY": "changeme",
        "LEARN_INSTANCE_PATH": str(tmp_path),
    }
    with pytest.raises(ConfigError, match="too weak"):
        build_config(env)


def test_development_makes_and_keeps_a_key(tmp_path):
    env = {"LEARN_ENV": "development", "LEARN_INSTANCE_PATH": str(tmp_path)}
    first = build_config(env)["SECRET_KEY"]
    assert len(first) >= 32
    assert build_config(env)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_unknown_mode_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="LEARN_ENV"):
        build_config({"LEARN_ENV": "staging", "LEARN_INSTANCE_PATH": str(tmp_path)})


def test_sqlite_is_the_default_in_the_instance_folder(tmp_path):
    env = {"LEARN_ENV": "development", "LEARN_INSTANCE_PATH": str(tmp_path)}
    assert build_config(env)["DATABASE_URL"] == f"sqlite:///{tmp_path / 'parcours.sqlite3'}"


def test_plain_postgres_url_gets_psycopg3(tmp_path):
    env = {
        "LEARN_ENV": "development",
        "LEARN_INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": "postgres://u@h/d",
    }
    assert build_config(env)["DATABASE_URL"] == "postgresql+psycopg://u@h/d"


def test_every_setting_is_documented():
    import re

    from learn.config import PROJECT_ROOT

    source = (PROJECT_ROOT / "learn" / "config.py").read_text()
    names = set(re.findall(r'env(?:\.get)?\(\s*"([A-Z_]+)"', source))
    names |= set(re.findall(r'env\["([A-Z_]+)"\]', source))
    operating = (PROJECT_ROOT / "docs" / "operating.md").read_text()
    assert names, "no setting found in config.py"
    missing = sorted(name for name in names if f"`{name}`" not in operating)
    assert not missing, f"settings missing from docs/operating.md: {missing}"


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(app_factory):
    app = app_factory(LEARN_PROXY_COUNT=1, LEARN_LOGIN_LIMIT_ADDRESS="2 per minute")
    client = app.test_client()

    def attempt(address):
        from tests.conftest import sign_in as form_sign_in

        client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        return form_sign_in(client, f"nobody-{address}", "wrong-password").status_code

    assert [attempt("203.0.113.1") for _ in range(3)] == [400, 400, 429]
    assert attempt("203.0.113.2") == 400  # another client behind the same proxy


def test_a_nul_byte_in_an_address_is_a_400_on_every_get_page(app, client, db):
    """PostgreSQL cannot compare text holding NUL: a search or filter carrying one must be a
    clear 400, on both databases, not a 500 on one of them."""
    org = factories.organisation(db)
    factories.user(db, org, Role.ORG_ADMIN, username="admin-nul")
    db.commit()
    sign_in(client, "admin-nul")
    pages = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    ]
    assert len(pages) > 20
    for page in pages:
        for query in ("q=%00", "module=a%00b&kind=x", "%00=1"):
            response = client.get(f"{page}?{query}")
            assert response.status_code == 400, (page, query, response.status_code)
    assert client.get("/modules/ecoute%00-1").status_code == 400
    assert client.get("/trainer/learners?q=%C3%A9").status_code == 200  # other bytes: a search
