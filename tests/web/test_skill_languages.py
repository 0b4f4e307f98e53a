"""skills.yaml may give the skills' names, definitions and level descriptors in German and
Italian too: the skill page, the catalogue and the competency grid show the reader's language."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import FIXTURE_CONTENT, fixture_content_with, sign_in

# The English text of the fixture (the end of its line) -> the German and the Italian
WORDS = {
    "en: Soft skills}": ("Soziale Kompetenzen", "Competenze trasversali"),
    "en: Listening}": ("Zuhören", "Ascoltare"),
    'en: "Listening to understand."}': ("Zuhören, um zu verstehen.", "Ascoltare per capire."),
    'en: "Judge one\'s listening."}': ("Das eigene Zuhören prüfen.", "Valutare come si ascolta."),
}


@pytest.fixture
def client_in(app_factory, tmp_path):
    skills = (FIXTURE_CONTENT / "softskills/skills.yaml").read_text(encoding="utf-8")
    for old, (de, it) in WORDS.items():
        assert skills.count(old) == 1, old
        skills = skills.replace(old, f'{old[:-1]}, de: "{de}", it: "{it}"}}')
    holder = fixture_content_with(tmp_path / "content", {"softskills/skills.yaml": skills})
    assert holder.get().skill("ecoute").title.langs == ("fr", "en", "de", "it")
    app = app_factory(LEARN_CATALOG_HOLDER=holder)
    db = app.extensions["learn.sessions"]()
    org = factories.organisation(db)
    for lang in ("de", "it"):
        factories.user(db, org, username=f"learner-{lang}", locale=lang)
    db.commit()
    db.close()

    def signed_in(lang):
        client = app.test_client()
        sign_in(client, f"learner-{lang}")
        return client

    return signed_in


@pytest.mark.parametrize(("lang", "index"), [("de", 0), ("it", 1)])
def test_the_skill_its_levels_the_catalogue_and_the_grid_are_in_the_reader_s_language(
    client_in, lang, index
):
    course, title, definition, level_3 = (words[index] for words in WORDS.values())
    client = client_in(lang)
    skill = client.get("/skills/ecoute").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in skill and definition in skill and level_3 in skill
    catalogue = client.get("/catalog").get_data(as_text=True)
    assert f"<h3>{title}</h3>" in catalogue and course in catalogue
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert f'ecoute">{title}</a>' in dashboard and "Écouter<" not in dashboard
