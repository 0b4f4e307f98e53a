"""What the browser tests of the reading mode measure in the page: computed styles, layout and
contrast, one function per check of ACCESSIBILITY.md's table. Each returns plain data (a list of
problems, or figures) so that the test's assertion message says what is wrong and where."""

from __future__ import annotations

from learn.models import Role
from learn.modules import CatalogHolder
from tests import factories
from tests.conftest import PROJECT_ROOT

READING_CONTENT = PROJECT_ROOT / "tests" / "reading" / "content"
THEMES = ("cream", "blue", "grey", "dark")
SIZES = ("18", "20", "24", "28", "32")
FONTS = {
    "system": None,
    "atkinson": "Atkinson Hyperlegible",
    "lexend": "Lexend",
    "opendyslexic": "OpenDyslexic",
}
READ_PAGE = "/modules/ecoute-1/read/travail"
QUIZ_PAGE = "/modules/ecoute-1/quiz"


def reading_catalog() -> CatalogHolder:
    holder = CatalogHolder(READING_CONTENT, reload=False)
    assert holder.get().errors == 0, [p.format() for p in holder.get().problems]
    return holder


def add_learner(app, username: str = "lea", prefs: dict | None = None, easy: bool = False):
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(
        session,
        org,
        Role.LEARNER,
        username=username,
        display_name="Léa",
        reading_preferences=prefs,
        prefers_easy_read=easy,
    )
    session.commit()
    session.close()


def set_prefs(app, username: str, prefs: dict | None) -> None:
    from sqlalchemy import select

    from learn.models import User

    session = app.extensions["learn.sessions"]()
    user = session.scalars(select(User).where(User.username == username)).one()
    user.reading_preferences = prefs
    session.commit()
    session.close()


def sign_in(page, base: str, username: str = "lea") -> None:
    page.goto(base + "/sign-in")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe ou code de connexion").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/dashboard")


