"""The reading tools in headless Chromium: the reading ruler, syllables, read aloud (with a
stubbed speechSynthesis, and with none) and the glossary popovers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from learn.models import User
from tests.browser_support import assert_accessible
from tests.reading import browser_checks as checks
from tests.reading.browser_checks import (
    HIGHLIGHT,
    NO_TTS,
    QUIZ_PAGE,
    READ_PAGE,
    TTS_STUB,
    reading,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def app(app_factory):
    return app_factory(LEARN_CATALOG_HOLDER=checks.reading_catalog())


def open_page(browser, live_server, path, prefs=None, app=None, **options):
    if prefs is not None:
        checks.set_prefs(app, "lea", prefs)
    context = browser.new_context(locale="fr-FR", **options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    sign_in(page, live_server)
    page.goto(live_server + path)
    return context, page


# --- reading ruler --------------------------------------------------------------------------


def ruler_box(page):
    return page.evaluate(
        """() => { const r = document.querySelector('.rm-ruler');
        if (!r || r.hidden) return null;
        const band = r.querySelector('.rm-ruler-band').getBoundingClientRect();
        return { top: band.top, height: band.height, hidden: r.getAttribute('aria-hidden') }; }"""
    )


def line_height(page) -> float:
    return page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#reading p')).lineHeight)"
    )


@pytest.mark.parametrize("mode", ["off", "on"])
def test_reading_ruler_moves_with_the_keyboard_and_closes_with_escape(
    app, browser, live_server, mode
):
    checks.add_learner(app, prefs=reading() if mode == "on" else None)
    context, page = open_page(browser, live_server, READ_PAGE)
    toggle = page.get_by_role("button", name="Règle de lecture")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    step = line_height(page)
    box = ruler_box(page)
    assert box["hidden"] == "true"
    assert abs(box["height"] - 3 * step) <= 1, (box, step)
    # The ruler never holds focus: it has nothing focusable and focus stays on the button.
    assert (
        page.evaluate(
            "document.querySelectorAll('.rm-ruler :is(a, button, input, [tabindex])').length"
        )
        == 0
    )
    assert page.evaluate("document.activeElement.classList.contains('ruler-toggle')")
    start = box["top"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert abs(ruler_box(page)["top"] - (start + 2 * step)) <= 1
    page.keyboard.press("ArrowUp")
    assert abs(ruler_box(page)["top"] - (start + step)) <= 1
    for lines in ("1", "5"):
        page.get_by_label("Lignes visibles").select_option(lines)
        assert abs(ruler_box(page)["height"] - int(lines) * step) <= 1
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.closest('.rm-ruler')")
    page.keyboard.press("Escape")
    assert ruler_box(page) is None
    assert toggle.get_attribute("aria-pressed") == "false"
    assert_accessible(page)
    assert page.js_errors == []
    context.close()


def test_reading_ruler_follows_a_finger(app, browser, live_server):
    checks.add_learner(app, prefs=reading())
    context, page = open_page(
        browser,
        live_server,
        READ_PAGE,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page.get_by_role("button", name="Règle de lecture").tap()
    before = ruler_box(page)["top"]
    handle = page.locator(".rm-ruler-handle").bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    cdp = context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for dy in (30, 60, 90):
        cdp.send(
            "Input.dispatchTouchEvent",
            {"type": "touchMove", "touchPoints": [{"x": x, "y": y + dy}]},
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert abs(ruler_box(page)["top"] - (before + 90)) <= 2
    context.close()


# --- syllables ------------------------------------------------------------------------------


SELECT_ALL = """(selector) => { const sel = getSelection(); sel.removeAllRanges();
  const range = document.createRange(); range.selectNodeContents(document.querySelector(selector));
  sel.addRange(range); return sel.toString(); }"""


def test_syllable_view_leaves_the_copied_text_and_the_spoken_names_unchanged(
    app, browser, live_server
):
    checks.add_learner(app, prefs=reading(syllables="off"))
    context, page = open_page(browser, live_server, READ_PAGE)
    plain = page.evaluate(SELECT_ALL, "#reading")
    assert page.locator("#reading .sy-sep").count() == 0
    context.close()

    checks.set_prefs(app, "lea", reading(syllables="split"))
    context, page = open_page(browser, live_server, READ_PAGE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    separators = page.locator("#reading .sy-sep")
    assert separators.count() > 20
    assert page.locator("#reading .sy-sep:not([aria-hidden='true'])").count() == 0
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('#reading .sy-sep'), '::before').content"
        )
        == '"·"'
    )
    # The glossary word "consignes" follows the rules; "consigne" (quiz) the exception list.
    assert page.locator("#reading a.gloss").first.inner_html().count("sy-sep") == 1
    # What is copied is the text itself.
    assert page.evaluate(SELECT_ALL, "#reading") == plain
    page.keyboard.press("Control+C")
    # (Chromium copies a no-break space, French content's before ":", as a plain space.)
    assert page.evaluate("navigator.clipboard.readText()") == plain.replace("\u00a0", " ")
    # Screen readers get whole words: the separators are hidden, the names unchanged.
    tree = page.locator("#reading").aria_snapshot()
    assert "Écouter au travail" in tree and "·" not in tree
    assert_accessible(page)

    page.goto(live_server + QUIZ_PAGE)
    option = page.get_by_label("Vous reformulez la consigne.")
    assert option.count() == 1
    label = page.locator("label[for='q-q1-b']")
    assert re.sub(r"<[^>]+>", "|", label.inner_html()).count("|") >= 8  # con|si|gne (exception)
    assert (
        'con</span><span class="sy-sep" aria-hidden="true"></span><span class="sy sy-b">si'
        in label.inner_html()
    )
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("theme", checks.THEMES)
def test_syllables_in_two_colours_keep_the_contrast(app, browser, live_server, theme):
    checks.add_learner(app, prefs=reading(syllables="colour", theme=theme))
    context, page = open_page(browser, live_server, READ_PAGE)
    colours = page.evaluate(
        """() => [getComputedStyle(document.querySelector('#reading p .sy')).color,
                  getComputedStyle(document.querySelector('#reading p .sy-b')).color,
                  getComputedStyle(document.querySelector('#reading p .sy-sep'), '::before')
                    .content]"""
    )
    assert colours[0] != colours[1]
    assert colours[2] == "none"
    assert checks.contrast_problems(page) == []
    assert_accessible(page)
    context.close()


# --- read aloud -----------------------------------------------------------------------------


def fire(page, event: str, detail: dict | None = None):
    page.evaluate(
        "([event, detail]) => window.__tts.current['on' + event](detail || {})", [event, detail]
    )


def test_read_aloud_highlights_each_sentence_and_word_in_step(app, browser, live_server):
    checks.add_learner(app, prefs=reading(syllables="split"))
    context = browser.new_context(locale="fr-FR")
    context.add_init_script(TTS_STUB)
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + READ_PAGE)
    play = page.get_by_role("button", name="Lire à voix haute")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    spoken = page.evaluate("window.__tts.spoken")
    assert spoken[0] == {
        "text": "Écouter au travail",
        "lang": "fr-FR",
        "rate": 1,
        "voice": "Stub FR",
    }
    fire(page, "start")
    assert page.evaluate(HIGHLIGHT, "tts-sentence") == "Écouter au travail"
    fire(page, "end")
    sentence = page.evaluate("window.__tts.current.text")
    assert sentence == "Au travail, on vous donne des consignes."
    fire(page, "start")
    for match in re.finditer(r"[^\s,.]+", sentence):
        fire(
            page,
            "boundary",
            {"name": "word", "charIndex": match.start(), "charLength": len(match.group())},
        )
        assert page.evaluate(HIGHLIGHT, "tts-word") == match.group()
        assert page.evaluate(HIGHLIGHT, "tts-sentence") == sentence
    # A boundary without its length (some voices) still marks the whole word.
    fire(page, "boundary", {"name": "word", "charIndex": 12})
    assert page.evaluate(HIGHLIGHT, "tts-word") == "on"

    pause = page.get_by_role("button", name="Pause")
    pause.click()
    assert pause.get_attribute("aria-pressed") == "true"
    play.click()
    assert page.evaluate("window.__tts.calls").count("resume") == 1
    page.get_by_label("Vitesse").select_option("2")
    assert page.evaluate("window.__tts.spoken.at(-1)")["rate"] == 2
    assert page.evaluate("window.__tts.spoken.at(-1).text") == sentence
    assert_accessible(page)
    page.get_by_role("button", name="Arrêter").click()
    assert page.evaluate(HIGHLIGHT, "tts-word") is None
    assert play.get_attribute("aria-pressed") == "false"
    assert page.locator("html").get_attribute("data-rm-rate") == "2"  # saved on the account
    context.close()


def test_read_aloud_reads_each_quiz_question_and_its_options(app, browser, live_server):
    checks.add_learner(app)
    context = browser.new_context(locale="fr-FR")
    context.add_init_script(TTS_STUB)
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + QUIZ_PAGE)
    page.get_by_role("button", name="Écouter : Question 1").click()
    texts = []
    for _ in range(10):
        current = page.evaluate("window.__tts.current && window.__tts.current.text")
        if current is None or (texts and texts[-1] == current):
            break
        texts.append(current)
        fire(page, "start")
        assert page.evaluate(HIGHLIGHT, "tts-sentence") == current
        fire(page, "end")
    # French content keeps "?" with its word (a narrow no-break space, learn/modules/render.py).
    assert texts[:3] == ["Question 1", "Le chef donne une consigne.", "Que faites-vous\u202f?"]
    # then the options, in the order this attempt shows them (shuffled per attempt)
    shown = page.locator("#question-q1 label").all_inner_texts()
    assert texts[3:] == shown
    assert sorted(shown) == ["Vous partez tout de suite.", "Vous reformulez la consigne."]
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize(
    ("path", "voice", "first"),
    [
        ("/modules/es-social/read/mission", "Stub EN", "Mission"),
        # Only in French: shown in French (lang="fr" on the text) in the English interface.
        (READ_PAGE, "Stub FR", "Écouter au travail"),
    ],
)
def test_read_aloud_takes_the_voice_of_the_text_language(
    app, browser, live_server, path, voice, first
):
    checks.add_learner(app)
    session = app.extensions["learn.sessions"]()
    session.execute(update(User).where(User.username == "lea").values(locale="en"))
    session.commit()
    session.close()
    context = browser.new_context(locale="fr-FR")
    context.add_init_script(TTS_STUB)
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + path)
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Read aloud").click()
    spoken = page.evaluate("window.__tts.spoken")
    assert spoken[0]["voice"] == voice and spoken[0]["lang"] == (
        "en-GB" if "EN" in voice else "fr-FR"
    )
    assert spoken[0]["text"] == first
    context.close()


@pytest.mark.parametrize("setup", ["no-voice", "no-api", "other-language"])
def test_read_aloud_says_plainly_when_there_is_no_voice(app, browser, live_server, setup):
    """Headless Chromium has the API but no voice at all; some browsers lack the API; a device
    may have voices, but none for the text's language (a French text is never read by an
    English voice)."""
    checks.add_learner(app)
    context = browser.new_context(locale="fr-FR")
    if setup == "no-api":
        context.add_init_script(NO_TTS)
    elif setup == "other-language":
        context.add_init_script(
            TTS_STUB.replace('{ name: "Stub FR", lang: "fr-FR"', '{ name: "Stub DE", lang: "de-DE"')
        )
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server + READ_PAGE)
    button = page.locator(".tts-play")
    button.filter(has_text="pas de voix").wait_for(timeout=5000)
    assert button.inner_text() == "Lecture à voix haute : pas de voix sur cet appareil"
    assert button.get_attribute("aria-disabled") == "true"
    status = page.get_by_role("status").filter(has_text="Ce navigateur n'a pas de voix")
    status.wait_for(timeout=2000)
    assert button.is_visible() and page.locator(".tts-pause").is_hidden()
    page.evaluate("document.querySelector('.tts-status').textContent = ''")
    button.click(force=True)  # never silent: a click (aria-disabled, still focusable) says it again
    status.wait_for(timeout=2000)
    assert page.evaluate("window.__tts ? window.__tts.spoken.length : 0") == 0
    assert_accessible(page)
    context.close()


# --- glossary -------------------------------------------------------------------------------


def tip_text(page):
    return page.evaluate(
        "() => { const t = document.getElementById('gloss-tip');"
        " return t && !t.hidden ? t.textContent : null; }"
    )


def test_glossary_definition_on_hover_focus_and_tap_closes_with_escape(app, browser, live_server):
    checks.add_learner(app, prefs=reading())
    context, page = open_page(browser, live_server, READ_PAGE)
    term = page.locator("#reading a.gloss").first
    term.hover()
    assert "ce qu'on vous demande de faire." in tip_text(page)
    # It stays while the pointer moves onto it, and closes when the pointer leaves both.
    page.locator("#gloss-tip").hover()
    page.wait_for_timeout(600)
    assert tip_text(page) is not None
    page.mouse.move(5, 5)
    page.wait_for_timeout(600)
    assert tip_text(page) is None
    # Keyboard: focus shows it, Escape hides it and focus stays on the word.
    term.focus()
    assert tip_text(page) is not None
    assert term.get_attribute("aria-describedby") == "gloss-consigne"
    assert_accessible(page)
    page.keyboard.press("Escape")
    assert tip_text(page) is None
    assert page.evaluate("document.activeElement.classList.contains('gloss')")
    context.close()

    context, page = open_page(
        browser,
        live_server,
        READ_PAGE,
        is_mobile=True,
        has_touch=True,
        viewport={"width": 390, "height": 844},
    )
    page.locator("#reading a.gloss").first.tap()
    assert "ce qu'on vous demande de faire." in tip_text(page)
    assert "#" not in page.url
    box = page.locator("#gloss-tip").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    context.close()


def test_glossary_without_javascript_links_to_the_definition(app, browser, live_server):
    checks.add_learner(app)
    context, page = open_page(browser, live_server, READ_PAGE, java_script_enabled=False)
    page.locator("#reading a.gloss").first.click()
    assert page.url.endswith("#gloss-consigne")
    assert page.locator("#gloss-consigne").is_visible()
    assert page.locator("#gloss-consigne").evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )
    context.close()
