"""A phone keeps the stylesheets and scripts: once a page is loaded, the next page asks the
server for none of them (headless Chromium, counted on the server, in front of WhiteNoise)."""

from __future__ import annotations

import pytest

from tests.browser_support import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_the_next_page_asks_for_no_stylesheet_or_script(live_server, app, page, demo_data):
    asked = []
    served = app.wsgi_app  # WhiteNoise answers static files before Flask sees them

    def counting(environ, start_response):
        if environ["PATH_INFO"].startswith("/static/"):
            asked.append(environ["PATH_INFO"])
        return served(environ, start_response)

    app.wsgi_app = counting

    page.goto(live_server + "/sign-in")
    page.get_by_label("Identifiant").fill("demo-learner")
    page.get_by_label("Mot de passe ou code de connexion").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server + "/dashboard")
    assert any(path.endswith(".css") for path in asked)  # the first page loaded them
    page.goto(live_server + "/modules/es-social")  # and the first module page its scripts
    assert any("/heartbeat." in path for path in asked)
    page.goto(live_server + "/catalog")  # and the catalogue its filter
    assert any("/catalog-filter." in path for path in asked)
    for path in ("/catalog", "/dashboard", "/modules/es-social/end", "/modules/es-social"):
        asked.clear()
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        assert [p for p in asked if not p.endswith(".woff2")] == [], path
    assert page.js_errors == []
