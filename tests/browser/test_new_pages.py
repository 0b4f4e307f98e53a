"""The pages and page parts added lately, in headless Chromium, on a phone (360 × 740) and on a
computer (1280 × 900), in French and in English, with the reading mode off and at its largest
settings: the trainer's worksheet review with its rubric, the learner's worksheet with the
ratings, the competency grid with a level awaiting evidence, the trainers' guides, the password
page (and its key in the header, for every role), the easy-read placement with its switch and its
error summary, a quiz with its options shuffled and its corrections, the difficult-questions
report with what learners typed.

On every page: axe-core finds no WCAG 2.2 A/AA violation, nothing scrolls sideways at 320 px,
no text is clipped, every control is 24 × 24 px or more, and Tab reaches the controls with a
visible focus. With LEARN_SCREENSHOTS=<folder>, each page is saved there as PNG (to look at)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from learn.models import User
from tests import factories, page_world
from tests.browser.test_reading_tools_phone import LARGEST
from tests.browser_support import assert_accessible
from tests.reading import browser_checks as checks
from tests.reading.browser_checks import reading

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
NARROWEST = {"width": 320, "height": 640}
SHOTS = os.environ.get("LEARN_SCREENSHOTS")


@pytest.fixture
def world(app):
    return page_world.build(app)


def set_reading(app, usernames, prefs) -> None:
    from sqlalchemy import select

    db = app.extensions["learn.sessions"]()
    for user in db.scalars(select(User).where(User.username.in_(usernames))):
        user.reading_preferences = prefs
    db.commit()
    db.close()


def open_as(browser, base: str, username: str, locale: str = "fr"):
    """A signed-in browser of a phone's size, in `locale`; page.problems collects script errors."""
    context = browser.new_context(locale=f"{locale}-FR", viewport=PHONE)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on("console", lambda msg: page.problems.append(msg.text) if msg.type == "error" else None)
    page.goto(base + "/sign-in")
    page.locator("#username").fill(username)
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/sign-in" not in page.url, f"{username} could not sign in"
    return context, page


def shoot(page, name: str) -> None:
    """The whole page in screens of 1000 px (a long page in one image is too small to read)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    width, height = page.evaluate(
        "[document.documentElement.clientWidth, document.documentElement.scrollHeight]"
    )
    for n, top in enumerate(range(0, height, 1000)):
        clip = {"x": 0, "y": top, "width": width, "height": min(1000, height - top)}
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{n}.png"), full_page=True, clip=clip)


def check_page(page, name: str) -> None:
    """The checks of this file on the page shown, at the three widths."""
    for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page.set_viewport_size(size)
        page.wait_for_load_state("load")
        assert_accessible(page)
        assert checks.small_targets(page) == [], (name, label)
        shoot(page, f"{name}-{label}")
    assert checks.focus_problems(page, presses=30) == [], name
    page.set_viewport_size(NARROWEST)
    assert checks.horizontal_overflow(page) == 0, (name, widest(page))
    assert checks.clipped_text(page) == [], name
    page.set_viewport_size(PHONE)


def widest(page) -> list[str]:
    """The elements that reach past the window's right edge (to say what to fix)."""
    return page.evaluate(
        """() => {
            const edge = document.documentElement.clientWidth + 1;
            return [...document.querySelectorAll("body *")]
              .filter(el => el.getBoundingClientRect().right > edge)
              .slice(-5)
              .map(el => `${el.tagName}.${el.className}: ${el.textContent.trim().slice(0, 60)}`);
        }"""
    )


MODES = {"off": None, "largest": reading(**LARGEST)}


