"""The learner's key journey in German and in Italian on a 320 px phone (issue 24): sign in,
the dashboard, a module's part, its quiz; axe-core finds nothing, and no page scrolls sideways
(German words are long), the language menu open included."""

from __future__ import annotations

import pytest

from learn.i18n import _, using_locale
from learn.models import Role
from tests import factories
from tests.browser_support import assert_accessible
from tests.reading.browser_checks import horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture
def learner(app):
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, Role.LEARNER, username="lena", display_name="Lena", locale=None)
    session.commit()
    session.close()


def check(page, language: str, where: str) -> None:
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == language, where
    assert horizontal_overflow(page) == 0, where
    assert_accessible(page)


@pytest.mark.parametrize(("language", "browser_locale"), [("de", "de-DE"), ("it", "it-IT")])
def test_the_key_journey_on_a_phone(app, browser, live_server, learner, language, browser_locale):
    with using_locale(language):
        words = {
            key: _(text)
            for key, text in {
                "username": "Username",
                "password": "Password or sign-in code",
                "sign_in": "Sign in",
                "send": "Send my answers",
            }.items()
        }
    context = browser.new_context(locale=browser_locale, viewport={"width": 320, "height": 640})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server + "/sign-in")
    check(page, language, "sign-in")
    page.get_by_label(words["username"]).fill("lena")
    page.get_by_label(words["password"]).fill(factories.PASSWORD)
    page.get_by_role("button", name=words["sign_in"], exact=True).click()
    page.wait_for_url(live_server + "/dashboard")
    check(page, language, "dashboard")
    # The language menu, open: the four languages, nothing wider than the phone.
    page.locator(".language-menu summary").click()
    assert page.locator(".language-list button").all_inner_texts() == [
        "Français",
        "English",
        "Deutsch",
        "Italiano",
    ]
    check(page, language, "language menu")
    page.goto(live_server + "/modules/ecoute-1")
    check(page, language, "a module's part")
    page.goto(live_server + "/modules/ecoute-1/quiz")
    check(page, language, "the quiz")
    assert page.get_by_role("button", name=words["send"]).is_visible()
    assert errors == []
    context.close()
