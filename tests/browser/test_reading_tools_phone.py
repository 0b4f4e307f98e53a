"""The reading tools on a phone's screen: a short block of buttons above the text (read aloud,
pause, stop, reading ruler), the settings (speed, lines shown) folded behind a "More tools"
disclosure that works with the keyboard, 44 px targets, and nothing wider than the screen or
overlapping at 320 px with the largest text and spacing."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from tests.browser_support import assert_accessible
from tests.reading import browser_checks as checks
from tests.reading.browser_checks import QUIZ_PAGE, READ_PAGE, TTS_STUB, reading, sign_in

pytestmark = pytest.mark.browser
# The second part of the module: no list of objectives between the title and the tools.
SECOND_PART = "/modules/ecoute-1/read/signes"
PHONES = [(320, 640), (375, 667)]
LARGEST = {"size": "32", "spacing": "widest", "line_height": "2"}


@pytest.fixture
def app(app_factory):
    return app_factory(LEARN_CATALOG_HOLDER=checks.reading_catalog())


@pytest.fixture
def more_tools(app) -> str:
    """The disclosure's name in the French interface (its English text until translated)."""
    with app.test_request_context(), force_locale("fr"):
        return gettext("More tools")


def phone_context(browser, width=320, height=640, **options):
    """A French browser of that size, with a stub voice; page.problems collects script errors."""
    context = browser.new_context(
        locale="fr-FR", viewport={"width": width, "height": height}, **options
    )
    context.add_init_script(TTS_STUB)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on("console", lambda msg: page.problems.append(msg.text) if msg.type == "error" else None)
    return context, page


def phone_page(browser, live_server, width=320, height=640, **options):
    context, page = phone_context(browser, width, height, **options)
    sign_in(page, live_server)
    return context, page


def layout(page, selector: str = "#reading, #quiz") -> dict:
    """Where the tools and the text start on the page, in CSS px from the top of the screen."""
    return page.evaluate(
        """(selector) => {
          const tools = document.querySelector('.reading-tools').getBoundingClientRect();
          const text = document.querySelector(selector).getBoundingClientRect();
          return { toolsTop: tools.top, toolsHeight: tools.height, textTop: text.top };
        }""",
        selector,
    )


def tool_controls(page) -> list[dict]:
    """Each visible button, label and list of the tools, with its box."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
            '.reading-tools :is(button, select, label)')].filter((el) => {
              const r = el.getBoundingClientRect();
              return r.width > 0 && r.height > 0;
            }).map((el) => {
              const r = el.getBoundingClientRect();
              return { who: el.className || el.tagName, tag: el.tagName, left: r.left,
                       right: r.right, top: r.top, bottom: r.bottom };
            })"""
    )


def overlapping(boxes: list[dict]) -> list[tuple[dict, dict]]:
    """The pairs of boxes (left, right, top, bottom) that overlap by more than half a pixel."""
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["right"] <= b["left"] + 0.5
                or b["right"] <= a["left"] + 0.5
                or a["bottom"] <= b["top"] + 0.5
                or b["bottom"] <= a["top"] + 0.5
            )
            if not apart:
                pairs.append((a, b))
    return pairs


def layout_problems(page) -> list[str]:
    """Controls of the tools that overlap each other or leave the tools' box or the screen."""
    controls = tool_controls(page)
    box = page.locator(".reading-tools").bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    problems = []
    for a in controls:
        if a["left"] < box["x"] - 0.5 or a["right"] > box["x"] + box["width"] + 0.5:
            problems.append(f"outside the tools: {a}")
        if a["right"] > width + 0.5:
            problems.append(f"outside the screen: {a}")
    problems += [f"overlap: {a['who']} and {b['who']}" for a, b in overlapping(controls)]
    return problems


def focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement; const r = el.getBoundingClientRect();
          return { who: el.className || el.tagName, top: r.top, bottom: r.bottom,
                   left: r.left, middle: (r.top + r.bottom) / 2 }; }"""
    )


# --- the first screen -----------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), PHONES)
def test_the_tools_leave_the_first_screen_to_the_text(app, browser, live_server, width, height):
    """Measured in headless Chromium, French interface. Before the settings were folded, at
    320 × 640, the tools were 310 px high, 446 px in reading mode (20 px) and 1,114 px at the
    largest settings (32 px, widest spacing, line height 2); now 155, 219 and 339 px."""
    checks.add_learner(app)
    context, page = phone_page(browser, live_server, width, height)

    # A quiz: its first question starts on the first screen (at 605 px, under the tools).
    page.goto(live_server + QUIZ_PAGE)
    quiz = layout(page, "#quiz .question")
    assert quiz["textTop"] + 24 <= height, quiz
    assert quiz["toolsHeight"] <= 170, quiz

    # A module's text starts right under its tools: three rows of buttons at most. With the
    # compact header and module bar (test_phone_header.py) it starts on the first screen: at
    # 526 px at 320 × 640 and 499 px at 375 × 667 (723 and 668 before).
    page.goto(live_server + SECOND_PART)
    text = layout(page)
    assert text["toolsHeight"] <= 170, text
    assert text["textTop"] - text["toolsTop"] <= 190, text
    assert text["textTop"] + 80 <= height, text
    for prefs, most in ((reading(), 240), (reading(**LARGEST), 370)):
        checks.set_prefs(app, "lea", prefs)
        page.goto(live_server + SECOND_PART)
        text = layout(page)
        assert text["toolsHeight"] <= most, (prefs, text)
        assert text["textTop"] - text["toolsTop"] <= most + 30, (prefs, text)
    assert page.problems == []
    context.close()


# --- the disclosure -------------------------------------------------------------------------


def test_more_tools_opens_and_closes_with_the_keyboard(app, browser, live_server, more_tools):
    checks.add_learner(app, prefs=reading())
    context, page = phone_page(browser, live_server)
    page.goto(live_server + READ_PAGE)
    more = page.get_by_role("button", name=more_tools)
    settings_id = more.get_attribute("aria-controls")
    settings = page.locator(f"#{settings_id}")
    speed, lines = page.get_by_label("Vitesse"), page.get_by_label("Lignes visibles")
    assert settings.count() == 1
    assert more.get_attribute("aria-expanded") == "false"
    assert speed.is_hidden() and lines.is_hidden()

    # Tab from "Read aloud": the ruler (Pause and Stop wait, disabled), then the disclosure.
    page.get_by_role("button", name="Lire à voix haute").focus()
    page.keyboard.press("Tab")
    assert focused(page)["who"].endswith("ruler-toggle")
    page.keyboard.press("Tab")
    assert focused(page)["who"].endswith("reading-tools-more")
    page.keyboard.press("Enter")
    assert more.get_attribute("aria-expanded") == "true"
    assert speed.is_visible() and lines.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('reading-tools-more')")

    # The settings come next in the order of the keyboard, and do what they did.
    page.get_by_role("button", name="Lire à voix haute").click()
    more.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('tts-rate')")
    page.keyboard.press("ArrowDown")
    assert speed.input_value() == "1.25"
    assert page.evaluate("window.__tts.spoken.at(-1).rate") == 1.25
    checks.wait_until(
        page, "document.documentElement.getAttribute('data-rm-rate') === '1.25'"
    )  # saved on the account, as before
    page.get_by_role("button", name="Arrêter").click()
    more.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('ruler-lines')")
    page.keyboard.press("ArrowDown")
    assert lines.input_value() == "5"
    page.get_by_role("button", name="Règle de lecture").click()
    step = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#reading p')).lineHeight)"
    )
    band = page.locator(".rm-ruler-band").bounding_box()
    assert abs(band["height"] - 5 * step) <= 1, (band, step)
    page.keyboard.press("Escape")
    assert_accessible(page)

    # Space closes it; the focus stays on it.
    more.focus()
    page.keyboard.press("Space")
    assert more.get_attribute("aria-expanded") == "false"
    assert speed.is_hidden() and lines.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('reading-tools-more')")
    assert_accessible(page)

    # This device remembers whether the settings were open, from page to page.
    more.click()
    page.goto(live_server + QUIZ_PAGE)
    assert page.get_by_role("button", name=more_tools).get_attribute("aria-expanded") == "true"
    assert page.get_by_label("Vitesse").is_visible()
    page.get_by_role("button", name=more_tools).click()
    page.goto(live_server + READ_PAGE)
    assert page.get_by_role("button", name=more_tools).get_attribute("aria-expanded") == "false"
    assert page.problems == []
    context.close()


@pytest.mark.parametrize("mode", ["off", "on"])
def test_the_focus_follows_the_order_on_screen(app, browser, live_server, mode, more_tools):
    checks.add_learner(app, prefs=reading() if mode == "on" else None)
    context, page = phone_page(browser, live_server)
    page.goto(live_server + READ_PAGE)
    page.get_by_role("button", name=more_tools).click()
    page.get_by_role("button", name="Lire à voix haute").click()  # Pause and Stop take focus
    page.get_by_role("button", name="Lire à voix haute").focus()
    stops = [focused(page)]
    for _ in range(6):
        page.keyboard.press("Tab")
        stops.append(focused(page))
    names = [stop["who"].split()[-1] for stop in stops]
    assert names == [
        "tts-play",
        "tts-pause",
        "tts-stop",
        "ruler-toggle",
        "reading-tools-more",
        "tts-rate",
        "ruler-lines",
    ]
    for before, after in zip(stops, stops[1:], strict=False):
        same_row = abs(after["middle"] - before["middle"]) < 12
        assert (same_row and after["left"] > before["left"]) or (
            not same_row and after["top"] >= before["bottom"] - 1
        ), (before, after)
    assert checks.focus_problems(page) == []
    context.close()


# --- targets, reflow, overlap ---------------------------------------------------------------


@pytest.mark.parametrize("path", [READ_PAGE, QUIZ_PAGE])
def test_targets_and_reflow_at_320_px_with_the_largest_settings(
    app, browser, live_server, path, more_tools
):
    checks.add_learner(app, prefs=reading(**LARGEST))
    context, page = phone_page(browser, live_server)
    page.goto(live_server + path)
    more = page.get_by_role("button", name=more_tools)
    for expanded in ("false", "true"):
        assert more.get_attribute("aria-expanded") == expanded
        assert checks.horizontal_overflow(page) == 0, expanded
        assert checks.clipped_text(page) == [], expanded
        assert layout_problems(page) == [], expanded
        assert checks.small_targets(page) == [], expanded
        # Each control of the tools is 44 px high and wide at least, like the app's buttons.
        for control in tool_controls(page):
            if control["tag"] in ("BUTTON", "SELECT"):
                assert control["bottom"] - control["top"] >= 44, control
                assert control["right"] - control["left"] >= 44, control
        # Its text stops growing at 20 px on a phone (as the header's), never under 18 px.
        size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.tts-play')).fontSize)"
        )
        assert 18 <= size <= 20
        assert_accessible(page)
        more.click()
    assert page.problems == []
    context.close()


@pytest.mark.parametrize("mode", ["off", "on"])
def test_the_tools_on_a_phone_pass_axe_in_both_states(app, browser, live_server, mode, more_tools):
    checks.add_learner(app, prefs=reading(theme="dark") if mode == "on" else None)
    context, page = phone_page(browser, live_server, 375, 667, is_mobile=True, has_touch=True)
    page.goto(live_server + READ_PAGE)
    assert_accessible(page)
    assert checks.contrast_problems(page) == []
    page.get_by_role("button", name=more_tools).tap()
    assert page.get_by_label("Vitesse").is_visible()
    assert_accessible(page)
    assert checks.contrast_problems(page) == []
    context.close()


# --- wide screens and no JavaScript ---------------------------------------------------------


def test_a_wide_screen_shows_the_settings_without_the_disclosure(app, browser, live_server):
    checks.add_learner(app)
    context, page = phone_page(browser, live_server, 1280, 800)
    page.goto(live_server + READ_PAGE)
    assert page.locator(".reading-tools-more").is_hidden()
    assert page.get_by_label("Vitesse").is_visible()
    assert page.get_by_label("Lignes visibles").is_visible()
    assert layout(page)["toolsHeight"] <= 130
    # Narrowed to a phone's width, the same page folds them (no script needed for that).
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.locator(".reading-tools-more").is_visible()
    assert page.get_by_label("Vitesse").is_hidden()
    context.close()


def test_without_javascript_no_tool_is_shown(app, browser, live_server):
    checks.add_learner(app)
    context, page = phone_page(browser, live_server, java_script_enabled=False)
    for path in (READ_PAGE, QUIZ_PAGE):
        page.goto(live_server + path)
        assert page.locator(".reading-tools").is_hidden()
        assert page.locator(".reading-tools :is(button, select)").count() >= 6
        assert page.locator(".reading-tools :is(button, select) >> visible=true").count() == 0
    context.close()