def trainer_pages(world) -> dict[str, tuple[str, str, int]]:
    """{name: (path, what the page must show, how many at least)}."""
    return {
        "review-rubric": (f"/trainer/reviews/{world.review_id}", "fieldset.rubric-criterion", 4),
        "review-accepted": (f"/trainer/reviews/{world.accepted_id}", ".rubric-ratings dd", 4),
        "grid-awaiting-evidence": (
            f"/trainer/learners/{world.other_id}",
            ".state-awaiting_evidence",
            1,
        ),
        "guides": ("/trainer/guides", "main li a[href^='/trainer/guides/']", 21),
        "guide": ("/trainer/guides/ecoute", "main h2", 3),
        "referentiels": ("/trainer/referentiels", "main li a[href^='/trainer/referentiels/']", 1),
        "referentiel": ("/trainer/referentiels/agent-proprete", ".criterion-safety .tag-safety", 3),
        "questions-typed": (
            f"/trainer/questions?module={page_world.TEXT_MODULE}",
            "table:has(caption) >> text=Les recettes",
            1,
        ),
        "trainer-attempt": (f"/trainer/attempts/{world.attempt_id}", "main h1", 1),
        "password-trainer": ("/choose-password", "main form", 2),
        "certificate": (f"/trainer/learners/{world.other_id}/certificate", "article h2", 3),
        "certificates": (f"/trainer/groups/{world.group_id}/certificates", "select#funding", 1),
        "qualiopi": (f"/trainer/groups/{world.group_id}/qualiopi", "article h2", 6),
        "qualiopi-subjects": (
            f"/trainer/groups/{world.group_id}/qualiopi",
            "article h3 + .table-wrap table",
            2,
        ),
    }


def open_and_check(page, base: str, pages: dict, suffix: str) -> None:
    for name, (path, shown, at_least) in pages.items():
        page.goto(base + path)
        assert page.url.endswith(path), page.url
        assert page.locator(shown).count() >= at_least, (name, shown)
        check_page(page, f"{name}-{suffix}")


@pytest.mark.parametrize(("mode", "locale"), [("off", "fr"), ("largest", "fr"), ("off", "en")])
def test_the_trainers_new_pages(app, world, browser, live_server, mode, locale):
    set_reading(app, [world.trainer], MODES[mode])
    context, page = open_as(browser, live_server, world.trainer, locale)
    open_and_check(page, live_server, trainer_pages(world), f"{mode}-{locale}")
    assert page.problems == []
    context.close()


def learner_pages(world) -> dict[str, tuple[str, str, int]]:
    return {
        "placement": (
            "/skills/ecoute/placement?variant=standard",
            ".variant-switch a[href$='variant=easy']",
            1,
        ),
        "placement-easy": (
            "/skills/ecoute/placement?variant=easy",
            ".variant-switch a[href$='variant=standard']",
            1,
        ),
        "worksheet-ratings": (
            f"/modules/{page_world.RUBRIC_MODULE}/workshop",
            ".rubric-ratings dd",
            4,
        ),
        "quiz": ("/modules/ecoute-1/quiz", "fieldset.question", 3),
        "password-learner": ("/choose-password", "main form", 2),
        "satisfaction": ("/satisfaction/course/softskills", "fieldset input[type=radio]", 20),
    }


@pytest.mark.parametrize(("mode", "locale"), [("off", "fr"), ("largest", "fr"), ("off", "en")])
def test_the_learners_new_pages(app, world, browser, live_server, mode, locale):
    set_reading(app, [world.learner], MODES[mode])
    context, page = open_as(browser, live_server, world.learner, locale)
    open_and_check(page, live_server, learner_pages(world), f"{mode}-{locale}")
    assert page.problems == []
    context.close()


@pytest.mark.parametrize("mode", ["off", "largest"])
def test_the_easy_read_placement_error_summary_leads_to_each_question(
    app, world, browser, live_server, mode
):
    set_reading(app, [world.learner], MODES[mode])
    context, page = open_as(browser, live_server, world.learner)
    page.goto(live_server + "/skills/ecoute/placement?variant=easy")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary, [role=alert]").first
    expect(summary).to_be_visible()
    links = summary.locator("a[href^='#']")
    assert links.count() >= 1
    check_page(page, f"placement-easy-errors-{mode}")
    # The first link, followed with the keyboard, brings the unanswered question into view.
    target = links.first.get_attribute("href")
    links.first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    assert page.locator(target).is_visible()
    # The form sent back with its errors is a 400, which Chromium notes in the console.
    assert [p for p in page.problems if "status of 400" not in p] == []
    context.close()


