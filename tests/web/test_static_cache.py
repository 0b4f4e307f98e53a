"""Static files: stylesheets, scripts and icons linked by a version of their content and kept a
year by the browser; fonts keep one address (the stylesheet's relative links), kept a day; no
session cookie on static responses, and none of them varies with it."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from learn.models import Role
from tests import factories
from tests.conftest import sign_in

LINKED = re.compile(r'(?:href|src)="/static/([^"?]+)\?v=([0-9a-f]{12})"')


def digest(app, filename: str) -> str:
    return hashlib.sha256((Path(app.static_folder) / filename).read_bytes()).hexdigest()[:12]


def signed_in_learner(app, db):
    org = factories.organisation(db)
    factories.user(db, org, Role.LEARNER, username="static-lea")
    db.commit()
    client = app.test_client()
    assert sign_in(client, "static-lea").status_code == 302
    return client


def test_pages_link_stylesheets_scripts_and_icon_by_their_content(app, client):
    page = client.get("/sign-in").get_data(as_text=True)
    linked = dict(LINKED.findall(page))
    assert {"css/parcours.css", "css/reading.css", "js/reading-boot.js", "favicon.svg"} <= set(
        linked
    )
    for filename, version in linked.items():
        assert version == digest(app, filename), filename
    # Nothing under /static is linked without its version, except fonts.
    bare = re.findall(r'(?:href|src)="/static/([^"?]+)"', page)
    assert all(name.endswith(".woff2") for name in bare), bare


def test_the_current_version_is_kept_a_year_without_a_cookie(app, db):
    client = signed_in_learner(app, db)
    page = client.get("/dashboard").get_data(as_text=True)
    for filename, version in LINKED.findall(page):
        response = client.get(f"/static/{filename}?v={version}")
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
        assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
        assert "no-cache" not in cache
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
        # The security headers stay.
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    # Pages still renew the session and vary with it.
    page_response = client.get("/dashboard")
    assert "Set-Cookie" in page_response.headers
    assert "Cookie" in page_response.headers["Vary"]
    assert page_response.headers["Cache-Control"] == "no-store"


def test_an_old_or_made_up_version_is_not_kept(app, client):
    for query in ("?v=000000000000", "?v=", "", "?v=" + "a" * 500):
        response = client.get("/static/css/parcours.css" + query)
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
        assert "no-cache" in cache and "immutable" not in cache, query
        assert response.headers["ETag"]  # revalidated: a 304 without a body when unchanged
        assert "Set-Cookie" not in response.headers


def test_a_font_keeps_the_address_the_stylesheet_gives(app, client):
    with app.test_request_context():
        from flask import url_for

        font = url_for("static", filename="fonts/lexend/lexend-latin-400-normal.woff2")
        missing = url_for("static", filename="css/no-such-file.css")
    assert font == "/static/fonts/lexend/lexend-latin-400-normal.woff2"
    assert missing == "/static/css/no-such-file.css"
    stylesheet = (Path(app.static_folder) / "css" / "reading.css").read_text()
    assert 'url("../fonts/lexend/lexend-latin-400-normal.woff2")' in stylesheet
    response = client.get(font)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=86400"  # a day, then revalidated
    assert "Set-Cookie" not in response.headers


def test_revalidation_and_missing_files(app, client):
    response = client.get("/static/css/parcours.css")
    again = client.get(
        "/static/css/parcours.css", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    assert client.get("/static/css/no-such-file.css?v=123456789abc").status_code == 404
    assert client.get("/static/../learn/config.py").status_code == 404


def test_debug_mode_sees_an_edited_file_at_once(app_factory, tmp_path):
    from learn.static_files import version_of

    app = app_factory()
    app.static_folder = str(tmp_path)
    (tmp_path / "x.css").write_text("a {}")
    first = version_of(app, "x.css")
    (tmp_path / "x.css").write_text("b {}")
    assert version_of(app, "x.css") == first  # remembered for the process
    app.debug = True
    app.extensions["learn.static_versions"].clear()
    (tmp_path / "y.css").write_text("a {}")
    before = version_of(app, "y.css")
    (tmp_path / "y.css").write_text("b {}")
    assert version_of(app, "y.css") != before
    assert version_of(app, "../outside.css") is None
