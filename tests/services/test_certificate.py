"""The certificat de réalisation: hours from activities × estimated durations, the proof lines of
a period, assistance with its delays (dated fixtures: "now" is passed in)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from learn.models import ProgressEvent, Role
from learn.services import certificate
from learn.services.errors import Forbidden, Invalid, NotFound
from tests import factories
from tests import trainer_factories as tf

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def env(session, fixture_catalog):
    world = tf.organisation_with_group(session, "c", learners=2)
    world["group"].funding = "opco"
    learner = world["learners"][0]
    # ecoute-1 (10 min in the content) done on the 10th, ecoute-2 (12 min) on the 20th.
    tf.progress(
        db=session,
        learner=learner,
        module_id="ecoute-1",
        status="mastered",
        completed_at=at(10),
        mastered_at=at(10),
        first_visit_at=at(9),
    )
    tf.progress(
        db=session,
        learner=learner,
        module_id="ecoute-2",
        status="mastered",
        completed_at=at(20),
        mastered_at=at(20),
        first_visit_at=at(19),
    )
    for day, seconds in ((9, 1500), (10, 900), (20, 1200)):
        session.add(
            ProgressEvent(
                user_id=learner.id,
                organisation_id=learner.organisation_id,
                module_id="ecoute-1",
                kind="heartbeat",
                seconds=seconds,
                created_at=at(day),
            )
        )
    attempt = tf.attempt(session, learner, "ecoute-1", passed=True, score=0.8)
    attempt.submitted_at = at(10, 11)
    asked = tf.help_request(session, learner, "ecoute-1", "Je ne comprends pas")
    asked.created_at = at(10, 9)
    asked.resolved_at = at(10, 9) + timedelta(minutes=45)
    asked.resolved_by_id = world["trainer"].id
    asked.answer = "Relis la partie 2 avec l'exemple."
    late = tf.help_request(session, learner, "ecoute-2", "Encore")
    late.created_at = at(20, 9)
    sheet = tf.workshop(session, learner, status="accepted")
    sheet.submitted_at = at(19, 8)
    sheet.reviewed_at = at(19, 8) + timedelta(hours=26)
    sheet.reviewer_id = world["trainer"].id
    sheet.review_comment = "Bien construit."
    session.commit()
    return session, world, learner, fixture_catalog.get()


def test_hours_are_activities_times_estimated_durations_and_connection_is_shown_apart(env):
    db, world, learner, catalog = env
    found = certificate.certificate(db, world["trainer"], learner.id, catalog, now=NOW)
    assert [a.module_id for a in found.activities] == ["ecoute-1", "ecoute-2"]
    assert found.estimated_minutes == 22 and found.hours == 0.37
    assert found.connection_seconds == 3600 and found.connection_hours == 1.0
    assert found.start == date(2026, 11, 9) and found.end == date(2026, 11, 30)
    assert found.action_title == "Group c" and found.funding == "opco"
    assert found.signed_by == "Coach c" and found.organisation_name == "Organisation c"


def test_a_period_keeps_only_its_own_lines(env):
    db, world, learner, catalog = env
    found = certificate.certificate(
        db, world["trainer"], learner.id, catalog, date(2026, 11, 1), date(2026, 11, 15), now=NOW
    )
    assert [a.module_id for a in found.activities] == ["ecoute-1"]
    assert found.connection_seconds == 2400
    assert [r.kind for r in found.assessments] == ["quiz"]
    assert [(h.kind, h.module_id) for h in found.assistance] == [("help", "ecoute-1")]


def test_assistance_shows_each_answer_and_its_delay(env):
    db, world, learner, catalog = env
    found = certificate.certificate(db, world["trainer"], learner.id, catalog, now=NOW)
    answered, review, waiting = found.assistance
    assert (answered.kind, answered.delay_minutes) == ("help", 45)
    assert answered.answer == "Relis la partie 2 avec l'exemple."
    assert answered.answered_by == "Coach c"
    assert (review.kind, review.delay_minutes, review.outcome) == ("review", 26 * 60, "accepted")
    assert review.answer == "Bien construit."
    assert waiting.answered_at is None and waiting.delay_minutes is None


def test_a_review_of_an_earlier_sending_is_still_waiting(env):
    db, world, learner, catalog = env
    found = certificate.certificate(db, world["trainer"], learner.id, catalog, now=NOW)
    sheet = next(a for a in found.assistance if a.kind == "review")
    assert sheet.answered_at is not None
    from learn.models import WorkshopAnswer

    row = db.query(WorkshopAnswer).one()
    row.submitted_at, row.status = at(25), "submitted"
    db.commit()
    again = certificate.certificate(db, world["trainer"], learner.id, catalog, now=NOW)
    sheet = next(a for a in again.assistance if a.kind == "review")
    assert (sheet.answered_at, sheet.outcome, sheet.answer) == (None, "waiting", "")


def test_the_group_has_one_certificate_per_learner(env):
    db, world, learner, catalog = env
    group, found = certificate.group_certificates(
        db, world["trainer"], world["group"].id, catalog, now=NOW
    )
    assert group.id == world["group"].id
    assert sorted(c.learner.id for c in found) == sorted(p.id for p in world["learners"])
    assert all(c.funding == "opco" for c in found)


def test_the_group_read_at_once_gives_each_learner_their_own_lines(env):
    """The group's certificates are read for all learners at once (IN (...), grouped in
    Python): each is the one the learner's own page gives, no line of another learner."""
    db, world, learner, catalog = env
    other = world["learners"][1]
    tf.progress(db, other, "ecoute-1", "completed", completed_at=at(12), first_visit_at=at(12))
    helped = tf.help_request(db, other, "ecoute-1", "Aide")
    helped.created_at = at(12, 9)
    db.commit()
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    _group, found = certificate.group_certificates(
        db, world["trainer"], world["group"].id, catalog, start, end, now=NOW
    )
    for document in found:
        alone = certificate.certificate(
            db, world["trainer"], document.learner.id, catalog, start, end, world["group"], NOW
        )
        assert document == alone
    mine = next(c for c in found if c.learner.id == learner.id)
    theirs = next(c for c in found if c.learner.id == other.id)
    assert [a.module_id for a in theirs.activities] == ["ecoute-1"]
    assert [h.asked_at for h in theirs.assistance] == [at(12, 9)]
    assert theirs.connection_seconds == 0 and mine.connection_seconds == 3600
    assert len(mine.assistance) == 3


