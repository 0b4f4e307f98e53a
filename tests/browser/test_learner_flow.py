"""A learner's whole path in headless Chromium, with and without JavaScript: placement, reading,
a failed quiz, the corrections, a retry, mastery, and resuming on another device. axe-core runs
on every page visited."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext

from learn.models import Role
from tests import factories
from tests.browser_support import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def app(small_app):
    """The browser tests of this file serve the small fixture content."""
    return small_app


@pytest.fixture
def learner(small_app):
    session = small_app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, Role.LEARNER, username="lea", display_name="Léa")
    session.commit()
    session.close()


def no_check(page) -> None:
    """axe runs inside the page: with JavaScript off it cannot (the JS run checks those pages)."""


def sign_in(page, base, check=assert_accessible):
    page.goto(base + "/sign-in")
    check(page)
    page.get_by_label("Identifiant").fill("lea")
    page.get_by_label("Mot de passe ou code de connexion").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/dashboard")
    check(page)


def answer_quiz(page, right: bool):
    page.get_by_label("Vous reformulez la consigne.").check()
    if right:
        page.get_by_label("Vrai").check()
        page.get_by_label("Votre réponse").fill("Reformuler")
    page.get_by_role("button", name="Envoyer mes réponses").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_learner_path(app, browser, live_server, learner, javascript):
    base = live_server
    check = assert_accessible if javascript else no_check
    context = browser.new_context(locale="fr-FR", java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, base, check)

    # Placement: the situations of level 1 right, level 2 wrong → start at level 2.
    page.goto(base + "/skills/ecoute")
    check(page)
    assert "Plus tard" in page.content()
    page.get_by_role("link", name="Répondez à quelques questions").click()
    check(page)
    for statement, answer in (("level-1", "4"), ("level-2", "1"), ("level-3", "1")):
        page.locator(f"#pl-{statement}-{answer}").check()
    page.get_by_label("Comprendre ce que dit l'autre.").check()
    page.get_by_label("Devinez.").check()
    page.get_by_label("Ne dites rien.").check()
    page.get_by_role("button", name="Voir mon niveau de départ").click()
    page.get_by_role("heading", name="Votre niveau de départ : 2").wait_for()
    check(page)

    # Read level 1, fail its quiz, read the corrections, retry, master it.
    page.goto(base + "/modules/ecoute-1")
    assert page.get_by_role("heading", name="Écouter au travail").is_visible()
    check(page)
    page.get_by_role("link", name="Les signes de l'écoute").first.click()
    check(page)
    page.get_by_role("link", name="Terminer : activité et quiz").click()
    check(page)
    page.get_by_role("link", name="Faire le quiz").click()
    check(page)
    assert "Oui, vous vérifiez." not in page.content()
    page.get_by_label("Vous partez tout de suite.").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url("**/attempts/*")
    assert "Pas encore réussi" in page.content()
    assert "Reformuler permet de vérifier." in page.content()
    check(page)
    page.get_by_role("link", name="Réessayer").click()
    answer_quiz(page, right=True)
    page.wait_for_url("**/attempts/*")
    page.get_by_text("Réussi : ce module est validé.").wait_for()
    check(page)

    # Leave in the middle of level 2, then resume on a new device at the same part.
    page.goto(base + "/modules/ecoute-2")
    page.get_by_role("link", name="Questionner").first.click()
    assert page.url.endswith("/modules/ecoute-2/read/questionner")
    context.close()

    other_device = browser.new_context(locale="fr-FR", java_script_enabled=javascript)
    page = other_device.new_page()
    sign_in(page, base, check)
    page.get_by_role("link", name="Continuer : Écouter : niveau 2").click()
    assert page.url.endswith("/modules/ecoute-2/read/questionner")
    check(page)
    # The easy-read switch keeps the place.
    with app.test_request_context(), force_locale("fr"):
        easy = gettext("Easy-to-read version")  # its English text until the catalogue has it
    page.get_by_role("link", name=easy).click()
    assert "/modules/ecoute-2/read/questionner" in page.url
    check(page)
    other_device.close()


def test_phone_width_has_no_horizontal_scroll(browser, live_server, learner):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server)
    for path in (
        "/dashboard",
        "/catalog",
        "/skills/ecoute",
        "/modules/ecoute-1/read/travail",
        "/modules/ecoute-1/end",
        "/modules/ecoute-1/quiz",
        "/modules/es-social/workshop",
    ):
        page.goto(live_server + path)
        wide = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not wide, f"horizontal scrolling at 320 px on {path}"
        assert_accessible(page)
    context.close()


def test_keyboard_alone_can_answer_and_send_a_quiz(browser, live_server, learner):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + "/modules/ecoute-1/quiz")
    page.locator("#q-q1-b").focus()
    page.keyboard.press("Space")
    assert page.locator("#q-q1-b").is_checked()
    page.get_by_role("button", name="Envoyer mes réponses").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/attempts/*")
    assert re.search(r"bonnes? réponses? sur 3", page.content())  # plural forms by Babel
    context.close()


def test_workshop_autosaves_with_javascript(browser, live_server, learner, small_app):
    from sqlalchemy import select

    from learn.models import WorkshopAnswer

    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + "/modules/es-social/workshop")
    page.locator("#p-mission").fill("Réparer des vélos avec des jeunes du quartier")
    page.wait_for_selector(".autosave-status:has-text('Brouillon enregistré')", timeout=10_000)
    session = small_app.extensions["learn.sessions"]()
    row = session.scalar(select(WorkshopAnswer))
    assert row.answers["mission"] == "Réparer des vélos avec des jeunes du quartier"
    assert row.status == "draft"
    session.close()
    assert_accessible(page)
    context.close()
