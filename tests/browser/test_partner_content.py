"""Issue 24's "done when": a learner uses Parcours end to end in German and in Italian on a phone,
reading the social-entrepreneurship course and a level-1 soft-skill module in their language,
with and without JavaScript: sign in, the module's first part and the next one (titles from the
shipped translation, not the French), its quiz, the competency grid with the skill's name in the
language; axe-core finds nothing (with JavaScript), nothing scrolls sideways at 360 px."""

from __future__ import annotations

import html
import re

import pytest

from learn.i18n import _, using_locale
from learn.models import Role
from tests import factories
from tests.browser_support import assert_accessible
from tests.reading.browser_checks import horizontal_overflow

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LANGUAGES = [("de", "de-DE"), ("it", "it-IT")]


@pytest.fixture
def learner(app):
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, Role.LEARNER, username="nora", display_name="Nora", locale=None)
    session.commit()
    session.close()


def check(page, language: str, where: str, javascript: bool) -> None:
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == language, where
    assert horizontal_overflow(page) == 0, where
    if javascript:
        assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(("language", "browser_locale"), LANGUAGES)
def test_the_course_and_a_level_1_module_in_the_learners_language(
    app, browser, live_server, real_catalog, learner, language, browser_locale, javascript
):
    catalog = real_catalog.get()
    with using_locale(language):
        username, password = _("Username"), _("Password or sign-in code")
        sign_in = _("Sign in")
    context = browser.new_context(
        locale=browser_locale, viewport=PHONE, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label(username).fill("nora")
    page.get_by_label(password).fill(factories.PASSWORD)
    page.get_by_role("button", name=sign_in, exact=True).click()
    page.wait_for_url(live_server + "/dashboard")
    check(page, language, "dashboard", javascript)
    for module_id in ("es-social", "ecoute-1"):
        variant = catalog.variant(module_id, language, "standard")
        assert variant.lang == language, module_id  # a reviewed translation is served
        french = catalog.variant(module_id, "fr", "standard")
        assert variant.title != french.title
        page.goto(f"{live_server}/modules/{module_id}")
        check(page, language, module_id, javascript)
        assert page.locator("h1").inner_text().strip() == variant.title
        assert page.locator("#reading").get_attribute("lang") is None  # the page's own language
        page.locator("a[rel=next]").first.click()
        page.wait_for_load_state("load")
        assert variant.sections[1].title in page.locator("#reading").inner_text(), module_id
        check(page, language, f"{module_id}, second part", javascript)
        page.goto(f"{live_server}/modules/{module_id}/quiz")
        check(page, language, f"{module_id}, quiz", javascript)
        shown = " ".join(page.locator("main").inner_text().split())
        asked = " ".join(re.sub(r"<[^>]+>", "", variant.questions[0].text_html).split())
        assert html.unescape(asked)[:25] in shown, module_id
    # The competency grid names the skill in the learner's language.
    page.goto(f"{live_server}/skills/ecoute")
    check(page, language, "the skill's page", javascript)
    assert catalog.skill("ecoute").title.get(language) in page.locator("main").inner_text()
    context.close()
