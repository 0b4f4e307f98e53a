"""A demo learner signs in in headless Chromium; every page visited passes axe-core."""

from __future__ import annotations

import pytest

from tests.browser_support import DEMO_PASSWORD, assert_accessible

pytestmark = pytest.mark.browser


def test_demo_learner_signs_in_and_pages_are_accessible(live_server, page, demo_data):
    page.goto(live_server + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Se connecter").first.click()
    assert_accessible(page)
    page.get_by_label("Identifiant").fill("demo-learner")
    page.get_by_label("Mot de passe ou code de connexion").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server + "/dashboard")
    assert "Amina" in page.locator("h1").inner_text()
    assert_accessible(page)
    # Keyboard: the skip link is the first stop and takes focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # English, from the language menu in the header (four languages, each by its own name).
    page.locator(".language-menu summary").click()
    assert page.locator(".language-list button").all_inner_texts() == [
        "Français",
        "English",
        "Deutsch",
        "Italiano",
    ]
    assert_accessible(page)  # the menu open
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    assert page.js_errors == []


def test_wrong_password_message_and_error_page_are_accessible(live_server, page, demo_data):
    page.goto(live_server + "/sign-in")
    page.get_by_label("Identifiant").fill("demo-learner")
    page.get_by_label("Mot de passe ou code de connexion").fill("not the password")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_text("Identifiant, mot de passe ou code incorrect.").is_visible()
    assert_accessible(page)
    page.goto(live_server + "/no-such-page")
    assert page.locator("h1").inner_text() == "Page introuvable"
    assert_accessible(page)


def test_pages_reflow_at_320px(live_server, browser, demo_data):
    ctx = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = ctx.new_page()
    for path in ("/", "/sign-in"):
        page.goto(live_server + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, f"horizontal scrolling at 320 px on {path}"
    ctx.close()
