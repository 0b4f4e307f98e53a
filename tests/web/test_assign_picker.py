"""The assignment picker: course → skill → level → module, searchable without JavaScript, level
numbers in the titles, French alphabetical order, and no whole course assigned by a slip."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from learn.models import Assignment
from learn.services.assigning import collation_key, target_tree
from tests import trainer_factories as tf
from tests.conftest import csrf_token, sign_in


@pytest.fixture
def picker(small_app):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "pk", learners=2)
    db.commit()
    client = small_app.test_client()
    sign_in(client, world["trainer"].username)
    yield small_app, db, world, client, f"/trainer/groups/{world['group'].id}/assign"
    db.close()


def assignments(db):
    db.rollback()
    return db.scalar(select(func.count()).select_from(Assignment))


def test_french_order_puts_accented_letters_beside_their_letter():
    words = ["Zèbre", "Écouter", "Entreprendre", "écrire", "Adapter", "Ecouter"]
    assert sorted(words, key=collation_key) == [
        "Adapter",
        "Ecouter",
        "Écouter",
        "écrire",
        "Entreprendre",
        "Zèbre",
    ]


def test_the_picker_is_a_tree_with_level_numbers_and_nothing_chosen(picker):
    _app, _db, _world, client, url = picker
    page = client.get(url).get_data(as_text=True)
    targets = re.findall(r'<input[^>]*name="target"[^>]*>', page)
    assert len(targets) > 5 and not any("checked" in t for t in targets)  # nothing pre-selected
    names = re.findall(r'name="target" value="([^"]+)"', page)
    assert names.index("course:softskills") < names.index("skill:ecoute")
    assert names.index("skill:ecoute") < names.index("level:ecoute:1")
    assert names.index("level:ecoute:1") < names.index("module:ecoute-1")
    assert "Niveau 2 — Écouter" in page
    assert "Niveau 1 — Écouter : niveau 1" in page  # the module's title, its level first
    # Courses in French order: « Compétences… » before « Entreprendre… ».
    assert names.index("course:softskills") < names.index("course:entrepreneurship")


def test_search_filters_on_the_server_accents_and_case_aside(picker):
    _app, _db, _world, client, url = picker
    page = client.get(url + "?q=ECOUTER niveau 2").get_data(as_text=True)
    names = re.findall(r'name="target" value="([^"]+)"', page)
    assert "module:ecoute-2" in names and "level:ecoute:2" in names
    assert "module:ecoute-1" not in names and "module:es-social" not in names
    nothing = client.get(url + "?q=zzz").get_data(as_text=True)
    assert "Rien ne correspond à « zzz »." in nothing


def test_nothing_chosen_is_refused_and_a_whole_course_needs_a_confirmation(picker):
    _app, db, world, client, url = picker
    token = csrf_token(client, url)
    empty = client.post(url, data={"csrf_token": token, "audience": "group"})
    assert empty.status_code == 400 and "Choisissez ce qu'il faut assigner" in empty.get_data(
        as_text=True
    )
    whole = client.post(
        url, data={"csrf_token": token, "audience": "group", "target": "course:softskills"}
    )
    page = whole.get_data(as_text=True)
    assert whole.status_code == 400 and assignments(db) == 0
    assert 'value="course:softskills" checked' in page and 'name="confirm_course"' in page
    confirmed = client.post(
        url,
        data={
            "csrf_token": token,
            "audience": "group",
            "target": "course:softskills",
            "confirm_course": "y",
        },
    )
    assert confirmed.status_code == 302 and assignments(db) == 1
    unknown = client.post(url, data={"csrf_token": token, "target": "course:nope"})
    assert unknown.status_code == 400 and assignments(db) == 1


def test_the_tree_of_the_real_catalog_sorts_skills_in_french_order(real_catalog):
    tree = target_tree(real_catalog.get(), "fr")
    softskills = next(n for n in tree if n.value == "course:softskills")
    labels = [n.label for n in softskills.children]
    assert labels == sorted(labels, key=collation_key)
    assert any(label.startswith("É") for label in labels)
    accented = max(i for i, label in enumerate(labels) if label.startswith("É"))
    after_e = min(
        i for i, label in enumerate(labels) if label[0].upper() in "FGHIJKLMNOPQRSTUVWXYZ"
    )
    assert accented < after_e  # « Écouter » among the E, not after « Travail… »
