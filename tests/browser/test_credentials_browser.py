"""Badges in a real browser: a trainer issues one with the button on the learner's page, the
learner finds it in their passport, and an employer, signed out, opens its public page, checks a
name and opens the printable attestation with its QR code. Each page passes the checks of
test_new_pages (axe-core WCAG 2.2 A/AA, 24 px targets, visible focus, no sideways scrolling at
320 px, no clipped text), in French and English, with the reading mode off and at its largest."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from learn.models import User
from tests import page_world
from tests.browser.test_new_pages import MODES, NARROWEST, check_page, open_as, set_reading
from tests.browser_support import assert_accessible
from tests.reading import browser_checks as checks

# The passport and the transfer run on both databases (issue 20), in .ci/run's PostgreSQL pass too.
pytestmark = [pytest.mark.browser, pytest.mark.both_databases]


@pytest.fixture
def world(app):
    return page_world.build(app)


@pytest.mark.parametrize(("mode", "locale"), [("off", "fr"), ("largest", "fr"), ("off", "en")])
def test_issue_then_passport_then_the_public_page(app, world, browser, live_server, mode, locale):
    set_reading(app, [world.trainer, world.learner], MODES[mode])
    context, page = open_as(browser, live_server, world.trainer, locale)
    page.goto(f"{live_server}/trainer/learners/{world.learner_id}")
    page.locator(f"a[href='/trainer/learners/{world.learner_id}/credentials']").click()
    page.wait_for_load_state()
    check_page(page, f"credentials-trainer-{mode}-{locale}")
    page.locator("main form[action$='/issue'] button").first.click()
    page.wait_for_load_state()
    issued = page.locator("main a[href^='/credentials/']").first
    credential = issued.get_attribute("href")
    assert page.locator(".message-success").count() == 1
    check_page(page, f"credentials-issued-{mode}-{locale}")
    assert page.problems == []
    context.close()

    context, page = open_as(browser, live_server, world.learner, locale)
    page.goto(live_server + "/dashboard")
    page.locator("a[href='/passport']").click()
    page.wait_for_load_state()
    assert page.locator(f"main a[href$='{credential}']").count() >= 1
    check_page(page, f"passport-{mode}-{locale}")
    assert page.problems == []
    context.close()

    employer = browser.new_context(locale=f"{locale}-FR", viewport={"width": 360, "height": 740})
    page = employer.new_page()
    page.problems = []
    page.on("console", lambda msg: page.problems.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server + credential)
    assert page.locator(".verdict-valid").count() == 1
    check_page(page, f"credential-public-{mode}-{locale}")
    page.locator("main form input[name=name]").fill("someone else")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message-error[role=status]").count() == 1
    page.goto(live_server + credential + "/print")
    qr = page.locator("img[src$='/qr.svg']")
    assert qr.evaluate("(img) => img.complete && img.naturalWidth > 0")
    # A printed sheet has one link (the address under the QR code): too few controls for the
    # focus walk of check_page; the rest of its checks apply.
    assert_accessible(page)
    assert checks.small_targets(page) == []
    page.set_viewport_size(NARROWEST)
    assert checks.horizontal_overflow(page) == 0
    assert checks.clipped_text(page) == []
    assert page.problems == []
    employer.close()


def test_the_consent_question_and_the_record_received(app, world, browser, live_server):
    """The learner's consent on their passport and the partner's page of the record received
    pass the same checks (French, reading mode off)."""
    from learn.models import Role
    from learn.services import transfers
    from tests import factories

    db = app.extensions["learn.sessions"]()
    partner = factories.organisation(db, slug="partner-b", name="Partner B")
    partner_trainer = factories.user(db, partner, Role.TRAINER, username="coach-partner")
    trainer = db.scalar(select(User).where(User.username == world.trainer))
    transfers.request_transfer(db, trainer, world.learner_id, "partner-b")
    db.commit()
    db.close()

    context, page = open_as(browser, live_server, world.learner)
    page.goto(live_server + "/passport")
    assert page.locator(".transfer-request").count() == 1
    check_page(page, "passport-consent")
    page.locator(".transfer-request input[name=workshops]").check()
    page.locator(".transfer-request button[value=accept]").click()
    page.wait_for_load_state()
    assert page.locator(".transfer-request").count() == 0
    assert page.problems == []
    context.close()

    context, page = open_as(browser, live_server, partner_trainer.username)
    page.goto(live_server + "/trainer/transfers")
    check_page(page, "records-received")
    page.locator("main a[href^='/trainer/transfers/']").first.click()
    page.wait_for_load_state()
    check_page(page, "record-received")
    assert page.locator("main form button[value=accept]").count() == 1
    assert page.problems == []
    context.close()


def test_the_import_page_checks_a_file_then_imports_it(app, world, browser, live_server, tmp_path):
    """A trainer uploads a signed passport file from another organisation: the page shows who
    signed it (profile and key), then imports it into a new account; the same checks pass."""
    import json

    from learn import content
    from learn.models import Role
    from learn.services import issuers, record_files
    from tests import factories

    db = app.extensions["learn.sessions"]()
    elsewhere = factories.organisation(db, slug="ailleurs", name="Ailleurs")
    mover = factories.user(
        db, elsewhere, Role.LEARNER, username="venu", display_name="Venu D'ailleurs"
    )
    with app.app_context():
        catalog = content.catalog()
    store = issuers.key_store(app.config["LEARN_PATHS"].instance)
    document = record_files.passport_file(db, mover, catalog, store, "https://ailleurs.example")
    db.commit()
    db.close()
    path = tmp_path / "passeport.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")

    context, page = open_as(browser, live_server, world.trainer)
    page.goto(live_server + "/trainer/imports")
    check_page(page, "import-upload")
    page.set_input_files("input[type=file]", str(path))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "https://ailleurs.example/issuers/ailleurs" in page.locator("main").inner_text()
    check_page(page, "import-check")
    page.fill("input[name=username]", "venu.ailleurs")
    page.locator("input[name=confirm]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "venu.ailleurs" in page.locator("main").inner_text()
    check_page(page, "import-done")
    assert page.problems == []
    context.close()
