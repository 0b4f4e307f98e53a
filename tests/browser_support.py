"""Real-browser fixtures, a pytest plugin loaded by tests/conftest.py: the app served on
127.0.0.1 in a thread, headless Debian Chromium driven by Playwright, and axe-core (shipped by
axe-playwright-python) run on every page."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("LEARN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEMO_PASSWORD = "demo-password-for-tests"


def _chromium_missing() -> str | None:
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        return None
    return (
        f"Chromium not found at {CHROMIUM}: install it (Debian/Ubuntu: `sudo apt-get install -y "
        "chromium`) or set LEARN_CHROMIUM to its path to run the browser tests."
    )


@pytest.fixture(scope="session")
def browser():
    missing = _chromium_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing + " (CI=true: browser tests may not be skipped)")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    """Serve the test's app on a free port of 127.0.0.1 for the duration of the test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def context(browser):
    ctx = browser.new_context(locale="fr-FR")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    page.js_errors = errors
    yield page


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.2 A/AA violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    # A click that navigates returns once the new page's document is there, maybe before its
    # stylesheets: axe would then judge an unstyled page (targets too close, and so on).
    page.wait_for_load_state("load")
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in violations
    )
    assert not violations, f"axe found violations on {page.url}:\n{report}"


@pytest.fixture
def demo_data(app):
    """The demo organisation and its accounts (password DEMO_PASSWORD) in the test's database."""
    from learn import demo

    session = app.extensions["learn.sessions"]()
    with app.test_request_context():
        demo.load(session, DEMO_PASSWORD)
    session.commit()
    session.close()
