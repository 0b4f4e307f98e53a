"""The reading mode without JavaScript: the settings page, the header's switch, the settings on
<html> of every page, the easy-read default and the syllables marked by the server."""

from __future__ import annotations

import html
import json
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from learn.models import User
from learn.reading.preferences import ReadingPrefs
from tests import factories
from tests.conftest import csrf_token, post_form, sign_in
from tests.reading.browser_checks import reading_catalog

HTML_RE = re.compile(r"<html ([^>]*)>")


def html_attributes(page: str) -> dict[str, str]:
    return dict(re.findall(r'([\w-]+)="([^"]*)"', HTML_RE.search(page).group(1)))


@pytest.fixture
def reading_app(app_factory):
    return app_factory(LEARN_CATALOG_HOLDER=reading_catalog())


@pytest.fixture
def env(reading_app):
    session = reading_app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, username="lea")
    session.commit()
    client = reading_app.test_client()
    sign_in(client, "lea")
    yield reading_app, session, client
    session.close()


def stored(session) -> User:
    session.rollback()
    return session.scalars(select(User).where(User.username == "lea")).one()


def test_every_page_carries_the_settings_and_the_switch(client):
    page = client.get("/sign-in").get_data(as_text=True)
    attributes = html_attributes(page)
    assert attributes["data-rm"] == "off" and attributes["data-rm-from"] == "browser"
    assert attributes["data-rm-theme"] == "cream" and attributes["data-rm-size"] == "20"
    # The browser's copy is applied by a synchronous script before the stylesheets; it is told
    # where each font's files are, to preload the one chosen.
    head = page.split("</head>")[0]
    boot = re.search(
        r'<script src="/static/js/reading-boot.[0-9a-f]{12}.js" data-fonts="([^"]*)"></script>',
        head,
    )
    assert boot and boot.start() < head.index("css/reading.")
    fonts = json.loads(html.unescape(boot.group(1)))
    assert fonts["lexend"] == ["/static/fonts/lexend/lexend-latin-400-normal.woff2"]
    assert set(fonts) == {"atkinson", "lexend", "opendyslexic"}
    assert 'action="/reading/mode"' in page and 'aria-pressed="false"' in page
    assert 'href="/reading?next=' in page


def test_signed_out_settings_are_kept_in_the_session(client):
    response = post_form(
        client,
        "/reading",
        {"complete": "1", "mode": "on", "size": "28", "theme": "dark", "font": "lexend"},
    )
    assert response.status_code == 302
    attributes = html_attributes(client.get("/sign-in").get_data(as_text=True))
    assert attributes["data-rm"] == "on" and attributes["data-rm-from"] == "session"
    assert attributes["data-rm-size"] == "28" and attributes["data-rm-theme"] == "dark"
    assert attributes["data-rm-font"] == "lexend"


def test_the_chosen_font_is_preloaded_while_the_mode_is_on(env):
    _app, _session, client = env
    preload = re.compile(
        r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>'
    )
    assert preload.findall(client.get("/dashboard").get_data(as_text=True)) == []
    post_form(client, "/reading", {"complete": "1", "mode": "on", "font": "opendyslexic"})
    head = client.get("/dashboard").get_data(as_text=True).split("</head>")[0]
    assert "data-fonts" not in head  # the server knows the settings: no browser copy to read
    # The regular weight only: the bold one comes when bold text needs it.
    assert preload.findall(head) == [
        "/static/fonts/opendyslexic/opendyslexic-latin-400-normal.woff2",
    ]
    for href in preload.findall(head):
        assert client.get(href).status_code == 200
    post_form(client, "/reading", {"complete": "1", "font": "opendyslexic"})  # mode off
    assert preload.findall(client.get("/dashboard").get_data(as_text=True)) == []


def test_settings_are_saved_on_the_account_and_follow_the_learner(env):
    app, session, client = env
    response = post_form(
        client,
        "/reading",
        {"complete": "1", "mode": "on", "size": "32", "spacing": "widest", "theme": "blue"},
    )
    assert response.status_code == 302
    assert (
        stored(session).reading_preferences
        == ReadingPrefs(mode=True, size="32", spacing="widest", theme="blue").as_dict()
    )
    other_device = app.test_client()
    sign_in(other_device, "lea")
    attributes = html_attributes(other_device.get("/dashboard").get_data(as_text=True))
    assert attributes["data-rm"] == "on" and attributes["data-rm-from"] == "account"
    assert attributes["data-rm-size"] == "32" and attributes["data-rm-theme"] == "blue"
    settings = other_device.get("/reading").get_data(as_text=True)
    assert re.search(r'value="32"\s+checked', settings)


@pytest.mark.parametrize(
    "values",
    [
        {"size": "100"},
        {"theme": "red"},
        {"font": "url(https://evil.example/font.woff2)"},
        {"line_length": "70ch; display:none"},
        {"mode": "maybe"},
        {"syllables": "<script>"},
    ],
)
def test_values_outside_the_allowlist_are_refused(env, values):
    _app, session, client = env
    response = post_form(client, "/reading", {"complete": "1", "mode": "on", **values})
    assert response.status_code == 400
    assert "Ce choix n&#39;existe pas" in response.get_data(as_text=True)
    assert stored(session).reading_preferences is None