def test_the_corrections_follow_the_order_shown(app, world, browser, live_server):
    context, page = open_as(browser, live_server, world.learner)
    page.goto(live_server + "/modules/ecoute-1/quiz")
    shown = page.locator("fieldset.question").first
    order = [
        text.strip()
        for text in shown.locator("label").all_inner_texts()
        if text.strip()  # the options' labels, in the order of this attempt
    ]
    for question in page.locator("fieldset.question").all():
        question.locator("input[type=radio], input[type=checkbox]").first.check()
        for box in question.locator("input[type=text], textarea").all():
            box.fill("reformuler")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert re.search(r"/attempts/\d+$", page.url), page.url
    check_page(page, "corrections")
    # "Your choice" and "Right answer" are tags set apart from the option's text (they had no
    # style on the learner's pages, and ran into the text).
    tag = page.locator(".options-review .tag").first
    assert tag.evaluate("(el) => getComputedStyle(el).borderTopStyle") == "solid"
    assert tag.evaluate("(el) => getComputedStyle(el).display") == "inline-block"
    first = page.locator("main").inner_text()
    positions = [first.find(text) for text in order]
    assert -1 not in positions and positions == sorted(positions), (order, positions)
    assert page.problems == []
    context.close()


@pytest.mark.parametrize("who", ["learner", "trainer", "admin"])
@pytest.mark.parametrize("mode", ["off", "largest"])
def test_the_password_key_is_in_every_header(app, world, browser, live_server, who, mode):
    username = getattr(world, who)
    set_reading(app, [username], MODES[mode])
    context, page = open_as(browser, live_server, username)
    for size in (NARROWEST, PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.reload()  # Tab starts again from the top of the page
        key = page.locator(".site-header a.account-link:visible")
        assert key.count() == 1, size
        expect(key).to_have_accessible_name("Mot de passe")
        box = key.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
        # Reached with Tab from the top of the page, with a visible focus, and it leads there.
        for _ in range(15):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('account-link')"):
                break
        else:
            pytest.fail(f"Tab never reached the password link at {size}")
        outline = page.evaluate(
            "parseFloat(getComputedStyle(document.activeElement).outlineWidth) || 0"
        )
        assert outline >= 2, size
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/choose-password")
    check_page(page, f"password-{who}-{mode}")
    context.close()


@pytest.mark.parametrize("mode", ["off", "largest"])
def test_a_worksheet_is_reviewed_with_the_keyboard_alone_on_a_phone(
    app, world, browser, live_server, mode
):
    """Tab to each criterion, an arrow key to its rating, the decision, the comment, Enter: the
    review is saved; every stop has a visible focus."""
    set_reading(app, [world.trainer], MODES[mode])
    context, page = open_as(browser, live_server, world.trainer)
    page.goto(live_server + f"/trainer/reviews/{world.review_id}")

    def tab_to(selector: str, presses: int = 80) -> None:
        for _ in range(presses):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                outline = page.evaluate(
                    "parseFloat(getComputedStyle(document.activeElement).outlineWidth) || 0"
                )
                assert outline >= 2, selector
                return
        pytest.fail(f"Tab never reached {selector}")

    criteria = page.locator("fieldset.rubric-criterion").count()
    assert criteria == 4
    for n in range(1, criteria + 1):
        tab_to(f"fieldset.rubric-criterion:nth-of-type({n}) input[type=radio]")
        page.keyboard.press("ArrowDown")  # not yet -> partly
        page.keyboard.press("ArrowDown")  # partly -> yes
    tab_to("input[name=decision]")
    page.keyboard.press("Space")  # the first decision: accept
    tab_to("textarea[name=comment]")
    page.keyboard.type("Des faits précis, bravo.")
    tab_to("form.review-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    from learn.models import WorkshopAnswer

    db = app.extensions["learn.sessions"]()
    row = db.get(WorkshopAnswer, world.review_id)
    assert row.status == "accepted", row.status
    assert set(row.review_ratings.values()) == {"yes"}, row.review_ratings
    db.close()
    assert page.problems == []
    context.close()
