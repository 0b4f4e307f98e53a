"""The trainer's workspace in headless Chromium: a trainer imports a group from a CSV file, assigns
a level, a learner signs in with the printed code and masters it, the trainer sees it in the
group's matrix and records an observation at work. axe-core runs on every page visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from learn.models import Role
from tests import factories
from tests.browser_support import assert_accessible

pytestmark = pytest.mark.browser

CSV = "Prénom;Nom;Groupe\r\nAmina;Diallo;Cuisine mars\r\nJean;Martin;Cuisine mars\r\n"


@pytest.fixture
def app(small_app):
    return small_app


@pytest.fixture
def trainer(small_app):
    session = small_app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, Role.TRAINER, username="coach", display_name="Karim Coach")
    session.commit()
    session.close()


def sign_in(page, base, username, secret):
    page.goto(base + "/sign-in")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe ou code de connexion").fill(secret)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def test_import_assign_learn_report_observe(browser, live_server, trainer, tmp_path):
    base = live_server
    staff = browser.new_context(locale="fr-FR")
    page = staff.new_page()
    sign_in(page, base, "coach", factories.PASSWORD)
    page.goto(base + "/trainer/")
    assert_accessible(page)

    # Import: preview, confirm, printable cards.
    csv_file = tmp_path / "groupe.csv"
    csv_file.write_bytes(CSV.encode("cp1252"))
    page.get_by_role("link", name="Importer des apprenants").first.click()
    assert_accessible(page)
    page.get_by_label("Fichier CSV").set_input_files(str(csv_file))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(
        page.get_by_role("heading", name="Vérifiez avant de créer : 2 apprenants")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("amina.diallo")
    assert_accessible(page)
    page.get_by_role("button", name="Créer ces 2 apprenants").click()
    card = page.locator("li.sign-in-card", has_text="amina.diallo")
    expect(card).to_be_visible()
    assert_accessible(page)
    code = card.locator(".code").inner_text().strip()
    assert len(code) == 9

    # Assign level 1 of « Écouter » to the new group.
    page.goto(base + "/trainer/groups")
    assert_accessible(page)
    page.get_by_role("link", name="Cuisine mars").first.click()
    assert_accessible(page)
    group_url = page.url
    page.get_by_role("link", name="Demander", exact=True).click()
    assert_accessible(page)
    # The picker: nothing chosen, a course opens on its skills, a skill on its levels.
    expect(page.locator('input[name="target"]:checked')).to_have_count(0)
    page.locator("summary", has_text="Compétences transversales").click()
    page.locator("summary", has_text="Écouter").click()
    page.get_by_label("Niveau 1 — Écouter", exact=False).first.check()
    assert_accessible(page)
    page.get_by_role("button", name="Demander", exact=True).click()
    page.wait_for_url(group_url)
    expect(page.locator("main")).to_contain_text("Niveau 1 — Écouter")

    # The learner signs in with the printed code, chooses a password and masters the module.
    learner_context = browser.new_context(locale="fr-FR")
    learner = learner_context.new_page()
    sign_in(learner, base, "amina.diallo", code)
    learner.get_by_label("Nouveau mot de passe").fill("une phrase facile")
    learner.get_by_label("Le même mot de passe, une deuxième fois").fill("une phrase facile")
    learner.get_by_role("button", name="Enregistrer mon mot de passe").click()
    learner.wait_for_url(base + "/dashboard")
    expect(learner.locator("main")).to_contain_text("Écouter : niveau 1")
    assert_accessible(learner)
    learner.goto(base + "/modules/ecoute-1/quiz")
    learner.get_by_label("Vous reformulez la consigne.").check()
    learner.get_by_label("Vrai").check()
    learner.get_by_label("Votre réponse").fill("Reformuler")
    learner.get_by_role("button", name="Envoyer mes réponses").click()
    learner.wait_for_url("**/attempts/*")
    expect(learner.locator("main")).to_contain_text("Réussi")
    learner.goto(base + "/dashboard")
    expect(learner.locator("td.state-validated")).to_have_count(1)
    assert_accessible(learner)
    learner_context.close()

    # The trainer sees it in the matrix, then records an observation at work.
    page.goto(group_url)
    page.get_by_role("link", name="Progression du groupe").click()
    assert_accessible(page)
    row = page.locator("#report tbody tr", has_text="Amina Diallo")
    expect(row.locator("td").nth(1)).to_have_text("ouvert")  # the account (open, or the exit date)
    expect(row.locator("td").nth(2)).to_have_text("Réussi")
    row.get_by_role("link", name="Amina Diallo").click()
    assert_accessible(page)
    page.get_by_role("link", name="Noter une observation en situation de travail").click()
    assert_accessible(page)
    page.get_by_label("Compétence", exact=True).select_option(value="ecoute")
    page.get_by_label("Niveau", exact=True).select_option(value="2")
    page.get_by_role("button", name="Voir les comportements de ce niveau").click()
    assert_accessible(page)
    page.get_by_label("Reformule une consigne.").check()
    page.get_by_label("Situation de travail").fill("Réunion du matin en cuisine")
    page.get_by_label("Ce que vous avez vu").fill("A reformulé la consigne du chef.")
    page.get_by_label("Oui : le niveau est validé").check()
    page.get_by_role("button", name="Enregistrer l'observation").click()
    page.wait_for_url("**/trainer/learners/*#competencies")
    expect(page.locator("main")).to_contain_text("L'observation est enregistrée.")
    expect(page.locator("#competencies").locator("xpath=..")).to_contain_text("Karim Coach")
    assert_accessible(page)
    page.get_by_role("link", name="Attestation de compétences").click()
    page.wait_for_url("**/attestation")
    expect(page.locator("main")).to_contain_text("Écouter")
    assert_accessible(page)
    staff.close()


@pytest.fixture
def records(small_app):
    """A group with a learner who has done a bit of everything, for the report pages."""
    from tests import trainer_factories as tf

    session = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(session, "v", learners=2)
    learner = world["learners"][0]
    tf.progress(session, learner, "ecoute-1", "mastered")
    tf.attempt(session, learner)
    tf.workshop(session, learner)
    tf.help_request(session, learner)
    tf.observation(session, learner, world["trainer"], level=2)
    tf.self_assessment(session, learner)
    row = tf.assignment(session, world["org"], group=world["group"], ref="ecoute-2")
    session.commit()
    ids = {
        "group": world["group"].id,
        "learner": learner.id,
        "answer": learner.id,
        "assignment": row.id,
        "trainer": world["trainer"].username,
    }
    session.close()
    return ids


def test_report_pages_are_accessible_and_reflow(browser, live_server, records):
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, live_server, records["trainer"], factories.PASSWORD)
    group, learner = records["group"], records["learner"]
    paths = [
        "/trainer/",
        "/trainer/groups",
        f"/trainer/groups/{group}",
        f"/trainer/groups/{group}/assign",
        f"/trainer/groups/{group}/matrix",
        f"/trainer/groups/{group}/matrix?view=print",
        f"/trainer/assignments/{records['assignment']}/edit",
        "/trainer/needs-help",
        "/trainer/reviews",
        "/trainer/questions?module=ecoute-1",
        "/trainer/import",
        "/trainer/learners",
        "/trainer/learners/new",
        f"/trainer/learners/{learner}",
        f"/trainer/learners/{learner}?view=print",
        "/trainer/needs-help?view=print",
        f"/trainer/learners/{learner}/project",
        f"/trainer/learners/{learner}/observations/new?skill=ecoute&level=3",
        f"/trainer/learners/{learner}/attestation",
        f"/trainer/learners/{learner}/training-record",
    ]
    for path in paths:
        page.goto(live_server + path)
        assert page.title() and "Page introuvable" not in page.title(), path
        assert_accessible(page)
        wide = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not wide, f"horizontal scrolling at 320 px on {path}"
    page.goto(live_server + f"/trainer/learners/{learner}")
    page.get_by_role("link", name="Fiches").count()
    page.locator("a[href*='/trainer/reviews/']").first.click()
    assert_accessible(page)
    context.close()
