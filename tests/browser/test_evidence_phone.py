"""Evidence from a phone, in headless Chromium at 360 × 740: the learner chooses a photo (with
a GPS position in it) and a voice note, sends them without a script, sees them on their list;
the trainer sees the photo. axe finds nothing, nothing scrolls sideways, the photo fits."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from learn.models import Role
from tests import evidence_files, factories
from tests.browser_support import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def signed_in(browser, base: str, username: str):
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.goto(base + "/sign-in")
    page.locator("#username").fill(username)
    page.locator("#password").fill(factories.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/sign-in" not in page.url
    return context, page


def test_a_learner_sends_a_photo_and_a_voice_note_from_a_phone(app, browser, live_server):
    db = app.extensions["learn.sessions"]()
    org = factories.organisation(db)
    lea = factories.user(db, org, Role.LEARNER, username="lea", display_name="Léa")
    factories.user(db, org, Role.TRAINER, username="tom", display_name="Tom")
    db.commit()
    lea_id = lea.id
    db.close()

    context, page = signed_in(browser, live_server, "lea")
    page.goto(live_server + "/skills/ecoute")
    page.get_by_role("link", name="Ajouter une preuve pour le niveau 3").click()
    expect(page.locator("#target")).to_have_value("skill_level:ecoute/3")
    assert page.evaluate(NO_SIDEWAYS)
    assert_accessible(page)
    page.locator("#e-photo-file").set_input_files(
        {
            "name": "IMG_0042.jpg",
            "mimeType": "image/jpeg",
            "buffer": evidence_files.photo_with_gps(),
        }
    )
    page.locator("#note").fill("Le chariot préparé ce matin")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".message-success")).to_be_visible()
    photo = page.locator("img.evidence-photo")
    expect(photo).to_be_visible()
    natural, shown = photo.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
    assert natural == 1600 and shown <= PHONE["width"]
    assert page.evaluate(NO_SIDEWAYS)

    page.get_by_role("link", name="Ajouter une preuve").first.click()
    page.locator("#target").select_option("skill_level:ecoute/4")
    page.locator("#e-audio").set_input_files(
        {"name": "note.m4a", "mimeType": "audio/mp4", "buffer": evidence_files.m4a()}
    )
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("audio")).to_have_count(1)
    assert_accessible(page)
    assert page.problems == []
    context.close()

    context, page = signed_in(browser, live_server, "tom")
    page.goto(f"{live_server}/trainer/learners/{lea_id}/evidence")
    photo = page.locator("img.evidence-photo")
    expect(photo).to_be_visible()
    source = photo.get_attribute("src")
    served = page.request.get(live_server + source)
    with Image.open(io.BytesIO(served.body())) as image:
        assert not image.getexif()
    assert served.headers["content-security-policy"].startswith("default-src 'none'; sandbox")
    assert_accessible(page)
    context.close()


def test_with_javascript_a_voice_note_is_recorded_in_the_page(app, browser, live_server):
    """Chromium's fake microphone (a beep) stands for the phone's: the recording lands in the
    form's file field and is sent, checked and stored as any voice note."""
    from sqlalchemy import select

    from learn.models import Evidence
    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    db = app.extensions["learn.sessions"]()
    factories.user(db, factories.organisation(db), Role.LEARNER, username="lea")
    db.commit()
    fake_microphone = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    )
    try:
        context, page = signed_in(fake_microphone, live_server, "lea")
        context.grant_permissions(["microphone"], origin=live_server)
        page.goto(live_server + "/evidence/new?target=skill_level:ecoute/3")
        record = page.get_by_role("button", name="Enregistrer une note vocale")
        record.click()
        expect(page.locator(".recorder-status")).to_contain_text("Enregistrement")
        page.wait_for_timeout(1500)
        page.get_by_role("button", name="Arrêter l'enregistrement").click()
        expect(page.locator(".recorder-status")).to_contain_text("Note vocale enregistrée")
        assert page.locator("#e-audio").evaluate("input => input.files.length") == 1
        assert_accessible(page)
        page.get_by_role("button", name="Envoyer").click()
        expect(page.locator("audio")).to_have_count(1)
        assert page.problems == []
        context.close()
    finally:
        fake_microphone.close()
    db.rollback()
    stored = db.scalar(select(Evidence))
    assert stored.kind == "audio" and stored.content_type in (
        "audio/webm",
        "audio/mp4",
        "audio/ogg",
    )
    db.close()