def test_refusals(env, session):
    db, world, learner, catalog = env
    other = tf.organisation_with_group(db, "x", learners=1)
    db.commit()
    with pytest.raises(NotFound):
        certificate.certificate(db, other["trainer"], learner.id, catalog, now=NOW)
    with pytest.raises(NotFound):
        certificate.group_certificates(db, other["trainer"], world["group"].id, catalog)
    with pytest.raises(Forbidden):
        certificate.certificate(db, world["learners"][1], learner.id, catalog, now=NOW)
    with pytest.raises(NotFound):
        certificate.set_funding(db, other["trainer"], world["group"].id, "cpf")


def test_funding_must_be_known(env):
    db, world, _learner, _catalog = env
    with pytest.raises(Invalid):
        certificate.set_funding(db, world["trainer"], world["group"].id, "bank")
    assert certificate.set_funding(db, world["trainer"], world["group"].id, "fse").funding == "fse"
    assert certificate.set_funding(db, world["trainer"], world["group"].id, "").funding is None


@pytest.mark.parametrize(
    "start,end",
    [("2026-13-01", ""), ("x", ""), ("2026-11-10", "2026-11-01"), ("2000-01-01", "2026-01-01")],
)
def test_a_bad_period_is_refused(start, end):
    with pytest.raises(Invalid):
        certificate.parse_period(start, end)


def test_an_empty_period_is_the_default():
    assert certificate.parse_period("", "") == (None, None)


def test_staff_of_the_organisation_without_group_still_get_a_certificate(env):
    db, world, _learner, catalog = env
    lone = factories.user(db, world["org"], Role.LEARNER, username="lone")
    db.commit()
    found = certificate.certificate(db, world["admin"], lone.id, catalog, now=NOW)
    assert found.activities == [] and found.action_title == "" and found.funding is None
