"""Static files, served by WhiteNoise (learn/static_files.py): stylesheets, scripts and icons
linked by a name holding a version of their content and kept a year by the browser; fonts and
pictograms keep one plain name, kept a day; every file that compresses well is sent as brotli or
gzip when the browser accepts it; no session cookie on static responses, none of them varies with
it, and the security headers stay."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli

from learn.models import Role
from tests import factories
from tests.conftest import sign_in

LINKED = re.compile(r'(?:href|src)="/static/([^"?]+)\.([0-9a-f]{12})\.(css|js|svg)"')


def digest(app, filename: str) -> str:
    return hashlib.sha256((Path(app.static_folder) / filename).read_bytes()).hexdigest()[:12]


def signed_in_learner(app, db):
    org = factories.organisation(db)
    factories.user(db, org, Role.LEARNER, username="static-lea")
    db.commit()
    client = app.test_client()
    assert sign_in(client, "static-lea").status_code == 302
    return client


def linked(page: str) -> dict[str, str]:
    return {f"{stem}.{ext}": version for stem, version, ext in LINKED.findall(page)}


def test_pages_link_stylesheets_scripts_and_icon_by_their_content(app, client):
    page = client.get("/sign-in").get_data(as_text=True)
    found = linked(page)
    assert {"css/parcours.css", "css/reading.css", "js/reading-boot.js", "favicon.svg"} <= set(
        found
    )
    for filename, version in found.items():
        assert version == digest(app, filename), filename
    # Nothing under /static is linked without its version, except fonts.
    bare = re.findall(r'(?:href|src)="/static/([^"?]+)"', page)
    bare = [name for name in bare if not LINKED.match(f'src="/static/{name}"')]
    assert all(name.endswith(".woff2") for name in bare), bare


def test_the_current_version_is_kept_a_year_without_a_cookie(app, db):
    client = signed_in_learner(app, db)
    page = client.get("/dashboard").get_data(as_text=True)
    for filename, version in linked(page).items():
        stem, _dot, ext = filename.rpartition(".")
        response = client.get(f"/static/{stem}.{version}.{ext}")
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "public" in cache and "no-cache" not in cache
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 31536000
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
        # The security headers stay.
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data == (Path(app.static_folder) / filename).read_bytes()
    # Pages still renew the session and vary with it.
    page_response = client.get("/dashboard")
    assert "Set-Cookie" in page_response.headers
    assert "Cookie" in page_response.headers["Vary"]
    assert page_response.headers["Cache-Control"] == "no-store"


def test_stylesheets_and_scripts_go_compressed_to_a_browser_that_accepts_it(app, client):
    page = client.get("/sign-in").get_data(as_text=True)
    url = next(f"/static/{s}.{v}.{e}" for s, v, e in LINKED.findall(page) if s == "css/parcours")
    original = (Path(app.static_folder) / "css" / "parcours.css").read_bytes()
    plain = client.get(url)
    assert plain.data == original and "Content-Encoding" not in plain.headers
    as_gzip = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert as_gzip.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(as_gzip.data) == original
    as_brotli = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert as_brotli.headers["Content-Encoding"] == "br"
    assert brotli.decompress(as_brotli.data) == original
    assert len(as_brotli.data) < len(original) / 3
    assert "Accept-Encoding" in as_brotli.headers["Vary"]
    font = client.get(
        "/static/fonts/lexend/lexend-latin-400-normal.woff2", headers={"Accept-Encoding": "br"}
    )
    assert "Content-Encoding" not in font.headers  # WOFF2 is compressed already


def test_an_old_or_made_up_version_is_not_served(app, client):
    for name in ("parcours.000000000000.css", "parcours..css", "parcours." + "a" * 500 + ".css"):
        assert client.get(f"/static/css/{name}").status_code == 404, name
    plain = client.get("/static/css/parcours.css")  # the plain name: a day, then revalidated
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == "max-age=86400, public"
    assert plain.headers["ETag"]
    assert "Set-Cookie" not in plain.headers


def test_a_font_keeps_the_address_the_stylesheet_gives(app, client):
    with app.test_request_context():
        from flask import url_for

        font = url_for("static", filename="fonts/lexend/lexend-latin-400-normal.woff2")
        picture = url_for("static", filename="pictos/broom.svg")
        missing = url_for("static", filename="css/no-such-file.css")
    assert font == "/static/fonts/lexend/lexend-latin-400-normal.woff2"
    assert picture == "/static/pictos/broom.svg"
    assert missing == "/static/css/no-such-file.css"
    stylesheet = (Path(app.static_folder) / "css" / "reading.css").read_text()
    assert 'url("../fonts/lexend/lexend-latin-400-normal.woff2")' in stylesheet
    response = client.get(font)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=86400, public"  # a day, revalidated
    assert "Set-Cookie" not in response.headers


def test_revalidation_and_missing_files(app, client):
    response = client.get("/static/css/parcours.css")
    again = client.get(
        "/static/css/parcours.css", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    missing = client.get("/static/css/no-such-file.css")
    assert missing.status_code == 404 and "Set-Cookie" not in missing.headers
    assert client.get("/static/../learn/config.py").status_code == 404
    assert client.get("/static/manifest.json").status_code == 404


def test_the_build_is_made_once_and_follows_the_files(tmp_path):
    from learn.static_files import build

    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "a.css").write_text("a { color: red }" * 50)
    (source / "pictos").mkdir()
    (source / "pictos" / "p.svg").write_text("<svg/>")
    builds = tmp_path / "builds"
    root, names = build(str(source), builds)
    versioned = names["css/a.css"]
    assert re.fullmatch(r"css/a\.[0-9a-f]{12}\.css", versioned)
    assert "pictos/p.svg" not in names  # pictograms keep their plain name
    assert (root / versioned).read_bytes() == (source / "css" / "a.css").read_bytes()
    assert (root / (versioned + ".gz")).is_file() and (root / (versioned + ".br")).is_file()
    assert build(str(source), builds) == (root, names)
    (source / "css" / "a.css").write_text("a { color: blue }" * 50)
    new_root, new_names = build(str(source), builds)
    assert new_root != root and new_names["css/a.css"] != versioned
    assert [p.name for p in builds.iterdir()] == [new_root.parent.name]  # the old one is removed


def test_debug_mode_serves_an_edited_file_at_once(app_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = app_factory()
    client = app.test_client()
    with app.test_request_context():
        from flask import url_for

        assert url_for("static", filename="css/parcours.css") == "/static/css/parcours.css"
    first = client.get("/static/css/parcours.css")
    assert first.status_code == 200 and "no-cache" not in first.headers.get("Cache-Control", "x")
