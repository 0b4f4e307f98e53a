"""The job standards (référentiels) are read in the trainer's workspace: the list, one standard
with its activities, competences, criteria (safety marked in words and by an icon), scale, linked
soft skills and modules, and its sources; learners and strangers are refused."""

from __future__ import annotations

import re

import pytest

from tests import trainer_factories as tf
from tests.conftest import fixture_content_with, sign_in

EN = {"Accept-Language": "en"}


@pytest.fixture
def env(app_factory):
    app = app_factory()  # the shipped content
    db = app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "g", learners=1)
    db.commit()
    client = app.test_client()
    sign_in(client, world["trainer"].username)
    yield app, world, client
    db.close()


def test_the_list_links_every_standard_and_the_nav_links_the_list(env, real_catalog):
    _app, _world, client = env
    page = client.get("/trainer/referentiels").get_data(as_text=True)
    for ref in real_catalog.get().referentiels:
        assert f'href="/trainer/referentiels/{ref.id}"' in page
    assert "Agent·e de propreté et d&#39;hygiène" in page
    home = client.get("/trainer/").get_data(as_text=True)
    assert 'href="/trainer/referentiels"' in home


def test_a_standard_shows_its_tree_scale_links_and_sources(env, real_catalog):
    _app, _world, client = env
    ref = real_catalog.get().referentiel("agent-proprete")
    response = client.get("/trainer/referentiels/agent-proprete")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for activity in ref.activities:
        assert f'id="activity-{activity.id}"' in page
        for competence in activity.competences:
            assert f'id="competence-{competence.id}"' in page
    # each safety criterion carries the word and the icon (one more tag: the legend)
    assert page.count('<span aria-hidden="true">⚠</span> Sécurité') == ref.safety_count + 1
    safety_items = re.findall(r'<li class="criterion-safety">(.*?)</li>', page, re.S)
    assert len(safety_items) == ref.safety_count
    assert all("Sécurité" in item for item in safety_items)
    for step in ("Pas encore", "Avec de l&#39;aide", "Seul·e", "Sait expliquer ou transmettre"):
        assert step in page
    assert 'href="/modules/agent-proprete-securite"' in page
    assert 'href="/modules/agent-proprete-mots"' in page
    assert 'href="/trainer/guides/securite"' in page  # a soft skill links to its guide
    assert 'href="https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000047683351"' in page
    assert "(FT 157)" in page
    counts = f"{len(ref.activities)} activités,"
    assert counts in page and f"{ref.safety_count} critères de sécurité" in page


def test_in_english_the_french_texts_say_their_language(env):
    _app, _world, client = env
    page = client.get("/trainer/referentiels/agent-proprete", headers=EN).get_data(as_text=True)
    assert "Assessment scale" in page and "Safety" in page
    assert '<h1><span lang="fr">Agent·e de propreté et d&#39;hygiène</span></h1>' in page


def test_an_unknown_standard_is_a_404(env):
    _app, _world, client = env
    assert client.get("/trainer/referentiels/nope").status_code == 404
    assert client.get("/trainer/referentiels/%3Cscript%3E").status_code == 404


def test_learners_and_strangers_cannot_read_the_standards(env):
    app, world, _client = env
    learner = app.test_client()
    sign_in(learner, world["learners"][0].username)
    assert learner.get("/trainer/referentiels").status_code == 403
    assert learner.get("/trainer/referentiels/agent-proprete").status_code == 403
    anonymous = app.test_client().get("/trainer/referentiels/agent-proprete")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]


REFERENTIEL = """\
id: essai
title: {fr: "Essai", en: "Trial"}
summary: {fr: "Un essai.", en: "A trial."}
sector: commerce
sources:
  - {title: "Une source", publisher: "Un éditeur"}
scale:
  - {id: non, label: {fr: "Non", en: "No"}}
  - {id: oui, label: {fr: "Oui", en: "Yes"}}
activities:
""" + "".join(
    f"""\
  - id: a{n}
    title: {{fr: "Activité {n}"}}
    competences:
      - id: c{n}
        title: {{fr: "Compétence {n}"}}
        modules: [ecoute-1, ecoute-9]
        criteria:
          - {{id: k1, text: {{fr: "Critère"}}, safety: true}}
          - {{id: k2, text: {{fr: "Autre"}}}}
"""
    for n in (1, 2, 3, 4)
)


def test_a_standard_with_an_error_is_not_shown(app_factory, tmp_path):
    root = tmp_path / "content"
    fixed = REFERENTIEL.replace("modules: [ecoute-1, ecoute-9]", "modules: [ecoute-1]")
    holder = fixture_content_with(root, {"referentiels/essai.yaml": fixed})
    app = app_factory(LEARN_CATALOG_HOLDER=holder)
    db = app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "g", learners=0)
    db.commit()
    client = app.test_client()
    sign_in(client, world["trainer"].username)
    page = client.get("/trainer/referentiels/essai", headers=EN).get_data(as_text=True)
    assert "<h1>Trial</h1>" in page and "<li>Yes</li>" in page and "Retail" in page
    (root / "referentiels" / "essai.yaml").write_text(REFERENTIEL, "utf-8")  # ecoute-9: no module
    holder.refresh()
    assert holder.get().referentiel("essai") is None
    assert client.get("/trainer/referentiels/essai").status_code == 404
    assert 'href="/trainer/referentiels/essai"' not in client.get("/trainer/referentiels").get_data(
        as_text=True
    )
    db.close()


def test_the_linked_modules_open_and_the_job_course_is_in_the_learners_catalogue(env):
    app, world, client = env
    start = client.get("/modules/agent-proprete-securite")  # the module opens at its first part
    assert start.headers["Location"].endswith("/modules/agent-proprete-securite/read/etiquette")
    assert client.get(start.headers["Location"]).status_code == 200
    learner = app.test_client()
    sign_in(learner, world["learners"][0].username)
    catalogue = learner.get("/catalog").get_data(as_text=True)
    assert "Métier : agent·e de propreté et d&#39;hygiène" in catalogue
    assert 'href="/modules/agent-proprete-securite"' in catalogue
    assert 'href="/modules/agent-proprete-mots"' in catalogue
