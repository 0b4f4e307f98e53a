"""A machine translation is never served to learners: they get the other variant in their
language if it is reviewed, else French. Staff may open it, marked as a preview."""

from __future__ import annotations

import hashlib

import pytest

from learn.models import Role
from tests import factories
from tests.conftest import FIXTURE_CONTENT, fixture_content_with, sign_in

FOLDER = "softskills/ecoute"
DE_TITLE = "Zuhören: Stufe 1"
DE_EASY_TITLE = "Zuhören: Stufe 1, in Leichter Sprache"
NOTICE = {"de": "Maschinelle Übersetzung, nicht geprüft – Vorschau nur für das Team"}


def translated(rel: str, title: str, status: str) -> str:
    """The French fixture file `rel` as a German translation with this status."""
    source = (FIXTURE_CONTENT / FOLDER / rel).read_bytes()
    version = hashlib.sha256(source).hexdigest()[:12]
    text = source.decode("utf-8")
    return text.replace('title: "Écouter : niveau 1"', f'title: "{title}"').replace(
        "lang: fr\n",
        f"lang: de\ntranslation: {{status: {status}, from: fr, source_version: {version}}}\n",
    )


def make_app(app_factory, tmp_path, standard: str, easy: str):
    holder = fixture_content_with(
        tmp_path / "content",
        {
            f"{FOLDER}/level-1.de.md": translated("level-1.fr.md", DE_TITLE, standard),
            f"{FOLDER}/level-1.de.easy.md": translated("level-1.fr.easy.md", DE_EASY_TITLE, easy),
        },
    )
    app = app_factory(LEARN_CATALOG_HOLDER=holder)
    db = app.extensions["learn.sessions"]()
    org = factories.organisation(db)
    factories.user(db, org, username="lena", locale="de")
    factories.user(db, org, Role.TRAINER, username="tom", locale="de")
    db.commit()
    db.close()

    def signed_in(username):
        client = app.test_client()
        sign_in(client, username)
        return client

    return signed_in


@pytest.fixture
def machine_only(app_factory, tmp_path):
    """Both German variants of ecoute-1 are machine translations."""
    return make_app(app_factory, tmp_path, "machine", "machine")


def test_a_learner_is_never_served_a_machine_translation(machine_only):
    lena = machine_only("lena")
    page = lena.get("/modules/ecoute-1/read/travail")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Écouter : niveau 1" in html and DE_TITLE not in html  # French, marked lang="fr"
    assert 'lang="fr"' in html and NOTICE["de"] not in html
    easy = lena.get("/modules/ecoute-1/read/travail?variant=easy").get_data(as_text=True)
    assert DE_EASY_TITLE not in easy and NOTICE["de"] not in easy
    catalogue = lena.get("/skills/ecoute").get_data(as_text=True)
    assert DE_TITLE not in catalogue  # nor its title in a list


def test_staff_preview_the_machine_translation_with_a_notice(machine_only):
    tom = machine_only("tom")
    page = tom.get("/modules/ecoute-1/read/travail")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert DE_TITLE in html
    assert f'<p class="machine-translation" role="note">{NOTICE["de"]}</p>' in html
    easy = tom.get("/modules/ecoute-1/read/travail?variant=easy").get_data(as_text=True)
    assert DE_EASY_TITLE in easy and NOTICE["de"] in easy
    assert NOTICE["de"] in tom.get("/modules/ecoute-1/end").get_data(as_text=True)


@pytest.fixture
def easy_reviewed(app_factory, tmp_path):
    """The German standard variant is a machine translation, the easy-read one is reviewed."""
    return make_app(app_factory, tmp_path, "machine", "reviewed")


def test_a_learner_gets_the_reviewed_variant_in_their_language_first(easy_reviewed):
    lena = easy_reviewed("lena")
    html = lena.get("/modules/ecoute-1/read/travail?variant=standard").get_data(as_text=True)
    assert DE_EASY_TITLE in html and NOTICE["de"] not in html
    # No switch to a "standard version" that would only give the same page again.
    assert "variant-switch" not in html
    tom = easy_reviewed("tom")
    preview = tom.get("/modules/ecoute-1/read/travail?variant=standard").get_data(as_text=True)
    assert DE_TITLE in preview and NOTICE["de"] in preview
