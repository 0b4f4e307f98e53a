"""Pictograms on a phone: 40-48 px at the start of their line, never over the words, on a light
plate in the dark theme, no sideways scrolling at 320 px with the largest text, axe clean, and
hidden by the reading setting. PICTOS_SHOTS=<folder> also saves a screenshot in each theme."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser_support import assert_accessible
from tests.reading import browser_checks as checks
from tests.reading.browser_checks import READ_PAGE, THEMES, reading, sign_in

pytestmark = pytest.mark.browser
SIGNS_PAGE = "/modules/ecoute-1/read/signes"

# The box of each picture and of each line of text of the module (a Range per text node gives
# one rectangle a line), in CSS px.
BOXES = """() => {
  const box = (r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
  const root = document.querySelector('#reading');
  const pictures = [...root.querySelectorAll('img.pic')].map((img) => ({
    ...box(img.getBoundingClientRect()), alt: img.alt,
    display: getComputedStyle(img).display,
    background: getComputedStyle(img).backgroundColor }));
  const words = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0) words.push({ ...box(r), text: node.textContent.trim().slice(0, 30) });
    }
  }
  return { pictures, words };
}"""


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and (a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5)
    )


@pytest.fixture
def app(app_factory):
    return app_factory(LEARN_CATALOG_HOLDER=checks.reading_catalog())


def phone(browser, live_server, width=320, height=640):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, live_server)
    return context, page


def test_at_320_px_dark_and_32_px_pictures_never_cover_the_words(app, browser, live_server):
    checks.add_learner(app, prefs=reading(theme="dark", size="32"), easy=True)
    context, page = phone(browser, live_server)
    for path in (READ_PAGE, SIGNS_PAGE):
        page.goto(live_server + path)
        found = page.evaluate(BOXES)
        assert found["pictures"], f"no picture on {path}"
        for picture in found["pictures"]:
            size = picture["right"] - picture["left"]
            assert 40 <= size <= 48.5, picture
            assert picture["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), picture
            hits = [w["text"] for w in found["words"] if overlaps(picture, w)]
            assert not hits, f"{picture['alt']!r} covers {hits}"
        assert checks.horizontal_overflow(page) == 0
        assert_accessible(page)
    context.close()


@pytest.mark.parametrize("size", ["18", "24"])
def test_at_smaller_sizes_too_the_picture_starts_its_line(app, browser, live_server, size):
    checks.add_learner(app, prefs=reading(size=size), easy=True)
    context, page = phone(browser, live_server)
    page.goto(live_server + READ_PAGE)
    found = page.evaluate(BOXES)
    picture = found["pictures"][0]
    assert 40 <= picture["right"] - picture["left"] <= 48.5
    assert picture["background"] == "rgba(0, 0, 0, 0)"  # no plate on a light theme
    assert not [w for w in found["words"] if overlaps(picture, w)]
    line = [w for w in found["words"] if w["text"].startswith("Vous regardez")][0]
    assert line["left"] >= picture["right"]  # the sentence starts after its picture
    context.close()


def test_the_setting_hides_the_pictures(app, browser, live_server):
    checks.add_learner(app, prefs={**reading(), "pictures": "off"}, easy=True)
    context, page = phone(browser, live_server)
    page.goto(live_server + READ_PAGE)
    pictures = page.evaluate(BOXES)["pictures"]
    assert pictures and all(p["display"] == "none" for p in pictures)
    context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_a_page_with_pictures_in_each_theme(app, browser, live_server, theme):
    checks.add_learner(app, prefs=reading(theme=theme, size="24"), easy=True)
    context, page = phone(browser, live_server, width=360, height=780)
    page.goto(live_server + READ_PAGE)
    assert checks.horizontal_overflow(page) == 0
    assert_accessible(page)
    shots = os.environ.get("PICTOS_SHOTS")
    if shots:
        page.locator("#reading").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(shots) / f"pictos-{theme}.png"), full_page=False)
    context.close()


def test_print_keeps_the_pictures(app, browser, live_server):
    checks.add_learner(app, prefs=reading(theme="dark"), easy=True)
    context, page = phone(browser, live_server)
    page.goto(live_server + READ_PAGE)
    page.emulate_media(media="print")
    pictures = page.evaluate(BOXES)["pictures"]
    assert pictures and all(p["display"] != "none" and p["right"] > p["left"] for p in pictures)
    context.close()
