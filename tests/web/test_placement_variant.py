"""A skill's placement questionnaire in the learner's variant: easy-read when the learner reads
easy-read (chosen by the link, remembered, or set by the trainer), with a switch to the other."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import FIXTURE_CONTENT, fixture_content_with, sign_in

EASY_TITLE = "Écouter : trouver votre niveau, en facile à lire"


@pytest.fixture
def client_on(app_factory, tmp_path):
    standard = (FIXTURE_CONTENT / "softskills/ecoute/placement.fr.md").read_text(encoding="utf-8")
    easy = standard.replace("variant: standard", "variant: easy").replace(
        'title: "Écouter : par où commencer ?"', f'title: "{EASY_TITLE}"'
    )
    assert easy != standard and EASY_TITLE in easy
    holder = fixture_content_with(
        tmp_path / "content", {"softskills/ecoute/placement.fr.easy.md": easy}
    )
    app = app_factory(LEARN_CATALOG_HOLDER=holder)
    db = app.extensions["learn.sessions"]()
    org = factories.organisation(db)
    factories.user(db, org, username="lea")
    factories.user(db, org, username="sami", prefers_easy_read=True)
    db.commit()

    def signed_in(username):
        client = app.test_client()
        sign_in(client, username)
        return client

    yield signed_in
    db.close()


def test_the_easy_read_placement_is_served_to_an_easy_read_reader(client_on):
    lea = client_on("lea")
    standard = lea.get("/skills/ecoute/placement").get_data(as_text=True)
    assert "par où commencer" in standard and EASY_TITLE not in standard
    assert "variant=easy" in standard  # the switch to the easy-read questionnaire
    easy = lea.get("/skills/ecoute/placement?variant=easy").get_data(as_text=True)
    assert EASY_TITLE in easy and "variant=standard" in easy
    remembered = lea.get("/skills/ecoute/placement").get_data(as_text=True)
    assert EASY_TITLE in remembered
    # A learner the trainer set to easy-read gets it without asking.
    assert EASY_TITLE in client_on("sami").get("/skills/ecoute/placement").get_data(as_text=True)


def test_without_an_easy_read_variant_there_is_no_switch(small_app):
    db = small_app.extensions["learn.sessions"]()
    factories.user(db, factories.organisation(db), username="noa", prefers_easy_read=True)
    db.commit()
    client = small_app.test_client()
    sign_in(client, "noa")
    page = client.get("/skills/ecoute/placement").get_data(as_text=True)
    assert "par où commencer" in page and "variant=" not in page
    db.close()