def test_a_script_saves_one_setting_and_gets_json(env):
    _app, session, client = env
    post_form(client, "/reading", {"complete": "1", "mode": "on", "theme": "grey"})
    token = csrf_token(client, "/reading")
    response = client.post(
        "/reading",
        data={"rate": "1.5"},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["saved"] and body["signed_in"]
    assert body["prefs"]["rate"] == "1.5" and body["prefs"]["theme"] == "grey"
    assert body["prefs"]["mode"] is True
    wrong = client.post(
        "/reading",
        data={"rate": "9"},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert wrong.status_code == 400 and wrong.get_json()["errors"]
    assert stored(session).reading_preferences["rate"] == "1.5"
    assert client.post("/reading", data={"rate": "2"}).status_code == 400  # no token


def test_the_recommended_settings_in_one_click(env):
    _app, session, client = env
    post_form(client, "/reading", {"complete": "1", "size": "32", "theme": "dark", "ruler": "5"})
    post_form(client, "/reading", {"action": "preset"})
    prefs = stored(session).reading_preferences
    assert prefs["mode"] is True and prefs["size"] == "20" and prefs["theme"] == "cream"
    assert prefs["spacing"] == "wide" and prefs["line_length"] == "60" and prefs["ruler"] == "5"


def test_the_header_switch_works_without_javascript(env):
    _app, session, client = env
    token = csrf_token(client, "/dashboard")
    response = client.post(
        "/reading/mode", data={"mode": "on", "next": "/catalog?", "csrf_token": token}
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/catalog")
    page = client.get("/catalog").get_data(as_text=True)
    assert html_attributes(page)["data-rm"] == "on"
    assert 'aria-pressed="true"' in page and 'name="mode" value="off"' in page
    assert stored(session).reading_preferences["mode"] is True
    response = client.post(
        "/reading/mode",
        data={"mode": "off", "next": "https://evil.example/", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"
    assert stored(session).reading_preferences["mode"] is False


def french(app, text: str) -> str:
    """A label of the interface in French (its English text until the catalogue has it)."""
    with app.test_request_context(), force_locale("fr"):
        return gettext(text)


def test_easy_read_by_default_and_the_switch_keeps_the_place(env):
    app, session, client = env
    page = client.get("/modules/ecoute-1/read/signes").get_data(as_text=True)
    assert french(app, "Easy-to-read version") in page
    assert 'href="/modules/ecoute-1/read/signes?variant=easy"' in page
    # A link chose the standard variant in this session; the new default wins over it.
    client.get("/modules/ecoute-1/read/signes?variant=standard")
    post_form(client, "/reading", {"complete": "1", "easy_read": "on"})
    assert stored(session).prefers_easy_read is True
    start = client.get("/modules/ecoute-1")
    assert start.headers["Location"].endswith("/modules/ecoute-1/read/signes")
    page = client.get("/modules/ecoute-1/read/signes").get_data(as_text=True)
    assert french(app, "Standard version") in page
    assert 'href="/modules/ecoute-1/read/signes?variant=standard"' in page
    post_form(client, "/reading", {"complete": "1"})
    assert stored(session).prefers_easy_read is False


def test_syllables_are_marked_by_the_server_when_the_view_is_on(env):
    _app, _session, client = env
    plain = client.get("/modules/ecoute-1/read/travail").get_data(as_text=True)
    assert "sy-sep" not in plain
    post_form(client, "/reading", {"complete": "1", "mode": "on", "syllables": "colour"})
    page = client.get("/modules/ecoute-1/read/travail").get_data(as_text=True)
    article = page.split('id="reading"')[1].split("</article>")[0]
    assert '<span class="sy">tra</span><span class="sy-sep" aria-hidden="true"></span>' in article
    text = re.sub(r"<[^>]+>", "", article)
    assert text == re.sub(r"<[^>]+>", "", plain.split('id="reading"')[1].split("</article>")[0])
    quiz = client.get("/modules/ecoute-1/quiz").get_data(as_text=True)
    # The test content's exception list: con-si-gne.
    assert (
        '<span class="sy">con</span><span class="sy-sep" aria-hidden="true"></span>'
        '<span class="sy sy-b">si</span>'
    ) in quiz
    # Off with the reading mode, even if chosen.
    post_form(client, "/reading", {"complete": "1", "syllables": "colour"})
    assert "sy-sep" not in client.get("/modules/ecoute-1/read/travail").get_data(as_text=True)


def test_the_settings_page_shows_a_preview_of_the_choices(client):
    page = client.get("/reading").get_data(as_text=True)
    assert 'id="rm-preview"' in page and "sy-sep" in page.split('id="rm-preview"')[1]
    for legend in ("Taille du texte", "Couleur du fond", "Police de caractères", "Syllabes"):
        assert f"<legend>{legend}</legend>" in page
    assert "Afficher d&#39;abord la version facile à lire" not in page  # signed out


ARGUMENTS = {"module_id": "ecoute-1", "section_id": "travail", "skill_id": "ecoute"}


@pytest.mark.parametrize("role", ["learner", "trainer", "org_admin"])
def test_every_page_reaches_the_reading_mode_in_one_step(reading_app, role):
    """Every HTML page a person can open (the URL map walked, errors included) has the switch
    and the link to the settings in its header."""
    session = reading_app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, role, username="someone")
    session.commit()
    session.close()
    client = reading_app.test_client()
    sign_in(client, "someone")
    checked = 0
    for rule in reading_app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if set(rule.arguments) - set(ARGUMENTS):
            continue
        url = rule.build({a: ARGUMENTS[a] for a in rule.arguments}, append_unknown=False)[1]
        response = client.get(url)
        if response.mimetype != "text/html" or response.status_code in (301, 302, 303):
            continue
        page = response.get_data(as_text=True)
        if "/print" in url:  # the trainers' print views: paper, no menu
            continue
        assert 'action="/reading/mode"' in page and 'class="rm-settings-link"' in page, url
        assert html_attributes(page)["data-rm"] == "off", url
        checked += 1
    assert checked >= 5
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and 'action="/reading/mode"' in missing.get_data(as_text=True)
