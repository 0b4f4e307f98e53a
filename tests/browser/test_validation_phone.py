"""Validation at the workstation in headless Chromium: the trainer validates a competence on
the learner's référentiel page, citing the evidence; the learner, on a 360 px phone, sees it
validated (step, date, by whom), can add evidence from the same page; axe finds nothing,
nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from learn.models import Role
from tests import factories
from tests import trainer_factories as tf
from tests.browser.test_evidence_phone import NO_SIDEWAYS, PHONE
from tests.browser_support import assert_accessible

pytestmark = pytest.mark.browser

REF = "agent-proprete"


def signed_in(browser, base: str, username: str, viewport):
    context = browser.new_context(locale="fr-FR", viewport=viewport)
    page = context.new_page()
    page.goto(base + "/sign-in")
    page.locator("#username").fill(username)
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/sign-in" not in page.url
    return context, page


def test_the_trainer_validates_and_the_learner_sees_it_on_a_phone(
    app, browser, live_server, real_catalog
):
    competence = real_catalog.get().referentiel(REF).competences[0]
    db = app.extensions["learn.sessions"]()
    org = factories.organisation(db)
    lea = factories.user(db, org, Role.LEARNER, username="lea", display_name="Léa")
    factories.user(db, org, Role.TRAINER, username="tom", display_name="Tom")
    db.flush()
    evidence = tf.text_evidence(db, lea, f"{REF}/{competence.id}")
    db.commit()
    lea_id, evidence_id = lea.id, evidence.id
    db.close()

    context, page = signed_in(browser, live_server, "tom", {"width": 1280, "height": 900})
    page.goto(f"{live_server}/trainer/learners/{lea_id}/referentiels/{REF}")
    form = page.locator(f"form:has(input[name=competence][value='{competence.id}'])")
    form.locator(f"input[name=source][value='evidence:{evidence_id}']").check()
    form.locator("input[name=step]").last.check()
    form.get_by_role("button", name="Valider").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.get_by_text("Validé le")).to_have_count(1)
    assert_accessible(page)
    context.close()

    context, page = signed_in(browser, live_server, "lea", PHONE)
    page.goto(live_server + "/dashboard")
    page.get_by_role("link", name="Agent·e de propreté et d'hygiène").click()
    card = page.locator(f"#competence-{competence.id}")
    expect(card.get_by_text("Validé le")).to_be_visible()
    expect(card.get_by_text("par Tom")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS)
    assert_accessible(page)
    card.get_by_role("link", name="Ajouter une preuve").click()
    expect(page.locator("#target")).to_have_value(f"competence:{REF}/{competence.id}")
    context.close()
