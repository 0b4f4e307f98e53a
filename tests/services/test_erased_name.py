"""An erased learner's name: stored untranslated (the English message), shown in the reader's
language (the locale in force: a request's, here `using_locale`'s); User.display_name stays the
column in SQL and when written (assignment, INSERT and UPDATE statements, bulk rows)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, update

from learn.i18n import using_locale
from learn.models import Role, User
from learn.models.people import ERASED_NAME, ERASED_PREFIX, shown_name
from learn.services import accounts, privacy
from tests import factories

FRENCH = "Apprenant effacé"  # learn/translations/fr: msgid "Erased learner"


@pytest.fixture
def people(db):
    org = factories.organisation(db)
    admin = factories.user(db, org, Role.ORG_ADMIN, username="nadia.admin", locale="fr")
    trainer = factories.user(db, org, Role.TRAINER, username="karim.trainer")
    amina = factories.user(db, org, username="amina", display_name="Amina Diallo")
    bruno = factories.user(db, org, username="bruno", display_name="Bruno Martin")
    db.commit()
    return {"org": org, "admin": admin, "trainer": trainer, "amina": amina, "bruno": bruno}


def stored_name(db, user_id: int) -> str:
    """The column's value, as the database holds it."""
    return db.scalar(select(User.display_name).where(User.id == user_id))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_stored_name_is_the_untranslated_message_whatever_the_admins_language(
    db, people, language
):
    with using_locale(language):
        privacy.erase(db, people["admin"], people["amina"])
    db.commit()
    db.expire_all()
    assert stored_name(db, people["amina"].id) == ERASED_NAME == "Erased learner"


def test_an_erased_name_is_shown_in_the_readers_language(db, people):
    amina = people["amina"]
    with using_locale("fr"):
        privacy.erase(db, people["admin"], amina)
    db.commit()
    with using_locale("en"):
        assert amina.display_name == "Erased learner"
    with using_locale("fr"):
        assert amina.display_name == FRENCH
    # Outside a request (scripts, the command line without one): the English message, no error.
    assert amina.display_name == "Erased learner"
    # Everyone else's name is theirs, in any language.
    with using_locale("fr"):
        assert people["bruno"].display_name == "Bruno Martin"
    assert people["bruno"].display_name == "Bruno Martin"


def test_shown_name_for_core_rows():
    assert shown_name("bruno", "Bruno Martin") == "Bruno Martin"
    assert shown_name(ERASED_PREFIX + "00ff", ERASED_NAME) == "Erased learner"
    assert shown_name(None, "Someone") == "Someone"
    with using_locale("fr"):
        assert shown_name(ERASED_PREFIX + "00ff", ERASED_NAME) == FRENCH
        # Recognised by the username, not by the stored text (old erasures stored a translation).
        assert shown_name(ERASED_PREFIX + "00ff", "Apprenant effacé") == FRENCH
        assert shown_name("someone", "Erased learner") == "Erased learner"


def test_display_name_is_written_to_the_column_every_way(db, people):
    org_id = people["org"].id
    common = {"organisation_id": org_id, "role": "learner"}
    person = User(username="carla", display_name="Carla", **common)
    db.add(person)
    db.flush()
    person.display_name = "Carla Pereira"
    db.execute(insert(User).values(username="dario", display_name="Dario", **common))
    db.execute(
        insert(User),
        [
            {"username": "emma", "display_name": "Emma", **common},
            {"username": "farid", "display_name": "Farid", **common},
        ],
    )
    db.execute(update(User).where(User.username == "dario").values(display_name="Dario Keïta"))
    farid_id = db.scalar(select(User.id).where(User.username == "farid"))
    db.execute(update(User), [{"id": farid_id, "display_name": "Farid Haddad"}])
    db.commit()
    db.expire_all()
    rows = db.execute(
        select(User.username, User.display_name).where(
            User.username.in_(["carla", "dario", "emma", "farid"])
        )
    ).all()
    assert dict(rows) == {
        "carla": "Carla Pereira",
        "dario": "Dario Keïta",
        "emma": "Emma",
        "farid": "Farid Haddad",
    }
    assert db.scalar(select(User).where(User.username == "emma")).display_name == "Emma"


def test_select_order_and_search_by_display_name_use_the_column(db, people):
    with using_locale("fr"):
        privacy.erase(db, people["admin"], people["amina"])
    db.commit()
    org_id = people["org"].id
    names = db.scalars(
        select(User.display_name)
        .where(User.organisation_id == org_id, User.role == Role.LEARNER)
        .order_by(func.lower(User.display_name))
    ).all()
    assert names == ["Bruno Martin", "Erased learner"]
    assert db.scalar(select(User.username).where(User.display_name == "Bruno Martin")) == "bruno"
    with using_locale("fr"):
        found = accounts.list_learners(db, people["trainer"], "bruno")
        assert [p.username for p in found.learners] == ["bruno"]
        everyone = accounts.list_learners(db, people["trainer"])
        assert [p.display_name for p in everyone.learners] == ["Bruno Martin", FRENCH]