def wait_until(page, expression: str, timeout: float = 5.0) -> None:
    """Poll a JavaScript expression (page.wait_for_function would need eval, which the CSP of
    Parcours forbids)."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


def reading(**values) -> dict:
    """Stored preferences: the reading mode on with the preset, overridden by `values`."""
    prefs = {
        "mode": True,
        "size": "20",
        "spacing": "wide",
        "line_height": "1.5",
        "line_length": "60",
        "theme": "cream",
        "font": "system",
        "syllables": "off",
        "ruler": "3",
        "rate": "1",
    }
    prefs.update(values)
    return prefs


# A speechSynthesis that speaks nothing: the test drives its events one by one.
TTS_STUB = """
(() => {
  const stub = {
    speaking: false, paused: false, pending: false, current: null, spoken: [], calls: [],
    getVoices: () => [
      { name: "Stub EN", lang: "en-GB", localService: true, default: true, voiceURI: "en" },
      { name: "Stub FR", lang: "fr-FR", localService: true, default: false, voiceURI: "fr" },
    ],
    speak(u) { stub.current = u; stub.spoken.push({ text: u.text, lang: u.lang, rate: u.rate,
                                                   voice: u.voice && u.voice.name }); },
    cancel() { stub.calls.push("cancel"); stub.current = null; },
    pause() { stub.calls.push("pause"); },
    resume() { stub.calls.push("resume"); },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: stub, configurable: true });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  window.__tts = stub;
})();
"""
NO_TTS = """
Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
"""
HIGHLIGHT = """(name) => { const h = CSS.highlights.get(name);
  return h ? [...h].map((r) => r.toString()).join("|") : null; }"""


# Shared JavaScript: colour parsing and WCAG contrast, the background really behind an element.
JS_LIB = """
const rgba = (text) => {
  const m = text.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const lum = (c) => {
  const f = (v) => {
    v /= 255;
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
};
const contrast = (a, b) => {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const backgroundOf = (el) => {
  for (let e = el; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c && c[3] > 0.5) return c;
  }
  return rgba(getComputedStyle(document.documentElement).backgroundColor) || [255, 255, 255, 1];
};
const visible = (el) => {
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none";
};
const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
  (el.className && typeof el.className === "string"
    ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
  " «" + (el.textContent || "").trim().slice(0, 30) + "»";
"""


def run(page, body: str, arg=None):
    """Evaluate `body` (a function body using JS_LIB; `arg` is its argument)."""
    return page.evaluate(f"(arg) => {{ {JS_LIB}\n{body} }}", arg)


def text_metrics(page, selector: str = "#reading p") -> dict:
    """Font size, letter and word spacing, line height and the width of a space, in px."""
    return run(
        page,
        """
        const p = document.querySelector(arg);
        const s = getComputedStyle(p);
        // The rendered width of a space between two words (it includes word and letter spacing).
        const probe = document.createElement("span");
        probe.textContent = "mot mot";
        probe.style.whiteSpace = "nowrap";
        p.appendChild(probe);
        const range = document.createRange();
        range.setStart(probe.firstChild, 3);
        range.setEnd(probe.firstChild, 4);
        const gap = range.getBoundingClientRect().width;
        const zero = document.createElement("span");
        zero.textContent = "0".repeat(100);
        zero.style.letterSpacing = "0";
        zero.style.wordSpacing = "0";
        zero.style.whiteSpace = "nowrap";
        p.appendChild(zero);
        const ch = zero.getBoundingClientRect().width / 100;
        probe.remove(); zero.remove();
        return {
          fontSize: parseFloat(s.fontSize),
          letterSpacing: s.letterSpacing === "normal" ? 0 : parseFloat(s.letterSpacing),
          wordSpacing: parseFloat(s.wordSpacing) || 0,
          lineHeight: parseFloat(s.lineHeight),
          gap: gap,
          ch: ch,
          bodyFontSize: parseFloat(getComputedStyle(document.body).fontSize),
        };
        """,
        selector,
    )


def paragraph_gaps(page, selector: str = "#reading") -> list[dict]:
    """For each paragraph followed by another, the gap between them and the line height."""
    return run(
        page,
        """
        const out = [];
        for (const p of document.querySelectorAll(arg + " p")) {
          const next = p.nextElementSibling;
          if (!next || next.tagName !== "P") continue;
          out.push({
            gap: next.getBoundingClientRect().top - p.getBoundingClientRect().bottom,
            lineHeight: parseFloat(getComputedStyle(p).lineHeight),
          });
        }
        return out;
        """,
        selector,
    )


def line_lengths(page, selector: str = "#reading") -> dict:
    """The most characters on one rendered line of the text, and the prose's max-width in ch."""
    return run(
        page,
        """
        const root = document.querySelector(arg);
        let most = 0;
        for (const block of root.querySelectorAll("p, li")) {
          const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
          const lines = new Map();
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            for (let i = 0; i < n.data.length; i++) {
              const r = document.createRange();
              r.setStart(n, i); r.setEnd(n, i + 1);
              const rect = r.getClientRects()[0];
              if (!rect) continue;
              const key = Math.round(rect.top);
              lines.set(key, (lines.get(key) || 0) + 1);
            }
          }
          for (const count of lines.values()) most = Math.max(most, count);
        }
        const zero = document.createElement("span");
        zero.textContent = "0".repeat(100);
        zero.style.letterSpacing = "0";
        zero.style.whiteSpace = "nowrap";
        root.querySelector("p").appendChild(zero);
        const ch = zero.getBoundingClientRect().width / 100;
        zero.remove();
        return { most: most, widthCh: root.getBoundingClientRect().width / ch };
        """,
        selector,
    )


def typography_problems(page) -> list[str]:
    """Justified text, automatic hyphenation, italics, capitals by CSS, emphasis not bold."""
    return run(
        page,
        """
        const problems = [];
        for (const el of document.querySelectorAll("body *")) {
          if (!visible(el)) continue;
          const s = getComputedStyle(el);
          if (s.textAlign === "justify") problems.push("justified: " + describe(el));
          if (s.hyphens === "auto") problems.push("hyphens auto: " + describe(el));
          if (s.fontStyle !== "normal") problems.push(s.fontStyle + ": " + describe(el));
          if (s.textTransform !== "none") problems.push(s.textTransform + ": " + describe(el));
          if (["EM", "I", "STRONG", "B"].includes(el.tagName) && Number(s.fontWeight) < 700)
            problems.push("emphasis not bold: " + describe(el));
        }
        return problems;
        """,
    )


def heading_ratios(page, selector: str = "#reading") -> list[dict]:
    return run(
        page,
        """
        const body = parseFloat(getComputedStyle(document.querySelector(arg + " p")).fontSize);
        return [...document.querySelectorAll("main h2, main h3")].filter(visible).map((h) => ({
          heading: describe(h), ratio: parseFloat(getComputedStyle(h).fontSize) / body }));
        """,
        selector,
    )


def white_backgrounds(page) -> list[str]:
    return run(
        page,
        """
        const found = [];
        const all = [document.documentElement, ...document.querySelectorAll("body, body *")];
        for (const el of all) {
          const c = rgba(getComputedStyle(el).backgroundColor);
          const white = c && c[3] > 0 && c[0] === 255 && c[1] === 255 && c[2] === 255;
          if (white) found.push(describe(el));
        }
        return found;
        """,
    )


def contrast_problems(page) -> list[str]:
    """Text under 4.5:1 (3:1 when large) and control borders under 3:1, against what is behind."""
    return run(
        page,
        """
        const problems = [];
        for (const el of document.querySelectorAll("body *")) {
          if (!visible(el) || el.closest("[aria-hidden='true']")) continue;
          const s = getComputedStyle(el);
          const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
          const bg = backgroundOf(el);
          if (own) {
            const size = parseFloat(s.fontSize);
            const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
            const ratio = contrast(rgba(s.color), bg);
            if (ratio < (large ? 3 : 4.5))
              problems.push(`text ${ratio.toFixed(2)}: ${describe(el)}`);
          }
          const control = el.matches(
            "input:not([type=hidden]):not([type=radio]):not([type=checkbox]), " +
            "select, textarea, .button-secondary");
          if (control && parseFloat(s.borderTopWidth) > 0) {
            const ratio = contrast(rgba(s.borderTopColor), backgroundOf(el.parentElement));
            if (ratio < 3) problems.push(`border ${ratio.toFixed(2)}: ${describe(el)}`);
          }
        }
        return problems;
        """,
    )


def choice_controls(page) -> dict:
    """Radio buttons and check boxes in the reading mode: drawn by the page (the browser's own
    are white inside, whatever the theme), on a tint that is not white, with a border at 3:1
    against what is behind; a checked one shows its mark at 3:1 against the box. Returns the
    number of such controls, of checked ones, and the problems found."""
    return run(
        page,
        """
        const problems = [];
        const boxes = [...document.querySelectorAll("input[type=radio], input[type=checkbox]")]
          .filter(visible);
        for (const el of boxes) {
          const s = getComputedStyle(el);
          const who = describe(el) + " " + el.name + "=" + el.value;
          if (s.appearance !== "none") { problems.push("drawn by the browser: " + who); continue; }
          const fill = rgba(s.backgroundColor);
          if (!fill || fill[3] < 1) problems.push("no fill: " + who);
          else if (fill[0] + fill[1] + fill[2] === 765) problems.push("white fill: " + who);
          const border = contrast(rgba(s.borderTopColor), backgroundOf(el.parentElement));
          if (parseFloat(s.borderTopWidth) < 2 || border < 3)
            problems.push(`border ${border.toFixed(2)}: ${who}`);
          if (el.checked) {
            const mark = getComputedStyle(el, "::before");
            const shown = mark.transform === "none" || mark.transform.startsWith("matrix(1,");
            const box = mark.width === "auto" ? 0 : parseFloat(mark.width);
            const ratio = contrast(rgba(mark.backgroundColor), fill);
            if (!shown || box < 8 || ratio < 3)
              problems.push(`checked mark ${box}px at ${ratio.toFixed(2)}:1: ${who}`);
          }
        }
        const checked = boxes.filter((el) => el.checked).length;
        return { controls: boxes.length, checked: checked, problems: problems };
        """,
    )


def skip_link_shown(page) -> float:
    """How many px of the skip link show at the top of the page while it is not focused."""
    return page.evaluate(
        "() => Math.max(0, document.querySelector('.skip-link').getBoundingClientRect().bottom)"
    )


def theme_contrasts(page) -> dict:
    """The theme's colours against its page and surface colours (custom properties)."""
    return run(
        page,
        """
        const root = getComputedStyle(document.documentElement);
        const probe = document.createElement("span");
        document.body.appendChild(probe);
        const colour = (name) => {
          probe.style.color = root.getPropertyValue(name).trim();
          return rgba(getComputedStyle(probe).color);
        };
        const out = {};
        for (const back of ["--bg", "--surface"]) {
          for (const name of ["--fg", "--muted", "--accent", "--ok", "--error", "--rm-syl"])
            out[`${name} on ${back}`] = [contrast(colour(name), colour(back)), 4.5];
          for (const name of ["--border", "--focus"])
            out[`${name} on ${back}`] = [contrast(colour(name), colour(back)), 3];
        }
        out["--accent-fg on --accent"] = [contrast(colour("--accent-fg"), colour("--accent")), 4.5];
        out["--fg on --hl-word"] = [contrast(colour("--fg"), colour("--hl-word")), 4.5];
        out["--fg on --hl-sentence"] = [contrast(colour("--fg"), colour("--hl-sentence")), 4.5];
        probe.remove();
        return out;
        """,
    )


def small_targets(page) -> list[str]:
    """Controls under 24 × 24 px, except links inside a sentence (WCAG 2.5.8's inline case)."""
    return run(
        page,
        """
        const problems = [];
        const controls = document.querySelectorAll(
          "a[href], button, input:not([type=hidden]), select, textarea, summary, " +
          "[tabindex]:not([tabindex='-1'])");
        for (const el of controls) {
          if (!visible(el) || el.closest(".skip-link") || el.matches(".skip-link")) continue;
          if (el.matches("main, [tabindex='-1']")) continue;
          const block = el.closest("p, li, dd, td, legend, label, h1, h2, h3, .breadcrumb");
          const inline = el.tagName === "A" && block &&
            block.textContent.trim().length > el.textContent.trim().length;
          if (inline) continue;
          const r = el.getBoundingClientRect();
          if (r.width < 24 || r.height < 24)
            problems.push(`${Math.round(r.width)}×${Math.round(r.height)}: ${describe(el)}`);
        }
        return problems;
        """,
    )


def focus_problems(page, presses: int = 40) -> list[str]:
    """Tab through the page: every focused control shows an outline of 2 px or more, in a colour
    at 3:1 or more against what is behind it."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    problems, seen = [], set()
    for _ in range(presses):
        page.keyboard.press("Tab")
        found = run(
            page,
            """
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const s = getComputedStyle(el);
            const width = s.outlineStyle === "none" ? 0 : parseFloat(s.outlineWidth);
            const behind = backgroundOf(el.parentElement);
            const ratio = width ? contrast(rgba(s.outlineColor), behind) : 0;
            return { who: describe(el), width: width, ratio: ratio, shadow: s.boxShadow };
            """,
        )
        if found is None or found["who"] in seen:
            continue
        seen.add(found["who"])
        if found["width"] < 2 or found["ratio"] < 3:
            problems.append(f"{found['who']}: outline {found['width']}px at {found['ratio']:.2f}:1")
    assert len(seen) >= 5, f"Tab reached only {sorted(seen)}"
    # Leave no control focused: a focused skip link, shown over the header, would make the
    # checks that follow judge a page no one sees (the cycle ends wherever the count of
    # controls puts it).
    page.evaluate("document.activeElement && document.activeElement.blur()")
    return problems


def horizontal_overflow(page) -> int:
    """How many px the page is wider than the window (0: no horizontal scrolling)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def clipped_text(page) -> list[str]:
    """Elements whose text overflows a box that hides overflow (clipped), or leaves the page."""
    return run(
        page,
        """
        const problems = [];
        const width = document.documentElement.clientWidth;
        for (const el of document.querySelectorAll("body *")) {
          if (!visible(el)) continue;
          if (el.closest(".visually-hidden, .skip-link, [aria-hidden='true']")) continue;
          const s = getComputedStyle(el);
          const cut = ["hidden", "clip"];
          const hides = cut.includes(s.overflowX) || cut.includes(s.overflowY);
          const over = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
          if (hides && s.clip === "auto" && over)
            problems.push("clipped: " + describe(el));
          const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
          if (own) {
            const r = el.getBoundingClientRect();
            if (r.right > width + 1 && !el.closest(".table-wrap"))
              problems.push("off the page: " + describe(el));
          }
        }
        return problems;
        """,
    )


WCAG_TEXT_SPACING = """
* {
  line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important;
}
p { margin-bottom: 2em !important; }
"""
