"""Sign-in, sign-out, codes, rate limits, redirects and sessions."""

from __future__ import annotations

import pytest

from learn.auth.views import safe_next
from learn.models import Role, SignInCode, User
from learn.services import accounts
from tests import factories
from tests.conftest import csrf_token, post_form, sign_in


@pytest.fixture
def learner(db):
    org = factories.organisation(db)
    person = factories.user(db, org, Role.LEARNER, username="amina")
    db.commit()
    return person


def test_sign_in_success_lands_home(client, learner):
    response = sign_in(client, "amina")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200
    assert "Person" in home.get_data(as_text=True)  # the dashboard greets the learner by name


def test_unknown_user_and_wrong_password_get_the_same_answer(client, learner):
    wrong = sign_in(client, "amina", "not-the-password")
    unknown = sign_in(client, "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 400

    def message(resp):
        text = resp.get_data(as_text=True)
        start = text.index('<ul class="errors"')
        return text[start : text.index("</ul>", start)]

    assert message(wrong) == message(unknown)


def test_username_is_case_insensitive(client, learner):
    assert sign_in(client, "  AMINA ").status_code == 302


def test_sign_out_is_a_post_and_ends_the_session(client, learner):
    sign_in(client, "amina")
    assert client.get("/sign-out").status_code == 405
    response = post_form(client, "/sign-out", form_page="/dashboard")
    assert response.status_code == 302
    assert client.get("/trainer/learners").status_code == 302
    assert "/sign-in" in client.get("/trainer/learners").headers.get("Location", "")


def test_post_without_csrf_token_is_refused(client, learner):
    response = client.post("/sign-in", data={"username": "amina", "password": "x"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True) or "expiré" in response.get_data(
        as_text=True
    )


def test_rate_limit_per_account_gives_a_429_page(app_factory, db):
    app = app_factory(LEARN_LOGIN_LIMIT_ACCOUNT="3 per minute")
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, username="target")
    session.commit()
    client = app.test_client()
    for _ in range(3):
        assert sign_in(client, "target", "wrong-password").status_code == 400
    blocked = sign_in(client, "target", "wrong-password")
    assert blocked.status_code == 429
    assert "<h1>" in blocked.get_data(as_text=True)
    # From a browser that never signed in to the account, even the right password waits.
    assert sign_in(client, "target").status_code == 429


def owner_signed_in_once(app):
    """The account `target`, and the client of its owner, who has signed in with it once."""
    session = app.extensions["learn.sessions"]()
    factories.user(session, factories.organisation(session), username="target")
    session.commit()
    session.close()
    owner = app.test_client()
    assert sign_in(owner, "target").status_code == 302
    return owner


def test_the_account_limit_does_not_lock_the_owner_out(app_factory):
    """OWASP's device cookies: a browser that signed in before keeps its own budget."""
    app = app_factory(LEARN_LOGIN_LIMIT_ACCOUNT="3 per minute")
    owner = owner_signed_in_once(app)
    assert owner.get_cookie("parcours_device").http_only
    post_form(owner, "/sign-out", form_page="/dashboard")
    attacker = app.test_client()
    # The owner's first sign-in on this phone counted against the account's shared budget.
    for _ in range(2):
        assert sign_in(attacker, "target", "guess").status_code == 400
    assert sign_in(attacker, "target").status_code == 429
    # A device cookie made up by the attacker is no way round the limit.
    attacker.set_cookie("parcours_device", "forged." + owner.get_cookie("parcours_device").value)
    assert sign_in(attacker, "target").status_code == 429
    # The owner's phone signs in, and has a limit of its own against guessing.
    assert sign_in(owner, "target").status_code == 302
    post_form(owner, "/sign-out", form_page="/dashboard")
    for _ in range(2):
        assert sign_in(owner, "target", "typo").status_code == 400
    assert sign_in(owner, "target", "typo").status_code == 429


def test_rate_limit_per_address(app_factory):
    app = app_factory(LEARN_LOGIN_LIMIT_ADDRESS="4 per minute")
    client = app.test_client()
    codes = [sign_in(client, f"user-{i}", "wrong-password").status_code for i in range(5)]
    assert codes[:4] == [400] * 4
    assert codes[4] == 429


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/trainer/learners", "/trainer/learners"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("/ok?x=1", "/ok?x=1"),
        ("", None),
        ("/\t/evil.example", None),
    ],
)
def test_next_only_goes_to_this_site(target, expected):
    assert safe_next(target) == expected


