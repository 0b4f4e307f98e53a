"""A trainer creates learner accounts with a password or a printable code, and resets them."""

from __future__ import annotations

from sqlalchemy import select

from learn.models import Role, User
from tests import factories
from tests.conftest import post_form, sign_in


def setup_trainer(db):
    org = factories.organisation(db)
    trainer = factories.user(db, org, Role.TRAINER, username="coach")
    db.commit()
    return org, trainer


def test_trainer_creates_a_learner_with_a_code(client, db):
    org, _trainer = setup_trainer(db)
    sign_in(client, "coach")
    response = post_form(
        client,
        "/trainer/learners/new",
        {"display_name": "Moussa K", "username": "moussa.k", "with_code": "y"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "moussa.k" in page
    created = db.scalar(select(User).where(User.username == "moussa.k"))
    assert created.organisation_id == org.id and created.role == Role.LEARNER
    assert created.password_hash is None


def test_bad_learner_form_says_what_is_wrong_and_creates_nothing(client, db):
    setup_trainer(db)
    sign_in(client, "coach")
    response = post_form(
        client,
        "/trainer/learners/new",
        {"display_name": "X", "username": "Bad Name!", "password": "", "with_code": ""},
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "username" in text.lower() or "identifiant" in text.lower()
    assert db.scalar(select(User).where(User.display_name == "X")) is None


def test_duplicate_username_is_refused(client, db):
    org, _ = setup_trainer(db)
    factories.user(db, org, username="taken.name")
    db.commit()
    sign_in(client, "coach")
    response = post_form(
        client,
        "/trainer/learners/new",
        {"display_name": "Other", "username": "taken.name", "with_code": "y"},
    )
    assert response.status_code == 400


def test_new_code_for_another_organisations_learner_is_404(client, db):
    setup_trainer(db)
    other_org = factories.organisation(db)
    outsider = factories.user(db, other_org)
    db.commit()
    sign_in(client, "coach")
    response = post_form(
        client, f"/trainer/learners/{outsider.id}/code", form_page="/trainer/learners"
    )
    assert response.status_code == 404


def test_reset_code_ends_the_learners_sessions(app, db):
    org, _ = setup_trainer(db)
    learner = factories.user(db, org, username="reset.me")
    db.commit()
    learner_client, trainer_client = app.test_client(), app.test_client()
    sign_in(learner_client, "reset.me")
    assert learner_client.get("/dashboard").status_code == 200
    sign_in(trainer_client, "coach")
    response = post_form(
        trainer_client, f"/trainer/learners/{learner.id}/code", form_page="/trainer/learners"
    )
    assert response.status_code == 200
    page = learner_client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "reset.me" not in page and ("Sign in" in page or "Se connecter" in page)


def test_learner_list_is_searched_and_paged_within_the_organisation(app, client, db):
    from tests.trainer_factories import count_queries

    org, _trainer = setup_trainer(db)
    other = factories.organisation(db)
    factories.user(db, other, Role.LEARNER, username="outsider.x", display_name="Zoé Outsider")
    for n in range(120):
        factories.user(db, org, Role.LEARNER, username=f"l{n:03d}", display_name=f"Learner {n:03d}")
    factories.user(db, org, Role.LEARNER, username="amina.d", display_name="Amina 100%_sure")
    factories.user(db, org, Role.LEARNER, username="elodie.m", display_name="Élodie Mañé")
    db.commit()
    sign_in(client, "coach")
    first = client.get("/trainer/learners", headers={"Accept-Language": "en"})
    text = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "122 learners" in text and text.count("/trainer/learners/") >= 50
    # By name: Amina first, then Learner 000 to 048 on the first page (Élodie sorts last).
    assert "Learner 048" in text and "Learner 049" not in text and "Outsider" not in text
    third = client.get("/trainer/learners?page=3").get_data(as_text=True)
    assert "Learner 119" in third and "Learner 000" not in third
    assert client.get("/trainer/learners?page=99").status_code == 200  # the last page
    assert client.get("/trainer/learners?page=abc").status_code == 200  # the first page
    found = client.get("/trainer/learners?q=AMINA", headers={"Accept-Language": "en"})
    assert "Amina 100%_sure" in found.get_data(as_text=True)
    assert "Learner 001" not in found.get_data(as_text=True)
    # % and _ are searched as themselves, not as wildcards.
    assert "Learner 0" not in client.get("/trainer/learners?q=%25_").get_data(as_text=True)
    assert "Amina" in client.get("/trainer/learners?q=0%25_s").get_data(as_text=True)
    # Case is folded beyond ASCII, on SQLite as on PostgreSQL.
    assert "Élodie Mañé" in client.get("/trainer/learners?q=élodie MAÑÉ").get_data(as_text=True)
    nobody = client.get("/trainer/learners?q=outsider", headers={"Accept-Language": "en"})
    assert "No learner matches" in nobody.get_data(as_text=True)
    with count_queries(app.extensions["learn.engine"]) as statements:
        client.get("/trainer/learners?page=2")
    # user, count, page (and the transaction's own statements): not one per learner.
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 3


def test_a_username_used_in_another_organisation_is_refused_without_saying_where(client, db):
    """Sign-in is by username alone, so a username is unique on the platform; the refusal is
    the same words as for a reserved name, and names no organisation or person."""
    elsewhere = factories.organisation(db, name="Association Tremplin")
    factories.user(db, elsewhere, username="amina.d", display_name="Amina Diallo")
    setup_trainer(db)
    sign_in(client, "coach")

    def refusal(username: str) -> str:
        response = post_form(
            client,
            "/trainer/learners/new",
            {"display_name": "Amina", "username": username, "with_code": "y"},
        )
        assert response.status_code == 400
        text = response.get_data(as_text=True)
        start = text.index('class="error-summary"')
        return text[start : text.index("</div>", start)]

    used_elsewhere, reserved = refusal("amina.d"), refusal("admin")
    assert used_elsewhere.replace("amina.d", "admin") == reserved
    for telltale in ("Tremplin", "Diallo", "taken", "pris", "organisation"):
        assert telltale not in used_elsewhere
