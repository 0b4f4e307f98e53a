"""Issue 19's journey end to end, at a 360 × 740 phone viewport in headless Chromium, on SQLite
and on PostgreSQL: a trainer creates a tutor and links a learner; the learner sends a photo (with
a GPS position) and a voice note to a competence of the fixture référentiel; the tutor signs in
with the code, chooses a password and assesses her on it; the trainer validates the competence
citing the evidence and the assessment; the learner's référentiel view, the trainer's and the
attestation PDF show it. axe-core runs on the pages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from learn.models import Role
from tests import evidence_files, factories
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.both_databases]

PHONE = {"width": 360, "height": 740}
NEW_PASSWORD = "un jardin sous la pluie"
REF, COMPETENCE = "essai", "ecouter-client"


@pytest.fixture
def app(small_app):
    return small_app


def phone(browser, base, username, secret):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base + "/sign-in")
    page.locator("#username").fill(username)
    page.locator("#password").fill(secret)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/sign-in" not in page.url
    return context, page


def test_the_workplace_journey_from_tutor_to_attestation(app, browser, live_server):
    base = live_server
    db = app.extensions["learn.sessions"]()
    org = factories.organisation(db)
    factories.user(db, org, Role.TRAINER, username="coach", display_name="Karim Coach")
    learner = factories.user(db, org, username="amina", display_name="Amina Diallo")
    db.commit()
    learner_id = learner.id
    db.close()

    # The trainer creates the tutor's account and links the learner.
    staff, trainer = phone(browser, base, "coach", factories.PASSWORD)
    trainer.goto(base + "/trainer/tutors/new")
    trainer.get_by_label("Nom affiché").fill("Paul Morel")
    trainer.get_by_role("button", name="Créer le compte").click()
    code = trainer.locator(".sign-in-card .code").inner_text().strip()
    trainer.get_by_role("link", name="Retour au tuteur ou à la tutrice").click()
    trainer.get_by_label("Apprenant", exact=True).select_option(label="Amina Diallo")
    trainer.get_by_role("button", name="Relier cet apprenant").click()
    expect(trainer.locator("main")).to_contain_text("Amina Diallo")
    assert_accessible(trainer)

    # The learner sends a photo and a voice note to the competence.
    context, page = phone(browser, base, "amina", factories.PASSWORD)
    target = f"competence:{REF}/{COMPETENCE}"
    page.goto(f"{base}/evidence/new?target={target}")
    expect(page.locator("#target")).to_have_value(target)
    assert_accessible(page)
    page.locator("#e-photo-file").set_input_files(
        {
            "name": "IMG_0042.jpg",
            "mimeType": "image/jpeg",
            "buffer": evidence_files.photo_with_gps(),
        }
    )
    page.locator("#note").fill("La demande du client reformulée")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".message-success")).to_be_visible()
    page.goto(f"{base}/evidence/new?target={target}")
    page.locator("#e-audio").set_input_files(
        {"name": "note.m4a", "mimeType": "audio/mp4", "buffer": evidence_files.m4a()}
    )
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("img.evidence-photo")).to_have_count(1)
    expect(page.locator("audio")).to_have_count(1)
    assert_accessible(page)
    context.close()

    # The tutor, on a phone: the code, a password, then the assessment.
    context, page = phone(browser, base, "paul.morel", code)
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Le même mot de passe, une deuxième fois").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    page.goto(base + "/")
    page.get_by_role("link", name="Amina Diallo").click()
    page.locator("summary", has_text="Métier d'essai").click()
    page.get_by_role("link", name="Écouter le client").click()
    assert_accessible(page)
    page.get_by_label("Reformule la demande").check()
    page.get_by_label("Pose une question").check()
    page.get_by_label("Seul·e", exact=True).check()
    page.get_by_label("Ce que vous avez vu").fill("Elle reformule la demande du client.")
    today = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()
    page.get_by_label("Date", exact=True).fill(today)
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("main")).to_contain_text("Envoyé : Amina Diallo")
    assert_accessible(page)
    context.close()

    # The trainer validates, citing both pieces of evidence and the tutor's assessment.
    referentiel = f"{base}/trainer/learners/{learner_id}/referentiels/{REF}"
    trainer.goto(referentiel)
    form = trainer.locator(f"form:has(input[name=competence][value='{COMPETENCE}'])")
    sources = form.locator("input[name=source]")
    values = [sources.nth(i).get_attribute("value") for i in range(sources.count())]
    assert sum(v.startswith("evidence:") for v in values) == 2, values
    assert sum(v.startswith("assessment:") for v in values) == 1, values
    for i in range(sources.count()):
        sources.nth(i).check()
    form.locator("input[name=step]").last.check()
    form.get_by_role("button", name="Valider").click()
    expect(trainer.locator(".message-success")).to_be_visible()
    expect(trainer.get_by_text("Validé le")).to_have_count(1)
    assert_accessible(trainer)
    trainer.goto(referentiel + "/attestation")
    expect(trainer.locator("main")).to_contain_text("Écouter le client")
    expect(trainer.locator("main")).to_contain_text("Karim Coach")
    # The tutor whose assessment the trainer cited is named among the assessors.
    expect(trainer.locator("main")).to_contain_text("Paul Morel, tuteur ou tutrice en entreprise")
    expect(trainer.locator("main")).to_contain_text("Photo")
    expect(trainer.locator("main")).to_contain_text("Message vocal")
    assert_accessible(trainer)
    pdf = trainer.request.get(referentiel + "/attestation.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    staff.close()

    # The learner sees it validated on her référentiel view.
    context, page = phone(browser, base, "amina", factories.PASSWORD)
    page.goto(f"{base}/referentiels/{REF}")
    card = page.locator(f"#competence-{COMPETENCE}")
    expect(card.get_by_text("Validé le")).to_be_visible()
    expect(card.get_by_text("par Karim Coach")).to_be_visible()
    assert_accessible(page)
    context.close()
