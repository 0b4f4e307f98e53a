"""The header and a module's bar on a phone (up to 40em wide), in headless Chromium: short rows
of 44 px targets (the site's name with the other language, the menu, the reading mode with its
settings), the switch between a module's two versions a compact button, so that a module's text
starts on the first screen. The reading mode stays one visible tap away, the order of the
keyboard is the order on screen, and nothing overlaps or scrolls sideways at 320 px, even with
the largest reading settings, in French and in English, for a learner and for a trainer."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from learn.models import Role, User
from tests import factories
from tests import trainer_factories as tf
from tests.browser.test_reading_tools_phone import (
    LARGEST,
    SECOND_PART,
    layout,
    overlapping,
    phone_context,
)
from tests.browser_support import assert_accessible
from tests.reading import browser_checks as checks
from tests.reading.browser_checks import reading

pytestmark = pytest.mark.browser

LEARNER, TRAINER = "lea", "tom"
# Where each person's header is looked at: a module's part, and the trainer's workspace.
HOME = {LEARNER: SECOND_PART, TRAINER: "/trainer/"}
# The header's height at 320 × 640, in px: measured before this layout (five rows or more) and
# now, then the bound asserted (the highest of both languages, with some margin).
#   learner  off 267 → 152   reading mode (20 px) 303 → 233 (English 189)   largest 425 → 254
#   trainer  off 367 → 245   reading mode (20 px) 401 → 321                 largest 588 → 393
#                                                                           (English 347)
HEADER_BOUNDS = {
    LEARNER: {"off": 165, "on": 250, "largest": 275},
    TRAINER: {"off": 260, "on": 340, "largest": 415},
}

CONTROLS = """() => [...document.querySelectorAll(
    '.site-header :is(a[href], button, summary), main .variant-switch a')].filter((el) => {
      const r = el.getBoundingClientRect();  // shown: not in a closed disclosure (the languages)
      return r.width > 0 && r.height > 0 && el.checkVisibility();
    }).map((el) => {
      const r = el.getBoundingClientRect();
      return { who: (el.getAttribute('aria-label') || el.textContent).trim(), left: r.left,
               right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    })"""

FOCUSED = """() => { const el = document.activeElement; const r = el.getBoundingClientRect();
  return { who: (el.getAttribute('aria-label') || el.textContent).trim(), top: r.top,
           bottom: r.bottom, left: r.left, right: r.right, middle: (r.top + r.bottom) / 2,
           inHeader: !!el.closest('.site-header') }; }"""

# The language menu's name in the French interface (the word, then the page's language).
LANGUAGE_MENU = "Langue, Français"


@pytest.fixture
def app(app_factory):
    return app_factory(LEARN_CATALOG_HOLDER=checks.reading_catalog())


def add_people(app, locale: str = "fr") -> None:
    """A learner and a trainer who is also their organisation's administrator (the longest
    menu), both with the interface in `locale`."""
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, Role.LEARNER, username=LEARNER, display_name="Léa", locale=locale)
    factories.user(
        session, org, Role.ORG_ADMIN, username=TRAINER, display_name="Tom", locale=locale
    )
    session.commit()
    session.close()


def words(app, locale: str) -> dict:
    """The header's and the bar's labels in `locale` (their English text until translated)."""
    english = {
        "settings": "Reading settings",
        "short": "Settings",
        "mode": "Reading mode",
        "easy": "Easy-to-read version",
        "standard": "Standard version",
    }
    with app.test_request_context(), force_locale(locale):
        return {key: gettext(text) for key, text in english.items()}


def open_page(browser, base, username, width=320, height=640, **options):
    context, page = phone_context(browser, width, height, **options)
    page.goto(base + "/sign-in")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe ou code de connexion").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("load")
    return context, page


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def header_overflow(page) -> list[str]:
    """Parts of the header that leave the screen or overflow their box."""
    return page.evaluate(
        """() => { const width = document.documentElement.clientWidth;
          return [...document.querySelectorAll('.site-header, .site-header *')].filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5
                                   || el.scrollWidth > el.clientWidth + 1);
          }).map((el) => el.tagName + '.' + el.className); }"""
    )


def controls(page) -> list[dict]:
    """The header's links and buttons and the variant switch, as shown, with their boxes."""
    return page.evaluate(CONTROLS)


