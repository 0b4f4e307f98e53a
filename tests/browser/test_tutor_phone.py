"""A workplace tutor on a phone (360 × 740), in headless Chromium: a trainer creates the tutor's
account and links a learner; the tutor signs in with the printed code, chooses a password, and
assesses the learner against a competence of a job référentiel — the draft is saved while typing,
kept when the connection drops and saved when it comes back, and is there again after a reload;
then it is sent, the learner reads it and replies. axe-core runs on every page of the tutor and
the learner; nothing scrolls sideways."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from learn.models import Role
from tests import factories
from tests.browser_support import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
NEW_PASSWORD = "un jardin sous la pluie"
NO_SIDEWAYS = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def app(small_app):
    return small_app


@pytest.fixture
def people(small_app):
    session = small_app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, Role.TRAINER, username="coach", display_name="Karim Coach")
    learner = factories.user(session, org, username="amina", display_name="Amina Diallo")
    session.commit()
    learner_id = learner.id
    session.close()
    return learner_id


def sign_in(page, base, username, secret):
    page.goto(base + "/sign-in")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe ou code de connexion").fill(secret)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def phone_page(browser):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    return context, context.new_page()


def check(page):
    assert_accessible(page)
    assert page.evaluate(NO_SIDEWAYS), f"sideways scrolling on {page.url}"


def test_a_tutor_assesses_a_learner_on_a_phone(browser, live_server, people):
    base, learner_id = live_server, people

    # The trainer creates the tutor's account and links the learner.
    staff = browser.new_context(locale="fr-FR")
    trainer = staff.new_page()
    sign_in(trainer, base, "coach", factories.PASSWORD)
    trainer.goto(base + "/trainer/tutors")
    trainer.get_by_role("link", name="Créer un compte de tuteur ou tutrice").click()
    trainer.get_by_label("Nom affiché").fill("Paul Morel")
    trainer.get_by_label("Entreprise d'accueil (facultatif)").fill("Supermarché du Port")
    trainer.get_by_role("button", name="Créer le compte").click()
    code = trainer.locator(".sign-in-card .code").inner_text().strip()
    assert trainer.locator(".sign-in-card").inner_text().count("paul.morel") == 1
    trainer.get_by_role("link", name="Retour au tuteur ou à la tutrice").click()
    trainer.get_by_label("Apprenant", exact=True).select_option(label="Amina Diallo")
    trainer.get_by_role("button", name="Relier cet apprenant").click()
    expect(trainer.locator("main")).to_contain_text("Amina Diallo")

    # The tutor, on a phone: first sign-in with the code, then the password.
    context, page = phone_page(browser)
    sign_in(page, base, "paul.morel", code)
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Le même mot de passe, une deuxième fois").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    page.goto(base + "/")
    expect(page.get_by_role("heading", name="Mes apprenants au travail")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Amina Diallo").click()
    check(page)
    page.locator("summary", has_text="Métier d'essai").click()
    page.get_by_role("link", name="Écouter le client").click()
    expect(page.get_by_role("heading", name="Écouter le client")).to_be_visible()
    check(page)

    # Filling it in: the draft is saved while typing.
    page.get_by_label("Reformule la demande").check()
    page.get_by_label("Seul·e", exact=True).check()
    page.get_by_label("Ce que vous avez vu").fill("Elle reformule la demande du client.")
    status = page.locator(".autosave-status")
    expect(status).to_have_text("Brouillon enregistré.", timeout=15_000)

    # The connection drops: nothing is lost, and the draft is saved when it comes back.
    context.set_offline(True)
    page.get_by_label("Lieu", exact=True).fill("Rayon frais")
    expect(status).to_contain_text("Pas de connexion", timeout=15_000)
    assert page.get_by_label("Lieu", exact=True).input_value() == "Rayon frais"
    context.set_offline(False)
    expect(status).to_have_text("Brouillon enregistré.", timeout=15_000)

    # A reload brings the draft back.
    page.reload()
    expect(page.locator("main")).to_contain_text("Votre brouillon du")
    expect(page.get_by_label("Reformule la demande")).to_be_checked()
    expect(page.get_by_label("Seul·e", exact=True)).to_be_checked()
    expect(page.get_by_label("Lieu", exact=True)).to_have_value("Rayon frais")
    check(page)

    # Sending without a date is refused, with everything still there.
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez la date")
    expect(page.get_by_label("Ce que vous avez vu")).to_have_value(
        "Elle reformule la demande du client."
    )
    check(page)
    today = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()  # the organisation's day
    page.get_by_label("Date", exact=True).fill(today)
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("main")).to_contain_text("Envoyé : Amina Diallo")
    expect(page.locator("main")).to_contain_text("Elle reformule la demande du client.")
    check(page)
    context.close()

    # The learner reads it on her phone and replies; the tutor and the trainer see the reply.
    context, learner = phone_page(browser)
    sign_in(learner, base, "amina", factories.PASSWORD)
    learner.get_by_role("link", name="Ce que mon tuteur a vu").click()
    expect(learner.locator("main")).to_contain_text("Paul Morel")
    expect(learner.locator("main")).to_contain_text("Seul·e")
    check(learner)
    learner.get_by_label("Votre réponse (facultatif)").fill("Merci, je continue.")
    learner.get_by_role("button", name="Envoyer ma réponse").click()
    expect(learner.locator("main")).to_contain_text("Votre réponse est envoyée")
    check(learner)
    context.close()
    trainer.goto(f"{base}/trainer/learners/{learner_id}")
    expect(trainer.locator("main")).to_contain_text("Merci, je continue.")
    expect(trainer.locator("main")).to_contain_text(re.compile("Reformule la demande"))
    assert_accessible(trainer)
    staff.close()
