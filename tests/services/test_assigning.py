"""Assignments as trainers make them: every kind of target reaches the learner's pathway, due
dates follow the organisation's time zone, and editing or removing never touches progress."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from learn.models import ModuleProgress, QuizAttempt, WorkshopAnswer
from learn.models.people import utcnow
from learn.services import assigning, needs_help, pathway
from learn.services.errors import Invalid, NotFound
from tests import trainer_factories as tf


@pytest.fixture
def env(session, fixture_catalog):
    world = tf.organisation_with_group(session, "as", learners=3)
    session.commit()
    return session, world, fixture_catalog.get()


def assigned_modules(db, learner, catalog) -> dict[str, tuple[date | None, bool, bool]]:
    """What the learner's own pathway says was asked of them: module -> (due, overdue, easy)."""
    path = pathway.compute(db, learner, catalog, "fr")
    return {
        s.module_id: (s.due_on, s.overdue, s.easy_read)
        for s in path.states.values()
        if s.reason == "assigned"
    }


def test_each_kind_of_target_reaches_the_group_or_the_chosen_learners(env):
    db, world, catalog = env
    trainer, group = world["trainer"], world["group"]
    one, two, three = world["learners"]
    due = date.today() + timedelta(days=10)
    assigning.create(db, trainer, catalog, target="skill:ecoute", group=group, due_on=due)
    assigning.create(
        db,
        trainer,
        catalog,
        target="course:entrepreneurship",
        learner_ids=[two.id],
        easy_read=True,
    )
    assigning.create(db, trainer, catalog, target="level:ecoute:2", learner_ids=[three.id])
    assert assigned_modules(db, one, catalog) == {
        "ecoute-1": (due, False, False),
        "ecoute-2": (due, False, False),
    }
    assert assigned_modules(db, two, catalog)["es-social"] == (None, False, True)
    assert set(assigned_modules(db, two, catalog)) == {"ecoute-1", "ecoute-2", "es-social"}
    # Two assignments of one module: the earliest due date is the one that counts.
    assert assigned_modules(db, three, catalog)["ecoute-2"] == (due, False, False)
    with pytest.raises(Invalid):
        assigning.create(db, trainer, catalog, target="level:ecoute:9", group=group)
    with pytest.raises(Invalid):
        assigning.create(db, trainer, catalog, target="skill:ecoute")  # nobody chosen


def test_due_dates_are_checked_against_today_in_the_organisations_time_zone(env):
    db, world, catalog = env
    trainer, group = world["trainer"], world["group"]
    moment = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    world["org"].timezone = "Pacific/Kiritimati"  # UTC+14: already 11 March there
    db.flush()
    with pytest.raises(Invalid):
        assigning.check_due(trainer, date(2026, 3, 10), moment)
    assert assigning.check_due(trainer, date(2026, 3, 11), moment) == date(2026, 3, 11)
    world["org"].timezone = "Pacific/Pago_Pago"  # UTC-11: still 10 March there
    db.flush()
    assert assigning.check_due(trainer, date(2026, 3, 10), moment) == date(2026, 3, 10)
    with pytest.raises(Invalid):
        assigning.check_due(trainer, date(2026, 3, 9), moment)
    with pytest.raises(Invalid):
        assigning.check_due(trainer, date(2029, 6, 1), moment)  # more than three years ahead
    row = assigning.create(
        db,
        trainer,
        catalog,
        target="module:ecoute-1",
        group=group,
        due_on=date(2026, 3, 10),
        now=moment,
    )[0]
    assert row.due_on == date(2026, 3, 10) and row.created_by_id == trainer.id


def test_overdue_is_flagged_for_the_learner_as_for_the_trainer(env):
    db, world, catalog = env
    learner = world["learners"][0]
    learner.last_seen_at = utcnow()
    tf.assignment(
        db,
        world["org"],
        group=world["group"],
        kind="skill",
        ref="ecoute",
        due_on=date.today() - timedelta(days=2),
    )
    tf.progress(db, learner, "ecoute-1", "mastered")
    seen = assigned_modules(db, learner, catalog)
    assert seen["ecoute-1"][1] is False  # done in time or late, it is no longer overdue
    assert seen["ecoute-2"][1] is True
    reasons = needs_help.reasons_for_learner(db, learner, catalog)
    overdue = [r.module_id for r in reasons if r.kind == "overdue"]
    assert overdue == [m for m, (_due, late, _easy) in seen.items() if late] == ["ecoute-2"]


def snapshot(db, learner):
    def rows(model, *columns):
        return sorted(db.execute(select(*columns).where(model.user_id == learner.id)).all())

    return (
        rows(ModuleProgress, ModuleProgress.module_id, ModuleProgress.status),
        rows(QuizAttempt, QuizAttempt.id, QuizAttempt.score),
        rows(WorkshopAnswer, WorkshopAnswer.id, WorkshopAnswer.status),
    )


def test_editing_or_removing_never_touches_progress(env):
    db, world, catalog = env
    trainer, learner = world["trainer"], world["learners"][0]
    row = assigning.create(
        db, trainer, catalog, target="course:entrepreneurship", group=world["group"]
    )[0]
    tf.progress(db, learner, "es-social", "completed")
    tf.progress(db, learner, "ecoute-1", "mastered")
    tf.attempt(db, learner, passed=True, score=1.0)
    tf.workshop(db, learner)
    before = snapshot(db, learner)
    assert before[0] and before[1] and before[2]
    due = date.today() + timedelta(days=5)
    assigning.update(db, trainer, row, due_on=due, easy_read=True)
    assert (row.target_kind, row.target_ref, row.due_on, row.easy_read) == (
        "course",
        "entrepreneurship",
        due,
        True,
    )
    assert snapshot(db, learner) == before
    assigning.remove(db, trainer, row)
    db.expire_all()
    assert snapshot(db, learner) == before
    assert "es-social" not in assigned_modules(db, learner, catalog)
    # Nothing else was deleted either.
    assert db.scalar(select(func.count()).select_from(ModuleProgress)) == 2


def test_archived_groups_and_other_organisations_are_refused(env):
    db, world, catalog = env
    trainer = world["trainer"]
    other = tf.organisation_with_group(db, "elsewhere", learners=1)
    foreign = tf.assignment(db, other["org"], group=other["group"])
    with pytest.raises(NotFound):
        assigning.create(
            db, trainer, catalog, target="module:ecoute-1", learner_ids=[other["learners"][0].id]
        )
    with pytest.raises(NotFound):
        assigning.get(db, trainer, foreign.id)
    world["group"].archived_at = utcnow()
    db.flush()
    with pytest.raises(Invalid):
        assigning.create(db, trainer, catalog, target="module:ecoute-1", group=world["group"])
    # An archived group's assignments stop applying to its learners.
    tf.assignment(db, world["org"], group=world["group"], ref="ecoute-2")
    assert assigned_modules(db, world["learners"][0], catalog) == {}