def overlaps(found: list[dict]) -> list[str]:
    return [f"{a['who']} overlaps {b['who']}" for a, b in overlapping(found)]


def small(found: list[dict]) -> list[str]:
    """Targets under 44 × 44 px, the size of the app's buttons and header links."""
    return [
        f"{round(c['width'])}×{round(c['height'])}: {c['who']}"
        for c in found
        if c["width"] < 44 or c["height"] < 44
    ]


def header_stops(page) -> list[dict]:
    """Tab from the top of the page through the header: where the focus goes, in order."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.skip-link')")
    stops = []
    for _ in range(12):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if not stop["inHeader"]:
            break
        stops.append(stop)
    return stops


def order_problems(stops: list[dict]) -> list[str]:
    """Each stop is to the right of the one before on the same row, or on a row below it."""
    problems = []
    for before, after in zip(stops, stops[1:], strict=False):
        same_row = abs(after["middle"] - before["middle"]) < 12
        if not (
            (same_row and after["left"] > before["left"])
            or (not same_row and after["top"] >= before["bottom"] - 1)
        ):
            problems.append(f"{before['who']} → {after['who']}")
    return problems


# --- the first screen -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "most_off", "most_on"),
    # The top of the text (#reading), part 2 of ecoute-1, French, reading tools shown:
    # 320 × 640: off 723 → 526, reading mode 1,056 → 834 px; 375 × 667: 668 → 499, 1,008 → 762.
    [(320, 640, 560, 870), (375, 667, 540, 790)],
)
def test_the_module_text_starts_on_the_first_screen(
    app, browser, live_server, width, height, most_off, most_on
):
    add_people(app)
    context, page = open_page(browser, live_server, LEARNER, width, height)
    page.goto(live_server + SECOND_PART)
    text = layout(page)
    # Reading mode off: the start of the text shows on the first screen (its heading and more).
    assert text["textTop"] <= most_off, text
    assert text["textTop"] + 80 <= height, text
    assert header_height(page) <= HEADER_BOUNDS[LEARNER]["off"]
    bar = page.locator(".module-bar").bounding_box()
    assert bar["height"] <= (110 if width == 320 else 90), bar  # 133 → 102, 79 → 82 px

    # Reading mode on, at its recommended size (20 px): as high as it can with the tools above.
    checks.set_prefs(app, LEARNER, reading())
    page.goto(live_server + SECOND_PART)
    text = layout(page)
    assert text["textTop"] <= most_on, text
    assert page.problems == []
    context.close()


def test_the_variant_switch_is_a_compact_button(app, browser, live_server):
    add_people(app)
    labels = words(app, "fr")
    context, page = open_page(browser, live_server, LEARNER)
    page.goto(live_server + SECOND_PART)
    easy = page.get_by_role("link", name=labels["easy"], exact=True)
    box = easy.bounding_box()
    assert 44 <= box["height"] <= 52, box  # one line, 62 px on two lines before
    assert box["x"] + box["width"] <= 320 - 16
    easy.click()
    assert "variant=easy" in page.url and page.url.startswith(live_server + SECOND_PART)
    standard = page.get_by_role("link", name=labels["standard"], exact=True)
    assert 44 <= standard.bounding_box()["height"] <= 52

    # On a wide screen the bar is one row: where the reader is, and the switch at its end.
    page.set_viewport_size({"width": 1280, "height": 800})
    meta = page.locator(".module-meta").bounding_box()
    box = standard.bounding_box()
    assert abs((meta["y"] + meta["height"] / 2) - (box["y"] + box["height"] / 2)) < 12
    assert box["x"] > meta["x"] + meta["width"]
    context.close()


# --- the header at 320 px: height, targets, overlap, reflow -----------------------------------


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize("username", [LEARNER, TRAINER])
def test_the_header_at_320_px(app, browser, live_server, username, locale):
    add_people(app, locale)
    labels = words(app, locale)
    context, page = open_page(browser, live_server, username)
    for name, prefs in (("off", None), ("on", reading()), ("largest", reading(**LARGEST))):
        checks.set_prefs(app, username, prefs)
        page.goto(live_server + HOME[username])
        assert header_height(page) <= HEADER_BOUNDS[username][name], (name, header_height(page))
        found = controls(page)
        assert small(found) == [], name
        assert overlaps(found) == [], name
        assert all(c["left"] >= 0 and c["right"] <= 320 for c in found), (name, found)
        assert header_overflow(page) == [], name
        assert checks.horizontal_overflow(page) == 0, name  # the whole page, cards included
        assert checks.clipped_text(page) == [], name
        # One visible tap to the reading mode (no menu to open first), and to its settings,
        # whose short label on a phone keeps its whole name.
        switch = page.get_by_role("button", name=labels["mode"])
        assert switch.is_visible() and switch.bounding_box()["y"] < header_height(page)
        settings = page.get_by_role("link", name=labels["settings"])
        assert settings.is_visible() and settings.inner_text().strip() == labels["short"]
    assert_accessible(page)
    assert page.problems == []
    context.close()


# --- order and focus ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["off", "on"])
@pytest.mark.parametrize("username", [LEARNER, TRAINER])
def test_the_keyboard_follows_the_rows_of_the_header(app, browser, live_server, username, mode):
    add_people(app)
    if mode == "on":
        checks.set_prefs(app, username, reading(theme="dark"))
    context, page = open_page(browser, live_server, username)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 640})
        page.goto(live_server + HOME[username])
        stops = header_stops(page)
        shown = [c["who"] for c in controls(page) if c["top"] < header_height(page)]
        assert [stop["who"] for stop in stops] == shown, width
        assert shown[0] == "Parcours" and shown[1] == LANGUAGE_MENU
        assert order_problems(stops) == [], (width, stops)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + HOME[username])
    assert checks.focus_problems(page) == []
    assert_accessible(page)
    context.close()


# --- without JavaScript, and on a wide screen -------------------------------------------------


def test_the_switch_works_from_the_compact_header_without_javascript(app, browser, live_server):
    add_people(app)
    labels = words(app, "fr")
    context, page = open_page(browser, live_server, LEARNER, java_script_enabled=False)
    page.goto(live_server + SECOND_PART)
    assert header_height(page) <= HEADER_BOUNDS[LEARNER]["off"]
    page.get_by_role("button", name=labels["mode"]).click()
    page.wait_for_url(live_server + SECOND_PART)
    assert page.locator("html").get_attribute("data-rm") == "on"
    assert header_height(page) <= HEADER_BOUNDS[LEARNER]["on"]
    # No tools without JavaScript: the text starts on the first screen, reading mode on too
    # (at 620 px with the French labels; 708 before).
    assert page.locator("#reading").bounding_box()["y"] + 16 <= 640
    page.get_by_role("link", name=labels["settings"]).click()
    assert page.url.startswith(live_server + "/reading")
    context.close()


def test_a_wide_screen_keeps_two_rows_and_the_whole_labels(app, browser, live_server):
    add_people(app)
    labels = words(app, "fr")
    context, page = open_page(browser, live_server, LEARNER, 1280, 800)
    page.goto(live_server + SECOND_PART)
    assert header_height(page) <= 110
    rows = {c["who"]: c for c in controls(page) if c["top"] < header_height(page)}
    brand, language = rows["Parcours"], rows[LANGUAGE_MENU]
    switch, settings = rows[labels["mode"]], rows[labels["settings"]]
    assert abs(brand["top"] - language["top"]) < 4 and language["right"] > 1000
    assert abs(switch["top"] - settings["top"]) < 4 and switch["top"] >= brand["bottom"] - 1
    assert settings["right"] > 1000  # at the end of the menu's row
    link = page.get_by_role("link", name=labels["settings"])
    assert link.inner_text().strip() == labels["settings"]
    assert_accessible(page)
    context.close()


BUTTONS = """() => [...document.querySelectorAll('main .button')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => ({ who: el.textContent.trim(), height: el.getBoundingClientRect().height }))"""


def test_every_button_of_the_learners_pages_is_44_px_high_on_one_line(app, browser, live_server):
    """A button alone in its paragraph or list item kept the 24 px of a plain link (34 px in
    all) when its label fits on one line (on a wide screen): the dashboard's Continue, the
    module's end page, the module page."""
    add_people(app)
    context, page = open_page(browser, live_server, LEARNER, width=1280, height=800)
    page.goto(live_server + SECOND_PART)  # the dashboard then offers to continue here
    found = []
    for path in ("/dashboard", "/catalog", "/modules/ecoute-1/end", SECOND_PART):
        page.goto(live_server + path)
        buttons = page.evaluate(BUTTONS)
        found += [(path, b["who"]) for b in buttons]
        low = [(path, b["who"], b["height"]) for b in buttons if b["height"] < 44]
        assert not low, low
    assert len(found) >= 6, found
    context.close()


