"""Sessions with a server-side identity: one row per signed-in device, ended on the server by
sign-out, "sign out everywhere", a password change, a new code, erasure or a closed account,
and by the idle and absolute limits whatever the cookie says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from learn.models import Role, User, UserSession
from learn.models.people import utcnow
from learn.services import privacy
from tests import factories
from tests.conftest import post_form, sign_in

COOKIE = "parcours_session"


@pytest.fixture
def people(db):
    org = factories.organisation(db)
    learner = factories.user(db, org, Role.LEARNER, username="amina")
    trainer = factories.user(db, org, Role.TRAINER, username="coach")
    admin = factories.user(db, org, Role.ORG_ADMIN, username="boss")
    db.commit()
    return {"org": org, "learner": learner, "trainer": trainer, "admin": admin}


def signed_in(app, username: str):
    client = app.test_client()
    assert sign_in(client, username).status_code == 302
    return client


def copy_of(app, client):
    """Another browser holding a copy of the client's session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def is_signed_in(client) -> bool:
    response = client.get("/choose-password")  # any signed-in role, else to the sign-in page
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    return False


def sessions_of(db, user) -> list[UserSession]:
    db.rollback()  # a fresh snapshot: the app committed in its own session
    db.expire_all()
    return db.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()


def test_each_sign_in_is_a_row_and_the_cookie_holds_no_user_id(app, db, people):
    client = signed_in(app, "amina")
    signed_in(app, "amina")
    rows = sessions_of(db, people["learner"])
    assert len(rows) == 2 and all(row.ended_at is None for row in rows)
    with client.session_transaction() as cookie:
        token = cookie["_user_id"]
    assert str(people["learner"].id) != token.partition(":")[0]
    assert all(token not in row.token_hash for row in rows)  # only its hash is stored


def test_a_copied_cookie_is_dead_after_sign_out(app, db, people):
    client = signed_in(app, "amina")
    thief = copy_of(app, client)
    assert is_signed_in(thief)
    assert post_form(client, "/sign-out", form_page="/dashboard").status_code == 302
    assert not is_signed_in(thief)
    [row] = sessions_of(db, people["learner"])
    assert row.ended_at is not None


def test_signing_out_one_device_leaves_the_others(app, people):
    phone, computer = signed_in(app, "amina"), signed_in(app, "amina")
    post_form(phone, "/sign-out", form_page="/dashboard")
    assert not is_signed_in(phone)
    assert is_signed_in(computer)


def test_the_server_ends_an_idle_session(app_factory, db, people):
    app = app_factory(LEARN_SESSION_IDLE=timedelta(minutes=30))
    client = signed_in(app, "amina")
    thief = copy_of(app, client)
    db.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=29)))
    db.commit()
    assert is_signed_in(client)  # within the limit, and the visit counts as activity
    db.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    db.commit()
    # The cookie has not expired (the browser would still send it), the server says no.
    assert not is_signed_in(thief)
    assert not is_signed_in(client)


