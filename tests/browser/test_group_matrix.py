"""The group's matrix in headless Chromium: at 1280 px the learners' names stay in view when
the modules scroll sideways; at 360 px a list per learner replaces the wide table, with nothing
scrolling sideways. axe-core runs on both."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests import trainer_factories as tf
from tests.browser_support import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def group_url(app):
    db = app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "bm", learners=3)
    for i, learner in enumerate(world["learners"]):
        learner.display_name = ["Amina Diallo", "Bruno Martin", "Chloé Petit"][i]
        tf.progress(db, learner, "ecoute-1", "mastered" if i == 0 else "in_progress")
    db.commit()
    group_id = world["group"].id
    db.close()
    return f"/trainer/groups/{group_id}/matrix", "coach-bm"


def signed_in(browser, base, username, width, height):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(base + "/sign-in")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe ou code de connexion").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    return context, page


def test_names_stay_in_view_when_the_matrix_scrolls_sideways(browser, live_server, group_url):
    url, username = group_url
    context, page = signed_in(browser, live_server, username, 1280, 800)
    page.goto(live_server + url + "?show=course:softskills")  # 80 modules: a wide table
    wrap = page.locator(".matrix-view .table-wrap")
    expect(wrap).to_be_visible()
    expect(page.locator(".matrix-list")).to_be_hidden()
    assert wrap.evaluate("el => el.scrollWidth > 4 * el.clientWidth")
    wrap.evaluate("el => { el.scrollLeft = el.scrollWidth / 2; }")
    assert wrap.evaluate("el => el.scrollLeft") > 1000
    name = page.locator("#report tbody th[scope=row]", has_text="Bruno Martin")
    box, frame = name.bounding_box(), wrap.bounding_box()
    assert abs(box["x"] - frame["x"]) < 2  # held at the left edge of the scrolled table
    # Nothing covers it: the element at its centre is the name's cell (or its link).
    assert page.evaluate(
        """([x, y]) => !!document.elementFromPoint(x, y).closest('th[scope=row]')""",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert_accessible(page)
    context.close()


def test_a_phone_shows_a_list_per_learner(browser, live_server, group_url):
    url, username = group_url
    context, page = signed_in(browser, live_server, username, 360, 740)
    page.goto(live_server + url)
    expect(page.locator(".matrix-view")).to_be_hidden()  # display:none: not read either
    learners = page.locator(".matrix-list > li")
    expect(learners).to_have_count(3)
    amina = learners.filter(has_text="Amina Diallo")
    expect(amina.get_by_role("heading", name="Amina Diallo")).to_be_visible()
    expect(amina.locator("dd").first).to_contain_text("Réussi")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    assert_accessible(page)
    context.close()
