"""Reading settings in headless Chromium: the reading mode in one step on a phone, the settings
page's live preview and autosave, the same settings after a reload and on another device, the
browser's copy for a reader who is signed out (applied before the first paint), and all of it
without JavaScript."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from learn.models import User
from tests.browser_support import assert_accessible
from tests.reading import browser_checks as checks
from tests.reading.browser_checks import READ_PAGE, sign_in

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CREAM = "rgb(250, 244, 227)"
# Records the page's background at the first animation frame, before anything is painted.
FIRST_FRAME = """
requestAnimationFrame(() => {
  window.__firstFrame = {
    background: getComputedStyle(document.documentElement).backgroundColor,
    mode: document.documentElement.getAttribute("data-rm"),
    fontPreloads: [...document.querySelectorAll("link[rel=preload][as=font]")]
      .map((link) => link.getAttribute("href").split("/").pop()),
  };
});
"""


@pytest.fixture
def app(app_factory):
    return app_factory(LEARN_CATALOG_HOLDER=checks.reading_catalog())


@pytest.fixture
def learner(app):
    checks.add_learner(app)


@pytest.fixture
def variant_labels(app) -> tuple[str, str]:
    """The switch to the easy-read and to the standard version, in French (their English text
    until the catalogue has them)."""
    with app.test_request_context(), force_locale("fr"):
        return gettext("Easy-to-read version"), gettext("Standard version")


def account_prefs(app, username: str = "lea"):
    session = app.extensions["learn.sessions"]()
    user = session.scalars(select(User).where(User.username == username)).one()
    found = (user.reading_preferences, user.prefers_easy_read)
    session.close()
    return found


def html(page, name: str = "data-rm"):
    return page.locator("html").get_attribute(name)


def test_one_step_on_a_phone_then_the_same_settings_on_another_device(
    app, browser, live_server, learner
):
    phone = browser.new_context(locale="fr-FR", **PHONE)
    page = phone.new_page()
    sign_in(page, live_server)
    page.goto(live_server + READ_PAGE)
    switch = page.get_by_role("button", name="Mode lecture")
    assert switch.get_attribute("aria-pressed") == "false"
    with page.expect_response(lambda response: "/reading/mode" in response.url):
        switch.tap()
    assert html(page) == "on"
    assert switch.get_attribute("aria-pressed") == "true"
    assert page.url.endswith(READ_PAGE)  # no page load: the place is kept
    metrics = checks.text_metrics(page)
    assert metrics["fontSize"] >= 18 and metrics["letterSpacing"] > 0
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") == CREAM
    assert account_prefs(app)[0]["mode"] is True

    # The settings page: a change shows at once and is saved without a button.
    page.get_by_role("link", name="Réglages de lecture").tap()
    page.get_by_label("Sombre").check()
    assert html(page, "data-rm-theme") == "dark"
    assert page.locator("#rm-preview").get_attribute("data-rm-theme") == "dark"
    page.get_by_role("status").filter(has_text="enregistrés").wait_for()
    page.get_by_label("Très grand (24 px)").check()
    page.get_by_label("Lexend").check()
    page.get_by_label("En deux couleurs").check()
    page.get_by_role("status").filter(has_text="enregistrés").wait_for()
    page.wait_for_timeout(700)
    assert_accessible(page)
    page.reload()
    assert html(page, "data-rm-theme") == "dark" and html(page, "data-rm-size") == "24"
    phone.close()

    computer = browser.new_context(locale="fr-FR")
    page = computer.new_page()
    sign_in(page, live_server)
    page.goto(live_server + READ_PAGE)
    assert html(page) == "on" and html(page, "data-rm-from") == "account"
    assert html(page, "data-rm-theme") == "dark" and html(page, "data-rm-size") == "24"
    assert html(page, "data-rm-font") == "lexend" and html(page, "data-rm-syllables") == "colour"
    assert page.locator("#reading .sy-b").count() > 10
    assert page.locator("#rm-mode").count() == 0
    # And off again in one step, the other settings kept for next time.
    with page.expect_response(lambda response: "/reading/mode" in response.url):
        page.get_by_role("button", name="Mode lecture").click()
    assert html(page) == "off"
    prefs = account_prefs(app)[0]
    assert prefs["mode"] is False and prefs["theme"] == "dark"
    computer.close()


def test_the_recommended_settings_in_one_click(app, browser, live_server, learner):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + "/reading")
    page.get_by_role("button", name="Utiliser les réglages conseillés").click()
    page.get_by_role("status").filter(has_text="enregistrés").wait_for()
    assert html(page) == "on" and page.locator("#rm-mode").is_checked()
    assert page.get_by_label("Crème (conseillé)").is_checked()
    assert account_prefs(app)[0]["size"] == "20"
    context.close()


def test_the_settings_page_works_with_the_keyboard_alone(app, browser, live_server, learner):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + "/reading")
    for _ in range(30):  # Tab from the top of the page to the reading mode's box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "rm-mode":
            break
    else:
        raise AssertionError("Tab never reached the reading mode's box")
    page.keyboard.press("Space")
    assert html(page) == "on"
    while page.evaluate("document.activeElement.name") != "size":
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "20"  # the checked choice
    page.keyboard.press("ArrowDown")
    assert html(page, "data-rm-size") == "24"
    assert page.locator("#rm-preview").get_attribute("data-rm-size") == "24"
    page.get_by_role("status").filter(has_text="enregistrés").wait_for()
    prefs = account_prefs(app)[0]
    assert prefs["mode"] is True and prefs["size"] == "24"
    # What a screen reader is told: each setting a named group of named choices.
    size = page.get_by_role("group", name="Taille du texte")
    assert size.get_by_role("radio", name="Très grand (24 px)").is_checked()
    assert page.get_by_role("checkbox", name="Activer le mode lecture").is_checked()
    context.close()


def test_signed_out_settings_stay_in_this_browser_and_apply_before_the_first_paint(
    app, browser, live_server, learner
):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(live_server + "/reading")
    assert "gardés dans ce navigateur" in page.content()
    page.get_by_label("Activer le mode lecture").check()
    page.get_by_label("Le plus grand (32 px)").check()
    page.get_by_label("Atkinson Hyperlegible").check()
    page.get_by_role("status").filter(has_text="enregistrés").wait_for()
    saved = page.evaluate("JSON.parse(localStorage.getItem('parcours.reading'))")
    assert saved["mode"] is True and saved["size"] == "32" and saved["font"] == "atkinson"
    # The session ends (cookies gone): the browser's copy still applies, before any paint.
    context.clear_cookies()
    context.add_init_script(FIRST_FRAME)
    page.goto(live_server + "/sign-in")
    assert html(page, "data-rm-from") == "browser"
    assert html(page) == "on" and html(page, "data-rm-size") == "32"
    checks.wait_until(page, "window.__firstFrame !== undefined")
    # The font chosen is preloaded before the first paint too.
    assert page.evaluate("window.__firstFrame") == {
        "background": CREAM,
        "mode": "on",
        "fontPreloads": ["atkinson-hyperlegible-latin-400-normal.woff2"],
    }
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Atkinson Hyperlegible\"')")
    assert checks.horizontal_overflow(page) == 0
    assert_accessible(page)

    # Signing in to an account with nothing saved keeps what this browser had, on the account.
    page.get_by_label("Identifiant").fill("lea")
    page.get_by_label("Mot de passe ou code de connexion").fill(checks.factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server + "/dashboard")
    assert html(page) == "on"
    page.locator("html[data-rm-from='account']").wait_for(state="attached")
    assert account_prefs(app)[0]["size"] == "32"
    # Another reader's account is never copied into this browser.
    page.evaluate("localStorage.removeItem('parcours.reading')")
    page.goto(live_server + "/reading")
    page.get_by_label("Sombre").check()
    page.get_by_role("status").filter(has_text="enregistrés").wait_for()
    assert page.evaluate("localStorage.getItem('parcours.reading')") is None
    context.close()


def test_without_javascript_the_switch_the_settings_and_easy_read_still_work(
    app, browser, live_server, learner, variant_labels
):
    to_easy, to_standard = variant_labels
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + READ_PAGE)
    page.get_by_role("button", name="Mode lecture").click()
    page.wait_for_url(live_server + READ_PAGE)
    assert html(page) == "on"
    assert page.get_by_role("button", name="Mode lecture").get_attribute("aria-pressed") == "true"
    assert checks.text_metrics(page)["fontSize"] == 20
    page.get_by_role("link", name="Réglages de lecture").click()
    page.get_by_label("Bleu pastel").check()
    page.get_by_label("Séparées par un point").check()
    page.get_by_label("Afficher d'abord la version facile à lire des modules").check()
    page.get_by_role("button", name="Enregistrer mes réglages").click()
    assert "Vos réglages de lecture sont enregistrés." in page.content()
    page.get_by_role("link", name="Revenir à votre page").click()
    assert page.url.endswith(READ_PAGE)
    assert html(page, "data-rm-theme") == "blue"
    assert page.locator("#reading .sy-sep").count() > 10
    prefs, easy = account_prefs(app)
    assert prefs["theme"] == "blue" and easy is True
    # Easy-read by default; the switch beside the text keeps the part.
    page.goto(live_server + "/modules/ecoute-1")
    assert page.get_by_role("link", name=to_standard).is_visible()
    part = page.url
    page.get_by_role("link", name=to_standard).click()
    assert page.url.startswith(part) and "variant=standard" in page.url
    assert page.get_by_role("link", name=to_easy).is_visible()
    # The reading tools need JavaScript: none of their buttons is left dead.
    assert page.locator(".reading-tools").is_hidden()
    context.close()


def test_switching_variant_keeps_the_place_and_the_progress(
    app, browser, live_server, learner, variant_labels
):
    to_easy, to_standard = variant_labels
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + "/modules/ecoute-1/read/travail")
    page.get_by_role("link", name="Les signes de l'écoute").first.click()
    page.get_by_role("link", name=to_easy).click()
    assert "/modules/ecoute-1/read/signes" in page.url
    assert page.get_by_text("Partie 2 sur 2").is_visible()
    page.goto(live_server + "/dashboard")
    page.get_by_role("link", name="Continuer : Écouter : niveau 1").click()
    assert page.url.endswith("/modules/ecoute-1/read/signes")
    assert page.get_by_role("link", name=to_standard).is_visible()
    context.close()