def test_absolute_limit_by_role_and_enforced_even_when_active(app, db, people):
    signed_in(app, "amina")
    signed_in(app, "coach")
    admin = signed_in(app, "boss")
    [learner_row] = sessions_of(db, people["learner"])
    [trainer_row] = sessions_of(db, people["trainer"])
    assert learner_row.expires_at - learner_row.created_at == timedelta(days=30)
    assert trainer_row.expires_at - trainer_row.created_at == timedelta(hours=12)
    db.execute(
        update(UserSession)
        .where(UserSession.user_id == people["admin"].id)
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db.commit()
    assert not is_signed_in(admin)


def test_absolute_limits_are_settings(app_factory, db, people):
    app = app_factory(
        LEARN_SESSION_MAX_STAFF=timedelta(hours=2), LEARN_SESSION_MAX_LEARNER=timedelta(days=3)
    )
    signed_in(app, "amina")
    signed_in(app, "coach")
    [learner_row] = sessions_of(db, people["learner"])
    [trainer_row] = sessions_of(db, people["trainer"])
    assert learner_row.expires_at - learner_row.created_at == timedelta(days=3)
    assert trainer_row.expires_at - trainer_row.created_at == timedelta(hours=2)


def test_last_seen_is_written_at_most_once_a_minute(app, db, people):
    client = signed_in(app, "amina")
    [row] = sessions_of(db, people["learner"])
    first = row.last_seen_at
    assert client.get("/dashboard").status_code == 200
    [row] = sessions_of(db, people["learner"])
    assert row.last_seen_at == first  # a page read a moment later writes nothing
    two_minutes_ago = utcnow() - timedelta(minutes=2)
    db.execute(update(UserSession).values(last_seen_at=two_minutes_ago))
    db.commit()
    assert client.get("/dashboard").status_code == 200  # a reading page, in a writing() block
    [row] = sessions_of(db, people["learner"])
    assert row.last_seen_at > two_minutes_ago + timedelta(minutes=1)


def test_own_sign_out_everywhere_ends_every_device(app, db, people):
    phone, computer = signed_in(app, "amina"), signed_in(app, "amina")
    thief = copy_of(app, computer)
    response = post_form(phone, "/sign-out-everywhere", form_page="/choose-password")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert not any(is_signed_in(c) for c in (phone, computer, thief))
    assert all(row.ended_at is not None for row in sessions_of(db, people["learner"]))


def test_trainer_sign_out_everywhere_and_new_code_end_every_session(app, people):
    learner = people["learner"]
    coach = signed_in(app, "coach")
    device = signed_in(app, "amina")
    page = f"/trainer/learners/{learner.id}"
    post_form(coach, f"/trainer/learners/{learner.id}/sign-out", form_page=page)
    assert not is_signed_in(device)
    device = signed_in(app, "amina")
    assert post_form(coach, f"/trainer/learners/{learner.id}/code", form_page=page).status_code
    assert not is_signed_in(device)


def test_password_change_ends_the_other_sessions_and_keeps_this_one(app, people):
    here, elsewhere = signed_in(app, "amina"), signed_in(app, "amina")
    thief = copy_of(app, here)
    response = post_form(
        here,
        "/choose-password",
        {
            "current": factories.PASSWORD,
            "password": "une phrase pour amina",
            "confirm": "une phrase pour amina",
        },
    )
    assert response.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert not is_signed_in(thief)  # the cookie of before the change is dead too


def test_erasure_and_a_closed_account_end_every_session(app, db, people):
    device = signed_in(app, "amina")
    coach = signed_in(app, "coach")
    coach_copy = copy_of(app, coach)
    with app.test_request_context():
        privacy.erase(db, None, db.get(User, people["learner"].id))
    db.commit()
    assert not is_signed_in(device)
    assert sessions_of(db, people["learner"]) == []
    # An account closed (disabled) by any other path: its sessions are refused.
    db.execute(update(User).where(User.id == people["trainer"].id).values(active=False))
    db.commit()
    assert not is_signed_in(coach_copy)


def test_a_cookie_from_before_server_sessions_signs_no_one_in(app, people):
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = f"{people['learner'].id}:some-old-token"
        cookie["_fresh"] = True
    assert not is_signed_in(client)


def test_checking_a_session_is_one_read_by_primary_key(app, people):
    client = signed_in(app, "amina")
    client.get("/dashboard")  # "last seen" is fresh: nothing to write below
    statements = []

    def note(_conn, _cursor, statement, _params, _context, _many):
        statements.append(" ".join(statement.split()))

    engine = app.extensions["learn.engine"]
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get("/dashboard").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    about_sessions = [s for s in statements if "user_session" in s]
    assert len(about_sessions) == 1, [s[-120:] for s in about_sessions]
    # The session and its user (with the organisation) in that one read, by primary key.
    assert "JOIN user_account" in about_sessions[0]
    assert about_sessions[0].split(" WHERE ")[1].startswith("user_session.token_hash = ")
    assert not [s for s in statements if "WHERE user_account.id = " in s]
    assert not any(s.startswith(("UPDATE", "INSERT", "DELETE")) for s in statements)


def test_the_password_page_lists_the_devices_still_signed_in(app, people):
    phone = app.test_client()
    phone.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Linux; Android 14) Firefox/131.0"
    assert sign_in(phone, "amina").status_code == 302
    computer = app.test_client()
    computer.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Windows NT 10.0) Chrome/130.0"
    assert sign_in(computer, "amina").status_code == 302
    gone = signed_in(app, "amina")
    post_form(gone, "/sign-out", form_page="/choose-password")
    page = phone.get("/choose-password").get_data(as_text=True)
    listed = page[page.index("<h2>") : page.index("</ul>", page.index("<h2>"))]
    assert listed.count("<li>") == 2  # the signed-out one is gone
    assert "Firefox / Android" in listed and "Chrome / Windows" in listed
    assert listed.count("cet appareil") == 1
    assert "Mozilla" not in page  # a summary, never the whole header


def test_the_session_limits_are_read_from_the_documented_variables(tmp_path):
    """The README's settings table: LEARN_SESSION_IDLE_MINUTES, LEARN_SESSION_MAX_HOURS_STAFF and
    LEARN_SESSION_MAX_DAYS_LEARNER, with their defaults (120 minutes, 12 hours, 30 days)."""
    from learn.config import build_config

    env = {"LEARN_ENV": "development", "LEARN_INSTANCE_PATH": str(tmp_path)}
    defaults = build_config(env)
    assert defaults["LEARN_SESSION_IDLE"] == timedelta(minutes=120)
    assert defaults["LEARN_SESSION_MAX_STAFF"] == timedelta(hours=12)
    assert defaults["LEARN_SESSION_MAX_LEARNER"] == timedelta(days=30)
    chosen = build_config(
        {
            **env,
            "LEARN_SESSION_IDLE_MINUTES": "45",
            "LEARN_SESSION_MAX_HOURS_STAFF": "8",
            "LEARN_SESSION_MAX_DAYS_LEARNER": "7",
        }
    )
    assert chosen["LEARN_SESSION_IDLE"] == timedelta(minutes=45)
    assert chosen["LEARN_SESSION_MAX_STAFF"] == timedelta(hours=8)
    assert chosen["LEARN_SESSION_MAX_LEARNER"] == timedelta(days=7)
