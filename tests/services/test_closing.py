"""Closing an account, without the web: sign-in says "closed" only to the right password, with the
same hashing work as every other outcome; the database refuses a closure that is half recorded,
an unknown reason, or a closed account that could still sign in."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from learn.i18n import using_locale
from learn.models import Role
from learn.models.people import CLOSURE_REASONS, utcnow
from learn.services import accounts, closing, passwords, staff
from learn.services.errors import Invalid
from tests import factories


def test_the_right_password_of_a_closed_account_says_closed_with_two_hashes(session, monkeypatch):
    org = factories.organisation(session)
    person = factories.user(session, org, username="gone.away")
    closing.close(session, person, date(2027, 1, 29), "moved")
    session.commit()
    calls = []
    real = passwords._hasher

    class Counting:
        def verify(self, stored, secret):
            calls.append(stored)
            return real.verify(stored, secret)

    monkeypatch.setattr(passwords, "_hasher", Counting())
    with pytest.raises(accounts.AccountClosed) as closed:
        accounts.authenticate(session, "gone.away", factories.PASSWORD)
    assert closed.value.closed_on == date(2027, 1, 29)
    assert len(calls) == 2
    calls.clear()
    assert accounts.authenticate(session, "gone.away", "not-the-password") is None
    assert len(calls) == 2


def test_every_reason_has_words_in_both_languages():
    assert tuple(closing.REASON_LABELS) == CLOSURE_REASONS
    for reason in CLOSURE_REASONS:
        with using_locale("fr"):
            french = closing.reason_label(reason)
        assert french and french != closing.reason_label(reason), reason
    with using_locale("fr"):
        assert closing.closed_mark(date(2027, 1, 31)) == "sorti·e le 31/01/2027"
    assert closing.closed_mark(None) == ""


@pytest.mark.parametrize(
    "changes",
    [
        {"closed_at": "now"},  # no date, and still active
        {"active": False, "closed_on": date(2027, 1, 1)},  # a date without the moment
        {"active": False, "closed_at": "now", "closed_on": date(2027, 1, 1), "closure_reason": "x"},
        {"closed_at": "now", "closed_on": date(2027, 1, 1)},  # closed yet active
    ],
)
def test_the_database_refuses_an_inconsistent_closure(session, changes):
    org = factories.organisation(session)
    person = factories.user(session, org)
    session.commit()
    for field, value in changes.items():
        setattr(person, field, utcnow() if value == "now" else value)
    with pytest.raises(IntegrityError):
        session.flush()


def test_a_staff_member_cannot_reset_their_own_account_by_card(session):
    org = factories.organisation(session)
    admin = factories.user(session, org, Role.ORG_ADMIN)
    session.commit()
    with pytest.raises(Invalid):
        staff.new_code(session, admin, admin.id)