# --- the staff's pages at 320 px ------------------------------------------------------------


def sideways(page, base: str, paths) -> dict[str, int]:
    """Open each page (it must answer 200 and pass axe): those wider than the window, by how
    many px."""
    wide = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        if checks.horizontal_overflow(page):
            wide[path] = checks.horizontal_overflow(page)
        assert_accessible(page)
    return wide


def test_no_staff_page_scrolls_sideways_at_320_px_with_the_largest_settings(
    app, browser, live_server
):
    """WCAG 1.4.10 (reflow) with the largest text and spacing: wide tables scroll inside their
    own box, never the page (the workspace's cards were 23 px too wide)."""
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, Role.ORG_ADMIN, username=TRAINER, display_name="Tom")
    amina = factories.user(session, org, username="amina", display_name="Amina Diallo")
    group = factories.group(session, org, name="Cuisine mars", members=[amina])
    session.commit()
    tf.progress(session, amina, "ecoute-1", status="completed")
    attempt = tf.attempt(session, amina)
    tf.help_request(session, amina)
    tf.assignment(session, org, group=group)
    session.commit()
    ids = {"group": group.id, "learner": amina.id, "attempt": attempt.id}
    session.close()
    checks.set_prefs(app, TRAINER, reading(**LARGEST))
    context, page = open_page(browser, live_server, TRAINER)
    pages = [
        "/trainer/",
        "/trainer/groups",
        "/trainer/groups/{group}",
        "/trainer/groups/{group}/matrix",
        "/trainer/groups/{group}/assign",
        "/trainer/learners",
        "/trainer/learners/new",
        "/trainer/learners/{learner}",
        "/trainer/learners/{learner}/observations/new",
        "/trainer/attempts/{attempt}",
        "/trainer/needs-help",
        "/trainer/reviews",
        "/trainer/questions",
        "/trainer/import",
        "/trainer/organisation",
        "/admin/learners",
        "/admin/learners/{learner}",
        "/admin/audit",
    ]
    assert sideways(page, live_server, [path.format(**ids) for path in pages]) == {}
    assert page.problems == []
    context.close()


def test_no_learner_page_scrolls_sideways_at_320_px_with_the_largest_settings(
    app, browser, live_server
):
    """The learner's side of the same check (WCAG 1.4.10), axe on each page."""
    add_people(app)
    session = app.extensions["learn.sessions"]()
    lea = session.query(User).filter_by(username=LEARNER).one()
    attempt = tf.attempt(session, lea)
    session.commit()
    attempt_id = attempt.id
    session.close()
    checks.set_prefs(app, LEARNER, reading(**LARGEST))
    context, page = open_page(browser, live_server, LEARNER)
    pages = (
        "/dashboard",
        "/catalog",
        "/skills/ecoute",
        "/skills/ecoute/placement",
        SECOND_PART,
        "/modules/ecoute-1/end",
        "/modules/ecoute-1/quiz",
        f"/attempts/{attempt_id}",
        "/reading",
    )
    assert sideways(page, live_server, pages) == {}
    assert page.problems == []
    context.close()
