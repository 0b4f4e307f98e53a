"""Changing a password asks for the current one, except right after a one-time code, whose
first-sign-in flow spends the code only when the new password is saved."""

from __future__ import annotations

from sqlalchemy import select

from learn.models import Role, SignInCode, User
from learn.services.passwords import verify_secret
from tests import factories
from tests.conftest import post_form, sign_in

NEW = "une longue phrase facile"


def make_people(db):
    org = factories.organisation(db)
    learner = factories.user(db, org, Role.LEARNER, username="amina")
    trainer = factories.user(db, org, Role.TRAINER, username="coach")
    db.commit()
    return learner, trainer


def password_of(db, user) -> str:
    db.rollback()  # a fresh snapshot: the app committed in its own session
    db.expire_all()
    return db.get(User, user.id).password_hash


def test_changing_a_password_asks_for_the_current_one(client, db):
    learner, _trainer = make_people(db)
    sign_in(client, "amina")
    page = client.get("/choose-password").get_data(as_text=True)
    assert 'name="current"' in page and 'autocomplete="current-password"' in page
    before = password_of(db, learner)
    missing = post_form(client, "/choose-password", {"password": NEW, "confirm": NEW})
    wrong = post_form(
        client, "/choose-password", {"current": "not-my-password", "password": NEW, "confirm": NEW}
    )
    assert missing.status_code == wrong.status_code == 400
    assert "pas votre mot de passe actuel" in wrong.get_data(as_text=True)
    assert password_of(db, learner) == before
    right = post_form(
        client,
        "/choose-password",
        {"current": factories.PASSWORD, "password": NEW, "confirm": NEW},
    )
    assert right.status_code == 302, right.get_data(as_text=True)
    assert right.headers["Location"] == "/", right.headers["Location"]
    assert verify_secret(password_of(db, learner), NEW)


def test_guessing_the_current_password_is_rate_limited(app_factory, db):
    app = app_factory(LEARN_LOGIN_LIMIT_ACCOUNT="3 per minute")
    make_people(db)
    client = app.test_client()
    sign_in(client, "coach")
    guess = {"current": "guess", "password": NEW + " ok", "confirm": NEW + " ok"}
    codes = [post_form(client, "/choose-password", guess).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_a_code_is_spent_only_when_the_password_is_saved(app, client, db):
    org = factories.organisation(db)
    created = factories.carded_learner(db, org, "jean.m", "Jean")
    db.commit()
    # First sign-in with the code, then signing out before choosing a password...
    assert sign_in(client, "jean.m", created.code).headers["Location"] == "/choose-password"
    post_form(client, "/sign-out", form_page="/choose-password")
    # ...leaves a working code: the learner is not locked out.
    assert sign_in(client, "jean.m", created.code).headers["Location"] == "/choose-password"
    page = client.get("/choose-password").get_data(as_text=True)
    assert 'name="current"' not in page  # the code was the proof
    db.rollback()  # a fresh snapshot: the app committed in its own session
    db.expire_all()
    assert db.scalar(select(SignInCode.used_at)) is None
    saved = post_form(client, "/choose-password", {"password": NEW, "confirm": NEW})
    assert saved.status_code == 302
    db.rollback()  # a fresh snapshot: the app committed in its own session
    db.expire_all()
    assert db.scalar(select(SignInCode.used_at)) is not None
    # The code is spent, and the page now asks for the current password.
    assert 'name="current"' in client.get("/choose-password").get_data(as_text=True)
    post_form(client, "/sign-out", form_page="/dashboard")
    assert sign_in(client, "jean.m", created.code).status_code == 400
    assert sign_in(client, "jean.m", NEW).status_code == 302


def test_a_refused_password_leaves_the_code_unspent(app, client, db):
    org = factories.organisation(db)
    created = factories.carded_learner(db, org, "lina", "Lina")
    db.commit()
    sign_in(client, "lina", created.code)
    refused = post_form(client, "/choose-password", {"password": "short", "confirm": "short"})
    assert refused.status_code == 400
    db.rollback()  # a fresh snapshot: the app committed in its own session
    db.expire_all()
    assert db.scalar(select(SignInCode.used_at)) is None


def test_the_header_links_to_the_password_page_for_learners_and_staff(app, db):
    make_people(db)
    for username, page in (("amina", "/dashboard"), ("coach", "/trainer/")):
        client = app.test_client()
        sign_in(client, username)
        html = client.get(page, follow_redirects=True).get_data(as_text=True)
        header = html[html.index('<header class="site-header">') : html.index("</header>")]
        assert 'href="/choose-password"' in header
        assert client.get("/choose-password").status_code == 200
