"""The reading mode's presentation in headless Chromium, measured from computed styles and layout:
every check of ACCESSIBILITY.md's table that CSS answers, in each of the four themes, at each
text size, at 320 px, with the WCAG 1.4.12 spacing forced, and with axe-core on every page."""

from __future__ import annotations

import pytest

from learn.reading.preferences import CHOICES
from tests.browser_support import assert_accessible
from tests.reading import browser_checks as checks
from tests.reading.browser_checks import QUIZ_PAGE, READ_PAGE, reading, sign_in

pytestmark = pytest.mark.browser
PAGES = (READ_PAGE, QUIZ_PAGE, "/modules/ecoute-1/end", "/reading", "/dashboard")


@pytest.fixture
def app(app_factory):
    """These tests serve the reading fixture content (glossary words, emphasis, long lines)."""
    return app_factory(LEARN_CATALOG_HOLDER=checks.reading_catalog())


@pytest.fixture
def learner(app):
    checks.add_learner(app)


def signed_in_page(browser, live_server, **context_options):
    """A signed-in page that records script errors and Content-Security-Policy violations (an
    inline script or style the CSP blocked) in `page.problems`."""
    context = browser.new_context(locale="fr-FR", **context_options)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on(
        "console",
        lambda msg: page.problems.append(msg.text) if msg.type == "error" else None,
    )
    sign_in(page, live_server)
    return context, page


@pytest.mark.parametrize("theme", checks.THEMES)
def test_reading_mode_meets_every_presentation_check_in_each_theme(
    app, browser, live_server, learner, theme
):
    checks.set_prefs(app, "lea", reading(theme=theme))
    context, page = signed_in_page(browser, live_server)
    page.goto(live_server + READ_PAGE)
    assert page.locator("html").get_attribute("data-rm") == "on"
    assert page.locator("html").get_attribute("data-rm-theme") == theme

    # Text size: 18 px and more in reading mode.
    metrics = checks.text_metrics(page)
    assert metrics["bodyFontSize"] >= 18 and metrics["fontSize"] >= 18, metrics
    # Letter spacing between 0.12 em and 0.35 ch; the space between words 3.5 times as wide.
    assert metrics["letterSpacing"] >= 0.12 * metrics["fontSize"] - 0.01, metrics
    assert metrics["letterSpacing"] <= 0.35 * metrics["ch"] + 0.01, metrics
    assert metrics["gap"] >= 3.5 * metrics["letterSpacing"], metrics
    # Line height 1.5 and more; paragraphs 1.5 line heights apart.
    assert metrics["lineHeight"] >= 1.5 * metrics["fontSize"] - 0.01, metrics
    gaps = checks.paragraph_gaps(page)
    assert gaps, "the fixture text has consecutive paragraphs"
    for gap in gaps:
        assert gap["gap"] >= 1.5 * gap["lineHeight"] - 0.5, gaps
    # At most 70 characters a line, by the prose's width and by the lines really drawn.
    lengths = checks.line_lengths(page)
    assert lengths["widthCh"] <= 70 and 20 <= lengths["most"] <= 70, lengths
    # Headings 1.2 times the text at least.
    for heading in checks.heading_ratios(page):
        assert heading["ratio"] >= 1.2, heading
    # Tints: no pure white; contrast of the theme's colours and of every text drawn.
    assert checks.white_backgrounds(page) == []
    for pair, (ratio, needed) in checks.theme_contrasts(page).items():
        assert ratio >= needed, f"{theme}: {pair} is {ratio:.2f}:1, needs {needed}:1"
    for path in PAGES:
        page.goto(live_server + path)
        assert checks.typography_problems(page) == [], path
        assert checks.contrast_problems(page) == [], path
        controls = checks.choice_controls(page)
        assert controls["problems"] == [], path
        if path in (QUIZ_PAGE, "/reading"):
            assert controls["controls"] >= 4, (path, controls)
        if path == "/reading":  # a choice checked in every group, and the mode's box
            assert controls["checked"] == len(CHOICES) + 1, controls
        assert checks.white_backgrounds(page) == [], path
        assert checks.small_targets(page) == [], path
        assert checks.focus_problems(page) == [], path
        assert_accessible(page)
    assert page.problems == []
    context.close()


def test_default_presentation_keeps_the_basic_checks(browser, live_server, learner):
    """Reading mode off: body text 16 px or more, no italics or justified text, targets and focus
    visible, no white-on-nothing surprises; the reading tools are there."""
    context, page = signed_in_page(browser, live_server)
    for path in PAGES:
        page.goto(live_server + path)
        assert page.locator("html").get_attribute("data-rm") == "off"
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
        assert checks.typography_problems(page) == [], path
        assert checks.small_targets(page) == [], path
        assert checks.focus_problems(page) == [], path
        assert_accessible(page)
    assert page.problems == []
    context.close()


