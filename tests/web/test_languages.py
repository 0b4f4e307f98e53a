"""The four interface languages in the pages (issue 24): the switch offers them by their own
names; the page's `lang` follows the language; a learner's own choice wins, then their
organisation's default (set by its admin), then the browser's, then French; and the key pages in
German and Italian show no English msgid left untranslated."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from learn.i18n import TRANSLATIONS
from learn.models import Organisation, Role
from tests import factories, page_world
from tests.conftest import csrf_token, post_form, sign_in

SWITCH = re.compile(
    r'<button type="submit" name="locale" value="(\w+)" lang="(\w+)" class="link-button"'
    r'(?: aria-current="true")?>([^<]+)</button>'
)
HTML_LANG = re.compile(r'<html lang="(\w+)"')


def page_lang(html: str) -> str:
    return HTML_LANG.search(html).group(1)


@pytest.fixture
def people(app):
    """An organisation (no default language) with a learner, a trainer and its admin, none of
    whom chose a language."""
    db = app.extensions["learn.sessions"]()
    org = factories.organisation(db)
    for role, username in [
        (Role.LEARNER, "lena"),
        (Role.TRAINER, "tom.trainer"),
        (Role.ORG_ADMIN, "ada.admin"),
    ]:
        factories.user(db, org, role, username=username, locale=None)
    db.commit()
    org_id = org.id
    db.close()
    return org_id


def set_default(app, org_id: int, locale: str | None) -> None:
    db = app.extensions["learn.sessions"]()
    db.get(Organisation, org_id).default_locale = locale
    db.commit()
    db.close()


def signed_in(app, username: str, **headers):
    client = app.test_client()
    if headers:
        client.environ_base.update({"HTTP_ACCEPT_LANGUAGE": headers["accept"]})
    assert sign_in(client, username, factories.PASSWORD).status_code == 302
    return client


# --- the switch ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en", "de", "it"])
def test_the_switch_lists_the_four_languages_by_their_own_names(client, language):
    html = client.get("/sign-in", headers={"Accept-Language": language}).get_data(as_text=True)
    assert page_lang(html) == language
    offered = [(value, lang, name.strip()) for value, lang, name in SWITCH.findall(html)]
    assert offered == [
        ("fr", "fr", "Français"),
        ("en", "en", "English"),
        ("de", "de", "Deutsch"),
        ("it", "it", "Italiano"),
    ]
    current = re.search(r'aria-current="true">([^<]+)<', html).group(1)
    assert (
        current == {"fr": "Français", "en": "English", "de": "Deutsch", "it": "Italiano"}[language]
    )


@pytest.mark.parametrize(("language", "sign_in_word"), [("de", "Anmelden"), ("it", "Accedi")])
def test_choosing_german_or_italian_translates_the_page(client, language, sign_in_word):
    response = post_form(client, "/language", {"locale": language, "next": "/sign-in"}, "/sign-in")
    assert response.status_code == 302
    html = client.get("/sign-in").get_data(as_text=True)
    assert page_lang(html) == language
    assert f">{sign_in_word}<" in html


def test_an_unknown_language_changes_nothing(client):
    post_form(client, "/language", {"locale": "xx", "next": "/sign-in"}, "/sign-in")
    assert (
        page_lang(client.get("/sign-in", headers={"Accept-Language": "it"}).get_data(True)) == "it"
    )


# --- the order: own choice, organisation, browser, French ----------------------------------------


def test_the_organisation_default_applies_to_members_who_chose_nothing(app, people):
    set_default(app, people, "de")
    client = signed_in(app, "lena", accept="it")
    assert page_lang(client.get("/dashboard").get_data(as_text=True)) == "de"


def test_a_learners_own_choice_wins_over_the_organisation_default(app, people):
    set_default(app, people, "de")
    client = signed_in(app, "lena")
    post_form(client, "/language", {"locale": "it", "next": "/dashboard"}, "/dashboard")
    assert page_lang(client.get("/dashboard").get_data(as_text=True)) == "it"
    # Saved on the account: a new session (another device) keeps it.
    again = signed_in(app, "lena", accept="fr")
    assert page_lang(again.get("/dashboard").get_data(as_text=True)) == "it"


def test_without_an_organisation_default_the_browser_then_french(app, people):
    assert page_lang(signed_in(app, "lena", accept="it").get("/dashboard").get_data(True)) == "it"
    assert page_lang(signed_in(app, "lena", accept="es").get("/dashboard").get_data(True)) == "fr"


def test_the_default_does_not_reach_another_organisation(app, people):
    set_default(app, people, "de")
    db = app.extensions["learn.sessions"]()
    other = factories.organisation(db, slug="autre", name="Autre")
    factories.user(db, other, Role.LEARNER, username="omar", locale=None)
    db.commit()
    db.close()
    assert page_lang(signed_in(app, "omar", accept="en").get("/dashboard").get_data(True)) == "en"


# --- the organisation admin sets it ------------------------------------------------------------


def stored_default(app, org_id: int) -> str | None:
    db = app.extensions["learn.sessions"]()
    try:
        return db.scalar(select(Organisation.default_locale).where(Organisation.id == org_id))
    finally:
        db.close()


def test_the_organisation_admin_sets_the_default_language(app, people):
    admin = signed_in(app, "ada.admin")
    page = admin.get("/trainer/organisation").get_data(as_text=True)
    assert 'name="default_locale"' in page
    for code, name in [("de", "Deutsch"), ("it", "Italiano")]:
        assert f'<option lang="{code}" value="{code}">{name}</option>' in page
    token = csrf_token(admin, "/trainer/organisation")
    response = admin.post(
        "/trainer/organisation/language", data={"csrf_token": token, "default_locale": "it"}
    )
    assert response.status_code == 302
    assert stored_default(app, people) == "it"
    # The admin chose no language either: the page is now in Italian.
    assert page_lang(admin.get("/trainer/organisation").get_data(as_text=True)) == "it"
    # Back to "each person's browser".
    admin.post("/trainer/organisation/language", data={"csrf_token": token, "default_locale": ""})
    assert stored_default(app, people) is None


def test_a_bad_language_is_refused_without_change(app, people):
    admin = signed_in(app, "ada.admin")
    token = csrf_token(admin, "/trainer/organisation")
    response = admin.post(
        "/trainer/organisation/language", data={"csrf_token": token, "default_locale": "xx"}
    )
    assert response.status_code == 400
    assert stored_default(app, people) is None


def test_without_the_csrf_token_nothing_changes(app, people):
    admin = signed_in(app, "ada.admin")
    response = admin.post("/trainer/organisation/language", data={"default_locale": "de"})
    assert response.status_code == 400
    assert stored_default(app, people) is None


@pytest.mark.parametrize("username", ["tom.trainer", "lena"])
def test_only_the_organisation_admin_sets_it(app, people, username):
    client = signed_in(app, username)
    token = csrf_token(client, "/choose-password")
    response = client.post(
        "/trainer/organisation/language", data={"csrf_token": token, "default_locale": "de"}
    )
    assert response.status_code == 403
    assert stored_default(app, people) is None


def test_a_visitor_is_sent_to_sign_in(app, people):
    client = app.test_client()
    token = csrf_token(client, "/sign-in")
    response = client.post(
        "/trainer/organisation/language", data={"csrf_token": token, "default_locale": "de"}
    )
    assert response.status_code in (302, 401)
    assert stored_default(app, people) is None


# --- no English left on the key pages ----------------------------------------------------------


class TextOf(HTMLParser):
    """The text a reader sees or hears: the text nodes and the labels in attributes."""

    SPOKEN = {"aria-label", "title", "alt", "placeholder"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.parts.extend(value for name, value in attrs if name in self.SPOKEN and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def shown_text(html: str) -> str:
    parser = TextOf()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_left(language: str) -> list[str]:
    """The msgids whose translation differs, as literal pieces of three words or more (a
    placeholder cuts a msgid into pieces)."""
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalogue = read_po(po)
    pieces = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            if text in strings:
                continue
            for piece in re.split(r"%\(\w+\)[sd]|%%", text):
                piece = " ".join(piece.split()).strip(" :.,;()")
                if len(piece.split()) >= 3:
                    pieces.add(piece)
    return sorted(pieces)


def key_pages(app, language: str) -> dict[str, str]:
    world = page_world.build(app)
    pages = {}
    visitor = app.test_client()
    pages["sign-in"] = visitor.get("/sign-in", headers={"Accept-Language": language})
    learner = app.test_client()
    sign_in(learner, world.learner, factories.PASSWORD)
    post_form(learner, "/language", {"locale": language, "next": "/dashboard"}, "/dashboard")
    first_part = learner.get("/modules/ecoute-1").headers["Location"]
    for url in [
        "/dashboard",
        "/catalog",
        "/skills/ecoute",
        "/skills/ecoute/placement",
        first_part,
        "/modules/ecoute-1/quiz",
        f"/modules/{page_world.RUBRIC_MODULE}/workshop",
        "/choose-password",
        "/reading",
    ]:
        pages[f"learner {url}"] = learner.get(url)
    trainer = app.test_client()
    sign_in(trainer, world.admin, factories.PASSWORD)
    post_form(trainer, "/language", {"locale": language, "next": "/trainer/"}, "/trainer/")
    for url in [
        "/trainer/",
        "/trainer/groups",
        f"/trainer/groups/{world.group_id}",
        "/trainer/learners",
        f"/trainer/learners/{world.other_id}",
        "/trainer/needs-help",
        "/trainer/reviews",
        f"/trainer/reviews/{world.review_id}",
        "/trainer/organisation",
        "/admin/learners",
        "/admin/staff",
    ]:
        pages[f"admin {url}"] = trainer.get(url)
    for label, response in pages.items():
        assert response.status_code == 200, label
    return {label: response.get_data(as_text=True) for label, response in pages.items()}


@pytest.mark.parametrize("language", ["de", "it"])
def test_the_key_pages_show_no_english_msgid(app, language):
    english = english_left(language)
    assert len(english) > 300  # the check has something to find
    left = {}
    for label, html in key_pages(app, language).items():
        assert page_lang(html) == language, label
        text = shown_text(html)
        found = [piece for piece in english if piece in text]
        if found:
            left[label] = found
    assert left == {}
