"""The issue's "done when", on a phone: a dyslexic learner turns the reading mode on in one step,
reads a module with the ruler, read aloud, syllables and the glossary, then takes its quiz by
touch with the questions read aloud, and finds the same settings when signing in elsewhere."""

from __future__ import annotations

import pytest

from tests.browser_support import assert_accessible
from tests.reading import browser_checks as checks
from tests.reading.browser_checks import HIGHLIGHT, TTS_STUB, sign_in

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def app(app_factory):
    return app_factory(LEARN_CATALOG_HOLDER=checks.reading_catalog())


def test_a_module_and_its_quiz_with_every_aid_on_a_phone(app, browser, live_server):
    checks.add_learner(app)
    phone = browser.new_context(locale="fr-FR", **PHONE)
    phone.add_init_script(TTS_STUB)
    page = phone.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server)

    # One step, from the dashboard.
    with page.expect_response(lambda response: "/reading/mode" in response.url):
        page.get_by_role("button", name="Mode lecture").tap()
    assert page.locator("html").get_attribute("data-rm") == "on"
    # The syllables in two colours, chosen on the settings page by touch.
    page.get_by_role("link", name="Réglages de lecture").tap()
    page.get_by_text("En deux couleurs").tap()
    page.get_by_role("status").filter(has_text="enregistrés").wait_for()

    page.goto(live_server + "/modules/ecoute-1")
    page.wait_for_url("**/modules/ecoute-1/read/travail")
    assert page.locator("#reading .sy-b").count() > 10
    assert checks.horizontal_overflow(page) == 0
    # The ruler, opened and closed.
    ruler = page.get_by_role("button", name="Règle de lecture")
    ruler.tap()
    assert page.locator(".rm-ruler").is_visible()
    ruler.tap()
    assert page.locator(".rm-ruler").is_hidden()
    # Read aloud, with the sentence highlighted (the syllables are not read as pieces).
    page.get_by_role("button", name="Lire à voix haute").tap()
    page.evaluate("window.__tts.current.onstart({})")
    assert page.evaluate(HIGHLIGHT, "tts-sentence") == "Écouter au travail"
    page.get_by_role("button", name="Arrêter").tap()
    # A hard word, by touch.
    page.locator("#reading a.gloss").first.tap()
    assert "ce qu'on vous demande de faire." in page.locator("#gloss-tip").inner_text()
    assert_accessible(page)

    page.locator("a[rel=next]").tap()
    page.wait_for_url("**/read/signes")
    page.get_by_role("link", name="Terminer : activité et quiz").tap()
    page.get_by_role("link", name="Faire le quiz").tap()
    page.wait_for_url("**/quiz")
    # The first question and its options, read aloud one after the other.
    page.get_by_role("button", name="Écouter : Question 1").tap()
    heard = []
    while page.evaluate("window.__tts.current !== null") and len(heard) < 10:
        heard.append(page.evaluate("window.__tts.current.text"))
        page.evaluate("window.__tts.current.onend({})")
    assert "Vous reformulez la consigne." in heard and "Que faites-vous\u202f?" in heard
    # Answers by touch: on the text of an option, and on the box drawn in the theme's colours.
    page.get_by_text("Vous reformulez la consigne.").tap()
    assert page.get_by_label("Vous reformulez la consigne.").is_checked()
    page.get_by_label("Vrai").tap()
    assert page.get_by_label("Vrai").is_checked()
    assert checks.choice_controls(page)["problems"] == []
    page.locator("#quiz input[type=text]").fill("reformuler")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer mes réponses").tap()
    page.wait_for_url("**/attempts/*")
    page.get_by_text("Réussi : ce module est validé.").wait_for()
    assert page.locator("html").get_attribute("data-rm") == "on"
    assert checks.horizontal_overflow(page) == 0
    assert problems == []
    phone.close()

    # Elsewhere, the same settings.
    computer = browser.new_context(locale="fr-FR")
    page = computer.new_page()
    sign_in(page, live_server)
    assert page.locator("html").get_attribute("data-rm") == "on"
    assert page.locator("html").get_attribute("data-rm-syllables") == "colour"
    computer.close()
