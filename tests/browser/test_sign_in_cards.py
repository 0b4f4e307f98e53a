"""Sign-in cards in headless Chromium: a trainer reprints a whole group's cards from the group
page (after a confirmation page), and on a 320 px phone as on an A4 sheet the username and the
one-time code each stay on one line inside their card (a line break inside them reads as a
space). axe-core runs on the pages visited."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from learn.models import Role, User
from tests import factories
from tests.browser_support import assert_accessible

pytestmark = pytest.mark.browser

USERNAMES = {
    "amina.diallo": "Amina Diallo",
    "jean-baptiste.moreau": "Jean-Baptiste Moreau",  # 20 characters: a smaller size
    "marie-claire.nguyen-van": "Marie-Claire Nguyen-Van",  # 23
    "anne-sophie.de-la-fontaine": "Anne-Sophie de La Fontaine",  # 26: the smallest size
}

# For each big value of each card: how many lines its text takes, its box's height against the
# height of one line of it, and whether it overflows its card.
MEASURE = """() => [...document.querySelectorAll('.sign-in-card .big')].map((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  const card = el.closest('.sign-in-card').getBoundingClientRect();
  const box = el.getBoundingClientRect();
  const probe = document.createElement('span');
  probe.textContent = 'X';
  el.appendChild(probe);
  const oneLine = el.getBoundingClientRect().height;
  probe.remove();
  return {
    text: el.textContent.trim(),
    lines: tops.size,
    height: box.height,
    oneLine: oneLine,
    inside: box.left >= card.left - 0.5 && box.left + el.scrollWidth <= card.right + 0.5,
  };
})"""


@pytest.fixture
def app(small_app):
    return small_app


@pytest.fixture
def group_id(small_app):
    session = small_app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    trainer = factories.user(
        session, org, Role.TRAINER, username="coach", display_name="Karim Coach"
    )
    learners = [
        factories.user(session, org, username=username, display_name=name)
        for username, name in USERNAMES.items()
    ]
    group = factories.group(session, org, name="Cuisine mars", members=[trainer, *learners])
    session.commit()
    group_id = group.id
    session.close()
    return group_id


def test_a_groups_cards_are_reprinted_and_never_break_a_username_or_a_code(
    browser, live_server, group_id
):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Identifiant").fill("coach")
    page.get_by_label("Mot de passe ou code de connexion").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()

    page.goto(f"{live_server}/trainer/groups/{group_id}")
    page.get_by_role("link", name="Réimprimer les cartes de connexion du groupe").click()
    expect(page.locator("main")).to_contain_text("déconnectés sur tous leurs appareils")
    assert_accessible(page)
    page.get_by_role("button", name="Faire 4 nouvelles cartes").click()
    expect(page.locator("li.sign-in-card")).to_have_count(4)
    expect(page.locator("li.sign-in-card").first).to_contain_text(live_server)
    assert_accessible(page)

    widths = {"phone, 320 px": (320, "screen"), "A4 sheet, printed": (703, "print")}
    for label, (width, media) in widths.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(media=media)
        values = page.evaluate(MEASURE)
        assert len(values) == 8, label
        texts = {v["text"] for v in values}
        assert set(USERNAMES) <= texts, label
        for value in values:
            assert value["lines"] == 1, (label, value)
            assert value["height"] <= value["oneLine"] + 1, (label, value)
            assert value["inside"], (label, value)
        if media == "screen":
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (label, overflow)
    context.close()


def test_a_new_learners_username_is_proposed_while_typing_and_stays_editable(
    browser, live_server, group_id, tmp_path, app
):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Identifiant").fill("coach")
    page.get_by_label("Mot de passe ou code de connexion").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()

    page.goto(live_server + "/trainer/learners/new")
    username = page.get_by_label("Identifiant", exact=True)
    page.get_by_label("Nom affiché").press_sequentially("Amina Diallo")
    expect(username).to_have_value("amina.diallo2")  # amina.diallo is taken
    assert_accessible(page)
    username.fill("amina.d")
    page.get_by_label("Nom affiché").press_sequentially(" K")
    page.wait_for_load_state("networkidle")  # the trainer's value stays theirs
    expect(username).to_have_value("amina.d")
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.locator(".sign-in-card")).to_contain_text("amina.d")

    # The import's preview with two rows of the same name, and its confirmation refused.
    csv_file = tmp_path / "groupe.csv"
    csv_file.write_bytes("nom\nJean Martin\nJEAN MARTIN\n".encode("cp1252"))
    page.goto(live_server + "/trainer/import")
    page.get_by_label("Fichier CSV").set_input_files(str(csv_file))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.locator("main")).to_contain_text("même nom que la ligne 2")
    assert_accessible(page)
    page.get_by_role("button", name="Créer ces 2 apprenants").click()
    expect(page.locator("#same-names-error")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Ce sont des personnes différentes").check()
    page.get_by_role("button", name="Créer ces 2 apprenants").click()
    expect(page.locator("li.sign-in-card")).to_have_count(2)

    # The observation form with the observer's name and role (suggestions in a datalist).
    session = app.extensions["learn.sessions"]()
    amina = session.scalar(select(User.id).where(User.username == "amina.diallo"))
    session.close()
    page.goto(f"{live_server}/trainer/learners/{amina}/observations/new?skill=ecoute&level=2")
    expect(page.get_by_label("Rôle de la personne qui a observé")).to_be_visible()
    assert_accessible(page)
    context.close()
