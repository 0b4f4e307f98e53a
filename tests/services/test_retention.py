"""Legal retention: a funded learner's record is closed, then named no more, then erased, each at
its date; an unfunded learner is erased as before ("now" is passed in: dated fixtures)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from learn.models import AuditEvent, GroupMembership, HelpRequest, ModuleProgress, User
from learn.services import privacy, retention
from tests import factories
from tests import trainer_factories as tf

LAST = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)  # the training ended in March 2025
PERIODS = retention.Periods(certificate_years=3, evidence_years=6, european_years=10)


def on(year: int, month: int = 6, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(session):
    org = factories.organisation(session, slug="ret", name="Retenue")
    people = {}
    for name, funding in (("opco", "opco"), ("fse", "fse"), ("self", "self"), ("none", None)):
        learner = factories.user(
            session, org, username=f"l-{name}", display_name=f"L {name}", created_at=on(2024)
        )
        learner.last_seen_at = LAST
        learner.email = f"{name}@example.org"
        group = factories.group(session, org, name=f"G {name}", members=[learner])
        group.funding = funding
        tf.progress(
            session,
            learner,
            "ecoute-1",
            "mastered",
            completed_at=LAST,
            first_visit_at=LAST,
            last_visit_at=LAST,
        )
        tf.help_request(session, learner, "ecoute-1", "Je suis perdu").created_at = LAST
        people[name] = learner
    session.commit()
    return session, people


def run(db, now, dry_run=False):
    listed = retention.apply_retention(db, 730, PERIODS, dry_run=dry_run, now=now)
    db.commit()
    return {username: step for _id, _org, username, _last, step in listed}


def fresh(db, learner) -> User:
    db.expire_all()
    return db.get(User, learner.id)


def test_before_the_inactivity_delay_nothing_happens(world):
    db, people = world
    assert run(db, on(2026, 1, 1)) == {}


def test_unfunded_learners_are_erased_funded_ones_closed_and_kept(world):
    db, people = world
    assert run(db, on(2027, 6, 1), dry_run=True) == {
        "l-opco": "close",
        "l-fse": "close",
        "l-self": "erase",
        "l-none": "erase",
    }
    assert fresh(db, people["opco"]).username == "l-opco"  # a dry run changes nothing
    run(db, on(2027, 6, 1))
    kept = fresh(db, people["opco"])
    assert (kept.username, kept.display_name) == ("l-opco", "L opco")  # the named record
    assert kept.active is False and kept.email is None and kept.password_hash is None
    assert db.scalar(select(HelpRequest.message).where(HelpRequest.user_id == kept.id))
    assert db.scalar(select(ModuleProgress.status).where(ModuleProgress.user_id == kept.id))
    assert privacy.is_erased(fresh(db, people["none"]))
    assert privacy.is_erased(fresh(db, people["self"]))
    # The next night has nothing more to do for the closed accounts.
    assert run(db, on(2027, 6, 2)) == {}


def test_after_the_certificate_period_the_name_goes_the_evidence_stays(world):
    db, people = world
    run(db, on(2027, 6, 1))
    assert run(db, on(2028, 12, 31)) == {}  # 31 December 2025 + 3 years: still kept
    steps = run(db, on(2029, 1, 1))
    assert steps == {"l-opco": "pseudonymise", "l-fse": "pseudonymise"}
    gone = fresh(db, people["opco"])
    assert privacy.is_erased(gone) and gone.display_name != "L opco"
    assert db.scalar(select(HelpRequest.message).where(HelpRequest.user_id == gone.id))
    assert db.scalar(select(GroupMembership.group_id).where(GroupMembership.user_id == gone.id))


def test_the_evidence_goes_after_six_years_ten_with_european_funds(world):
    db, people = world
    run(db, on(2027, 6, 1))
    run(db, on(2029, 1, 1))
    assert run(db, on(2031, 12, 31)) == {}
    assert run(db, on(2032, 1, 1)) == {
        next(iter([fresh(db, people["opco"]).username])): "erase_evidence"
    }
    opco = fresh(db, people["opco"])
    assert db.scalar(select(HelpRequest.message).where(HelpRequest.user_id == opco.id)) == ""
    assert (
        db.scalar(select(GroupMembership.group_id).where(GroupMembership.user_id == opco.id))
        is None
    )
    # The statistics stay, anonymous.
    assert db.scalar(select(ModuleProgress.status).where(ModuleProgress.user_id == opco.id))
    fse = fresh(db, people["fse"])
    assert db.scalar(select(HelpRequest.message).where(HelpRequest.user_id == fse.id))
    assert run(db, on(2035, 12, 31)) == {}
    assert list(run(db, on(2036, 1, 1)).values()) == ["erase_evidence"]
    assert run(db, on(2036, 1, 2)) == {}


def test_erasure_on_request_keeps_what_the_funder_requires(world):
    db, people = world
    admin = factories.user(db, people["opco"].organisation, "org_admin", username="boss")
    db.commit()
    step, plan = retention.settle(db, admin, people["opco"], PERIODS, on(2026, 1, 5), "request")
    db.commit()
    assert step == "close" and plan.fundings == ("opco",)
    assert plan.certificate_until.isoformat() == "2028-12-31"
    assert plan.evidence_until.isoformat() == "2031-12-31"
    assert fresh(db, people["opco"]).username == "l-opco"
    entry = db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert entry.action == "learner.erase" and entry.details["step"] == "close"
    step, _plan = retention.settle(db, admin, people["none"], PERIODS, on(2026, 1, 5), "request")
    assert step == "erase"


def test_a_later_activity_moves_the_dates(world):
    db, people = world
    learner = people["fse"]
    learner.last_seen_at = on(2026, 2, 1)
    db.commit()
    plan = retention.plan_for(db, learner, PERIODS)
    assert plan.european and plan.evidence_until.isoformat() == "2036-12-31"
