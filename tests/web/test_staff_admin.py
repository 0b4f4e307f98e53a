"""An organisation admin manages the staff in the web pages: creates trainers and admins (a
printed one-time code), gives a new code for a lost password, closes and reopens accounts. Never
their own account, never the last open admin; trainers get 403, other organisations' staff 404."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from learn.models import AuditEvent, Role, User
from tests import factories
from tests.conftest import csrf_token, post_form, sign_in

CODE_RE = re.compile(r'class="big code">([^<]+)<')


@pytest.fixture
def world(app):
    """(db, org, admin client, admin, trainer): Claire, admin of an organisation, and Paul."""
    db = app.extensions["learn.sessions"]()
    org = factories.organisation(db)
    admin = factories.user(db, org, Role.ORG_ADMIN, username="claire.admin")
    trainer = factories.user(db, org, Role.TRAINER, username="paul.coach", display_name="Paul")
    db.commit()
    client = app.test_client()
    assert sign_in(client, "claire.admin").status_code == 302
    yield db, org, client, admin, trainer
    db.close()


def audited(db, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def act(client, person, action: str):
    return post_form(client, f"/admin/staff/{person.id}/{action}", form_page="/admin/staff")


def test_the_staff_page_lists_the_organisations_trainers_and_admins(world):
    db, _org, client, _admin, _trainer = world
    factories.user(db, factories.organisation(db), Role.TRAINER, username="elsewhere")
    db.commit()
    page = client.get("/admin/staff").get_data(as_text=True)
    assert "paul.coach" in page and "claire.admin" in page
    assert "elsewhere" not in page
    assert 'href="/admin/staff"' in client.get("/admin/learners").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ORG_ADMIN])
def test_an_admin_creates_a_staff_account_with_a_code_to_print(app, world, role):
    db, org, client, admin, _trainer = world
    response = post_form(
        client,
        "/admin/staff/new",
        {"display_name": "Nadia B", "username": "nadia.b", "role": role, "organisation": org.id},
    )
    assert response.status_code == 200
    code = CODE_RE.search(response.get_data(as_text=True)).group(1)
    created = db.scalar(select(User).where(User.username == "nadia.b"))
    assert (created.role, created.organisation_id, created.password_hash) == (role, org.id, None)
    [event] = audited(db, "staff.create")
    assert (event.actor_id, event.target_user_id, event.details) == (
        admin.id,
        created.id,
        {"role": role},
    )
    # The code signs in once, and asks for a password.
    signed = sign_in(app.test_client(), "nadia.b", code)
    assert signed.status_code == 302 and "/choose-password" in signed.headers["Location"]


@pytest.mark.parametrize(
    "data",
    [
        {"display_name": "X", "username": "paul.coach", "role": "trainer"},  # taken
        {"display_name": "X", "username": "Not Valid", "role": "trainer"},
        {"display_name": "", "username": "new.person", "role": "trainer"},
        {"display_name": "X", "username": "new.person", "role": "platform_admin"},
        {"display_name": "X", "username": "new.person", "role": "learner"},
    ],
)
def test_a_bad_staff_form_says_why_and_creates_nothing(world, data):
    db, org, client, _admin, _trainer = world
    before = db.scalar(select(User.id).order_by(User.id.desc()))
    response = post_form(client, "/admin/staff/new", {**data, "organisation": org.id})
    assert response.status_code == 400
    assert db.scalar(select(User.id).order_by(User.id.desc())) == before
    assert audited(db, "staff.create") == []


def test_an_admin_creates_staff_only_in_their_own_organisation(world):
    db, org, client, _admin, _trainer = world
    other = factories.organisation(db)
    db.commit()
    response = post_form(
        client,
        "/admin/staff/new",
        {"display_name": "X", "username": "sneaky", "role": "trainer", "organisation": other.id},
    )
    assert response.status_code == 200
    created = db.scalar(select(User).where(User.username == "sneaky"))
    assert created.organisation_id == org.id


def test_a_platform_admin_chooses_the_organisation(app, world):
    db, _org, _client, _admin, _trainer = world
    other = factories.organisation(db, name="Autre structure")
    factories.user(db, None, Role.PLATFORM_ADMIN, username="root.platform")
    db.commit()
    platform = app.test_client()
    sign_in(platform, "root.platform")
    assert "Autre structure" in platform.get("/admin/staff/new").get_data(as_text=True)
    response = post_form(
        platform,
        "/admin/staff/new",
        {
            "display_name": "Y",
            "username": "new.admin",
            "role": "org_admin",
            "organisation": other.id,
        },
    )
    assert response.status_code == 200
    created = db.scalar(select(User).where(User.username == "new.admin"))
    assert (created.organisation_id, created.role) == (other.id, Role.ORG_ADMIN)
    missing = post_form(
        platform,
        "/admin/staff/new",
        {"display_name": "Z", "username": "nowhere", "role": "trainer", "organisation": "999999"},
    )
    assert missing.status_code == 404


def test_a_new_code_replaces_the_password_and_signs_out_everywhere(app, world):
    db, _org, client, admin, trainer = world
    trainer_client = app.test_client()
    sign_in(trainer_client, "paul.coach")
    assert trainer_client.get("/trainer/").status_code == 200
    response = act(client, trainer, "code")
    assert response.status_code == 200
    code = CODE_RE.search(response.get_data(as_text=True)).group(1)
    assert trainer_client.get("/trainer/").status_code == 302  # signed out
    assert sign_in(app.test_client(), "paul.coach").status_code == 400  # old password
    assert sign_in(app.test_client(), "paul.coach", code).status_code == 302
    [event] = audited(db, "staff.new_code")
    assert (event.actor_id, event.target_user_id) == (admin.id, trainer.id)


def test_closing_a_trainer_refuses_sign_in_and_reopening_restores_it(app, world):
    db, _org, client, admin, trainer = world
    trainer_client = app.test_client()
    sign_in(trainer_client, "paul.coach")
    assert act(client, trainer, "close").status_code == 302
    db.refresh(trainer)
    assert trainer.active is False and trainer.closed_on is not None
    assert trainer.closure_reason is None
    assert trainer_client.get("/trainer/").status_code == 302
    refused = sign_in(app.test_client(), "paul.coach")
    assert refused.status_code == 400 and "fermé" in refused.get_data(as_text=True)
    assert "fermé le" in client.get("/admin/staff").get_data(as_text=True)

    assert act(client, trainer, "reopen").status_code == 302
    db.rollback()  # end the test's read transaction: see what the request committed
    db.refresh(trainer)
    assert trainer.active is True and trainer.closed_at is None
    assert sign_in(app.test_client(), "paul.coach").status_code == 302
    assert [e.target_user_id for e in audited(db, "staff.close")] == [trainer.id]
    assert [e.target_user_id for e in audited(db, "staff.reopen")] == [trainer.id]
    assert {e.actor_id for e in audited(db, "staff.close") + audited(db, "staff.reopen")} == {
        admin.id
    }


def test_an_admin_cannot_close_their_own_account(world):
    db, _org, client, admin, _trainer = world
    response = act(client, admin, "close")
    assert response.status_code == 302
    db.refresh(admin)
    assert admin.active is True
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vous ne pouvez pas fermer votre propre compte." in page
    assert audited(db, "staff.close") == []


def test_the_last_open_admin_cannot_be_closed(app, world):
    db, _org, _client, admin, _trainer = world
    factories.user(db, None, Role.PLATFORM_ADMIN, username="root.platform")
    db.commit()
    platform = app.test_client()
    assert sign_in(platform, "root.platform").status_code == 302
    act(platform, admin, "close")
    db.refresh(admin)
    assert admin.active is True
    assert audited(db, "staff.close") == []


def test_an_admin_closes_another_admin_when_one_stays_open(world):
    db, org, client, _admin, _trainer = world
    second = factories.user(db, org, Role.ORG_ADMIN, username="second.admin")
    db.commit()
    act(client, second, "close")
    db.refresh(second)
    assert second.active is False


def test_a_trainer_gets_403_on_the_staff_pages(app, world):
    _db, _org, _client, admin, trainer = world
    coach = app.test_client()
    sign_in(coach, "paul.coach")
    for url in ("/admin/staff", "/admin/staff/new", f"/admin/staff/{admin.id}"):
        assert coach.get(url).status_code == 403, url
    token = csrf_token(coach, "/trainer/learners")
    for action in ("code", "close", "reopen"):
        response = coach.post(f"/admin/staff/{admin.id}/{action}", data={"csrf_token": token})
        assert response.status_code == 403, action
    response = coach.post(
        "/admin/staff/new",
        data={"csrf_token": token, "display_name": "X", "username": "x.y.z", "role": "trainer"},
    )
    assert response.status_code == 403


def test_another_organisations_staff_answer_404(world):
    db, _org, client, _admin, _trainer = world
    outsider = factories.user(db, factories.organisation(db), Role.TRAINER, username="outsider")
    db.commit()
    assert client.get(f"/admin/staff/{outsider.id}").status_code == 404
    token = csrf_token(client, "/admin/staff")
    for action in ("code", "close", "reopen"):
        response = client.post(f"/admin/staff/{outsider.id}/{action}", data={"csrf_token": token})
        assert response.status_code == 404, action
    db.refresh(outsider)
    assert outsider.active is True


def test_learners_are_not_staff(world):
    db, org, client, _admin, _trainer = world
    learner = factories.user(db, org, username="a.learner")
    db.commit()
    assert client.get(f"/admin/staff/{learner.id}").status_code == 404
