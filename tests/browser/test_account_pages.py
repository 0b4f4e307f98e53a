"""The account pages in headless Chromium, on a phone and a computer, in French and in English:
a trainer renames a learner and closes the account at the end of the contract, then sees the
learner marked; an organisation admin's staff pages. The checks of test_new_pages.py on each
(axe-core: no WCAG 2.2 A/AA violation; no sideways scroll at 320 px; nothing clipped; targets of
24 × 24 px; a visible focus on Tab)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests import page_world
from tests.browser.test_new_pages import check_page, open_and_check, open_as

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app):
    return page_world.build(app)


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_a_trainer_closes_a_learner_in_the_browser(app, world, browser, live_server, locale):
    context, page = open_as(browser, live_server, world.trainer, locale)
    learner = f"/trainer/learners/{world.other_id}"
    open_and_check(
        page,
        live_server,
        {
            "rename": (learner + "/rename", "main form input#username", 1),
            "close": (learner + "/close", "main form select#reason option", 8),
        },
        locale,
    )
    # The whole journey with the keyboard's form controls, without script.
    page.goto(live_server + learner + "/close")
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Paris")).date()  # the account's day
    page.locator("#closed_on").fill(today.isoformat())
    page.locator("#reason").select_option("transition_job")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(learner)
    mark = ("sorti·e le " if locale == "fr" else "left on ") + today.strftime("%d/%m/%Y")
    assert page.locator("h1 .tag").inner_text() == mark
    check_page(page, f"closed-learner-{locale}")
    page.goto(live_server + "/trainer/learners")
    assert page.locator(f"text={mark}").count() == 1
    check_page(page, f"learners-with-a-closed-one-{locale}")
    assert page.problems == []
    context.close()


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_staff_pages_in_the_browser(app, world, browser, live_server, locale):
    context, page = open_as(browser, live_server, world.admin, locale)
    page.goto(live_server + "/admin/staff")
    # The row whose username cell is the trainer's: its link (the name) leads to their page.
    trainer_link = page.locator(f"main tr:has(td:text-is('{world.trainer}')) a")
    staff_path = trainer_link.first.get_attribute("href")
    open_and_check(
        page,
        live_server,
        {
            "staff": ("/admin/staff", "main table tbody tr", 2),
            "new-staff": ("/admin/staff/new", "main form select#role", 1),
            "staff-member": (staff_path, "main form button", 2),
        },
        locale,
    )
    page.goto(live_server + staff_path)
    page.locator(f"main form[action='{staff_path}/code'] button").click()
    page.wait_for_load_state()
    assert page.locator(".sign-in-card .code").count() == 1
    check_page(page, f"staff-card-{locale}")
    assert page.problems == []
    context.close()
