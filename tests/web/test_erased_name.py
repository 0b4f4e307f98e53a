"""An erased learner is named in the language of whoever reads the page or exports the file, not
in the language of the admin who erased them."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from learn.models import GroupMembership, Role, User
from learn.models.people import ERASED_NAME
from learn.services import privacy
from tests import factories
from tests import trainer_factories as tf
from tests.conftest import post_form, sign_in

ENGLISH = "Erased learner"
FRENCH = "Apprenant effacé"  # learn/translations/fr: msgid "Erased learner"
# The reader's language, what they must see, what they must not.
READERS = [("en", ENGLISH, FRENCH), ("fr", FRENCH, ENGLISH)]


@pytest.fixture
def world(small_app):
    """A learner of a group with progress and a help request, erased by a French-speaking admin
    through the admin's page; an English-speaking and a French-speaking trainer."""
    db = small_app.extensions["learn.sessions"]()
    org = factories.organisation(db, name="Chantier A")
    factories.user(db, org, Role.ORG_ADMIN, username="nadia.admin", locale="fr")
    trainers = {
        "en": factories.user(db, org, Role.TRAINER, username="karim.trainer", locale="en"),
        "fr": factories.user(db, org, Role.TRAINER, username="julie.formatrice", locale="fr"),
    }
    amina = factories.user(db, org, username="amina", display_name="Amina Diallo")
    bruno = factories.user(db, org, username="bruno", display_name="Bruno Martin")
    group = factories.group(db, org, name="Groupe du mardi", members=[amina, bruno])
    tf.progress(db, amina, "ecoute-1", "mastered", best_score=0.9, active_seconds=600)
    tf.help_request(db, amina, "ecoute-1", "Je ne comprends pas")
    db.commit()
    client = small_app.test_client()
    sign_in(client, "nadia.admin")
    done = post_form(client, f"/admin/learners/{amina.id}/erase", {"confirm": "amina"})
    assert done.status_code == 302
    db.expire_all()
    assert privacy.is_erased(db.get(User, amina.id))
    yield {
        "app": small_app,
        "db": db,
        "admin_client": client,
        "trainers": trainers,
        "learner_id": amina.id,
        "group": group,
    }
    db.close()


def trainer_client(world, language: str):
    client = world["app"].test_client()
    assert sign_in(client, world["trainers"][language].username).status_code == 302
    return client


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def csv_cells(response) -> list[str]:
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def test_the_name_stored_is_the_untranslated_message(world):
    db = world["db"]
    stored = db.scalar(select(User.display_name).where(User.id == world["learner_id"]))
    assert stored == ERASED_NAME == ENGLISH  # erased by a French-speaking admin


@pytest.mark.parametrize(("language", "shown", "hidden"), READERS)
def test_a_trainer_sees_the_erased_name_in_their_language(world, language, shown, hidden):
    client = trainer_client(world, language)
    for path in ("/trainer/learners", f"/trainer/learners/{world['learner_id']}"):
        text = page(client, path)
        assert shown in text and hidden not in text, path
        assert "Amina" not in text, path
    assert "Bruno Martin" in page(client, "/trainer/learners?q=bruno")


@pytest.mark.parametrize(("language", "shown", "hidden"), READERS)
def test_reports_and_their_files_name_an_erased_learner_in_the_readers_language(
    world, language, shown, hidden
):
    # Erasure takes the learner out of their groups and closes the account, so today an erased
    # learner is in no matrix and no needs-help list: put them back by hand to check that the
    # reports built from plain rows (not User objects) name them as the pages do.
    db = world["db"]
    erased = db.get(User, world["learner_id"])
    erased.active = True
    db.add(GroupMembership(group_id=world["group"].id, user_id=erased.id))
    db.commit()
    client = trainer_client(world, language)
    matrix = f"/trainer/groups/{world['group'].id}/matrix"
    for path in (matrix, "/trainer/needs-help"):
        text = page(client, path)
        assert shown in text and hidden not in text, path
    for path in (matrix + ".csv", "/trainer/needs-help.csv"):
        cells = csv_cells(client.get(path))
        assert shown in cells and hidden not in cells, path
        assert "Bruno Martin" in cells or path.endswith("needs-help.csv")


@pytest.mark.parametrize(("language", "shown", "hidden"), READERS)
def test_the_audit_log_names_an_erased_learner_in_the_readers_language(
    world, language, shown, hidden
):
    client = world["admin_client"]
    post_form(client, "/language", {"locale": language, "next": "/admin/audit"}, "/admin/audit")
    text = page(client, "/admin/audit")
    assert shown in text and hidden not in text
    assert f'learner_id={world["learner_id"]}"' not in text  # no link to an erased learner
    assert "Amina" not in text and "amina" not in text