def test_open_redirect_refused_on_sign_in(client, learner):
    token = csrf_token(client, "/sign-in?next=https://evil.example/")
    response = client.post(
        "/sign-in",
        data={
            "username": "amina",
            "password": factories.PASSWORD,
            "next": "https://evil.example/",
            "csrf_token": token,
        },
    )
    assert response.headers["Location"] == "/"


def test_session_ends_when_token_rotates(app, client, learner):
    sign_in(client, "amina")
    assert client.get("/dashboard").status_code == 200
    session = app.extensions["learn.sessions"]()
    user = session.get(User, learner.id)
    accounts.end_all_sessions(session, user)
    session.commit()
    # The old cookie no longer signs anyone in.
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Sign in" in page or "Se connecter" in page


def test_one_time_code_works_once_then_asks_for_a_password(app, client, db):
    org = factories.organisation(db)
    created = factories.carded_learner(db, org, "jean.m", "Jean")
    db.commit()
    assert created.code and len(created.code) == 9
    stored = db.query(SignInCode).one()
    assert created.code not in stored.code_hash  # only a hash is kept
    typed = created.code.lower().replace("-", " ")
    response = sign_in(client, "jean.m", typed)
    assert response.headers["Location"] == "/choose-password"
    response = post_form(
        client,
        "/choose-password",
        {"password": "mon velo est bleu", "confirm": "mon velo est bleu"},
    )
    assert response.status_code == 302
    post_form(client, "/sign-out", form_page="/dashboard")
    assert sign_in(client, "jean.m", created.code).status_code == 400  # used
    assert sign_in(client, "jean.m", "mon velo est bleu").status_code == 302


def test_new_session_after_sign_in(client, learner):
    client.get("/sign-in")
    with client.session_transaction() as before:
        before["planted"] = "by-an-attacker"
    sign_in(client, "amina")
    with client.session_transaction() as after:
        assert "planted" not in after


def test_anonymous_pages_set_no_cookie_and_sign_in_sets_an_expiring_one(client, learner):
    """No cookie for a request that needs no session; a visitor's form token lives in a
    browser-session cookie; a signed-in session expires after the idle time (the cookie carries
    an expiry, renewed on each request)."""
    assert "Set-Cookie" not in client.get("/ping").headers
    assert "Expires=" not in client.get("/").headers["Set-Cookie"]  # the language form's token
    response = sign_in(client, "amina")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if "parcours_session=" in c]
    assert cookie.startswith("parcours_session=")
    assert "Expires=" in cookie
    renewed = client.get("/dashboard").headers.get("Set-Cookie", "")
    assert "Expires=" in renewed


def test_the_address_limit_does_not_lock_out_a_browser_that_signed_in_before(app_factory):
    """A training room (or a phone network) shares one address: someone there who floods
    sign-ins must not lock out every browser that signed in before. Those browsers' attempts on
    their own account count against the device's budget only, never for another account."""
    app = app_factory(LEARN_LOGIN_LIMIT_ADDRESS="4 per minute")
    owner = owner_signed_in_once(app)
    post_form(owner, "/sign-out", form_page="/dashboard")
    flooder = app.test_client()  # the same address (127.0.0.1)
    codes = [sign_in(flooder, f"user-{i}", "guess").status_code for i in range(4)]
    assert codes[-1] == 429
    assert sign_in(owner, "target").status_code == 302
    post_form(owner, "/sign-out", form_page="/dashboard")
    # The device cookie is no way round the address limit for other accounts.
    assert sign_in(owner, "someone.else", "guess").status_code == 429