def test_text_sizes_go_up_to_32_px_and_reflow_at_320_px(app, browser, live_server, learner):
    context, page = signed_in_page(browser, live_server, viewport={"width": 320, "height": 640})
    sizes = []
    for size in checks.SIZES:
        checks.set_prefs(app, "lea", reading(size=size))
        for path in (READ_PAGE, QUIZ_PAGE, "/reading"):
            page.goto(live_server + path)
            assert checks.horizontal_overflow(page) == 0, f"{size} px: scrolls sideways on {path}"
            assert checks.clipped_text(page) == [], f"{size} px on {path}"
            # The skip link hides above the page however tall large text makes it.
            assert checks.skip_link_shown(page) == 0, f"{size} px on {path}"
        # The first screen of a phone shows the text, not only the header.
        page.goto(live_server + READ_PAGE)
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 0.6 * 640, f"{size} px: header {header['height']} px"
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link").bounding_box()
        assert page.evaluate("document.activeElement.matches('.skip-link')")
        assert skip["y"] >= 0 and skip["x"] + skip["width"] <= 320, skip
        page.evaluate("document.activeElement.blur()")
        sizes.append(checks.text_metrics(page)["fontSize"])
    assert sizes == [18, 20, 24, 28, 32]
    assert_accessible(page)
    assert page.problems == []
    context.close()


@pytest.mark.parametrize("mode", ["off", "on"])
def test_nothing_is_clipped_at_200_percent_zoom(app, browser, live_server, learner, mode):
    """200 % zoom of a 1280 × 720 window: the same page in 640 × 360 CSS pixels."""
    if mode == "on":
        checks.set_prefs(app, "lea", reading(size="24"))
    context, page = signed_in_page(browser, live_server, viewport={"width": 640, "height": 360})
    for path in PAGES:
        page.goto(live_server + path)
        assert checks.horizontal_overflow(page) == 0, path
        assert checks.clipped_text(page) == [], path
    context.close()


@pytest.mark.parametrize("mode", ["off", "on"])
@pytest.mark.parametrize("width", [320, 1280])
def test_wcag_text_spacing_override_clips_nothing(app, browser, live_server, learner, mode, width):
    """WCAG 1.4.12: line height 1.5, letter spacing 0.12 em, word spacing 0.16 em, paragraphs
    2 em apart forced on everything (as the bookmarklets do): no text is cut off."""
    if mode == "on":
        checks.set_prefs(app, "lea", reading(size="20", spacing="widest"))
    context, page = signed_in_page(
        browser, live_server, bypass_csp=True, viewport={"width": width, "height": 800}
    )
    for path in PAGES:
        page.goto(live_server + path)
        page.add_style_tag(content=checks.WCAG_TEXT_SPACING)
        spacing = page.evaluate("getComputedStyle(document.querySelector('main h1')).letterSpacing")
        assert spacing != "normal"
        assert checks.horizontal_overflow(page) == 0, path
        assert checks.clipped_text(page) == [], path
    context.close()


@pytest.mark.parametrize("spacing", ["wide", "wider", "widest"])
@pytest.mark.parametrize("font", list(checks.FONTS))
def test_each_font_and_spacing_keeps_the_ratios(app, browser, live_server, learner, font, spacing):
    checks.set_prefs(app, "lea", reading(font=font, spacing=spacing))
    context, page = signed_in_page(browser, live_server)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server + READ_PAGE)
    page.evaluate("document.fonts.ready")
    family = checks.FONTS[font]
    if family:
        assert page.evaluate(f"document.fonts.check('16px \"{family}\"')"), family
        used = page.evaluate("getComputedStyle(document.querySelector('#reading p')).fontFamily")
        assert used.replace('"', "").startswith(family), used
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
        )
        assert any(family in name for name in loaded), loaded
        # The regular weight preloaded from <head>, and the preload is the very request the page
        # uses (each file fetched once); the bold weight, not preloaded, only if bold text needs it.
        fonts = [url for url in requests if url.endswith(".woff2")]
        assert len(fonts) == len(set(fonts)) >= 1, fonts
        preloaded = page.evaluate(
            "[...document.querySelectorAll('link[rel=preload][as=font]')].map(l => l.href)"
        )
        assert len(preloaded) == 1 and preloaded[0].endswith("-400-normal.woff2"), preloaded
        assert preloaded[0] in fonts, (fonts, preloaded)
        assert all(url.endswith(("-400-normal.woff2", "-700-normal.woff2")) for url in fonts)
    metrics = checks.text_metrics(page)
    assert 0.12 * metrics["fontSize"] - 0.01 <= metrics["letterSpacing"], metrics
    assert metrics["letterSpacing"] <= 0.35 * metrics["ch"] + 0.01, metrics
    assert metrics["gap"] >= 3.5 * metrics["letterSpacing"], metrics
    assert all(url.startswith(live_server) for url in requests), requests
    context.close()


@pytest.mark.parametrize("length", ["45", "60", "70"])
@pytest.mark.parametrize("line_height", ["1.5", "1.75", "2"])
def test_line_length_and_line_height_choices(
    app, browser, live_server, learner, length, line_height
):
    checks.set_prefs(app, "lea", reading(line_length=length, line_height=line_height))
    context, page = signed_in_page(browser, live_server, viewport={"width": 1280, "height": 900})
    page.goto(live_server + READ_PAGE)
    lengths = checks.line_lengths(page)
    assert lengths["widthCh"] <= int(length) + 0.5 and lengths["most"] <= int(length), lengths
    metrics = checks.text_metrics(page)
    assert abs(metrics["lineHeight"] / metrics["fontSize"] - float(line_height)) < 0.02, metrics
    for gap in checks.paragraph_gaps(page):
        assert gap["gap"] >= 1.5 * gap["lineHeight"] - 0.5, gap
    context.close()
