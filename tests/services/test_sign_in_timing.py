"""Every sign-in outcome costs the same hashing work, so timing does not tell which usernames
exist or which have a code: counted (two argon2 verifications each) and measured."""

from __future__ import annotations

import random
import statistics
import time

import pytest

from learn.models import Role
from learn.services import accounts, passwords
from tests import factories

OUTCOMES = ("unknown user", "wrong password", "right password", "code", "wrong, with a code")
TIMED = OUTCOMES[:4]  # argon2 is slow by design: 20 tries of 4 outcomes take about a minute


@pytest.fixture
def tries(db):
    """Each outcome as a call of accounts.authenticate, and what it must return."""
    org = factories.organisation(db)
    factories.user(db, org, Role.LEARNER, username="has.password")
    carded = factories.carded_learner(db, org, "has.code", "Card")
    db.commit()
    return {
        "unknown user": (("nobody.here", factories.PASSWORD), False),
        "wrong password": (("has.password", "not-the-password"), False),
        "right password": (("has.password", factories.PASSWORD), True),
        "code": (("has.code", carded.code), True),
        "wrong, with a code": (("has.code", "not-the-code"), False),
    }


def test_every_outcome_verifies_two_hashes(db, tries, monkeypatch):
    calls = []
    real = passwords._hasher

    class Counting:
        def verify(self, stored, secret):
            calls.append(stored)
            return real.verify(stored, secret)

    monkeypatch.setattr(passwords, "_hasher", Counting())
    for outcome in OUTCOMES:
        calls.clear()
        (username, secret), succeeds = tries[outcome]
        assert (accounts.authenticate(db, username, secret) is not None) is succeeds, outcome
        assert len(calls) == 2, outcome
        db.rollback()


def medians_of_interleaved_tries(db, tries, rng) -> dict[str, float]:
    """Medians of 20 tries of each outcome, taken in turns and in a shuffled order each turn, so
    that a busy machine (or the place in the turn) slows all alike."""
    times = {outcome: [] for outcome in TIMED}
    for _ in range(20):
        for outcome in rng.sample(TIMED, len(TIMED)):
            (username, secret), _succeeds = tries[outcome]
            start = time.perf_counter()
            accounts.authenticate(db, username, secret)
            times[outcome].append(time.perf_counter() - start)
            db.rollback()
    return {outcome: statistics.median(values) for outcome, values in times.items()}


def test_every_outcome_takes_the_same_time(db, tries):
    """Within 15 %. A machine busy with other work can make one measurement uneven: it is taken
    again, up to three times; a real difference in work shows in every one."""
    rng = random.Random(15)
    seen = []
    for _ in range(3):
        medians = medians_of_interleaved_tries(db, tries, rng)
        fastest, slowest = min(medians.values()), max(medians.values())
        if slowest <= fastest * 1.15:
            return
        seen.append({k: f"{v * 1000:.0f} ms" for k, v in medians.items()})
    raise AssertionError(f"one outcome is more than 15 % slower in every measurement: {seen}")
