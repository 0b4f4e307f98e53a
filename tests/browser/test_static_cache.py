"""A phone keeps the stylesheets and scripts: once a page is loaded, the next page asks the
server for none of them (headless Chromium, counted on the server)."""

from __future__ import annotations

import pytest
from flask import request

from tests.browser_support import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_the_next_page_asks_for_no_stylesheet_or_script(live_server, app, page, demo_data):
    asked = []

    @app.before_request
    def _count_static():
        if request.endpoint == "static":
            asked.append(request.path)

    page.goto(live_server + "/sign-in")
    page.get_by_label("Identifiant").fill("demo-learner")
    page.get_by_label("Mot de passe ou code de connexion").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server + "/dashboard")
    assert any(path.endswith(".css") for path in asked)  # the first page loaded them
    page.goto(live_server + "/modules/es-social")  # and the first module page its scripts
    assert any(path.endswith("heartbeat.js") for path in asked)
    page.goto(live_server + "/catalog")  # and the catalogue its filter
    assert any(path.endswith("catalog-filter.js") for path in asked)
    for path in ("/catalog", "/dashboard", "/modules/es-social/end", "/modules/es-social"):
        asked.clear()
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        assert [p for p in asked if not p.endswith(".woff2")] == [], path
    assert page.js_errors == []
