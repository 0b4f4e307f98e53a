"""Who needs help and why: each reason (the pages agreeing: tests/web/test_needs_help_pages.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from learn.services import needs_help
from tests import trainer_factories as tf


@pytest.fixture
def env(session, fixture_catalog):
    world = tf.organisation_with_group(session, "a", learners=4)
    session.commit()
    return session, world, fixture_catalog.get()


def kinds(entries):
    return {e.username: [r.kind for r in e.reasons] for e in entries}


def test_no_reason_for_an_active_learner(env):
    db, world, catalog = env
    for learner in world["learners"]:
        learner.last_seen_at = datetime.now(UTC)
    db.flush()
    assert needs_help.needs_help_list(db, world["trainer"], catalog) == []


def test_each_reason(env):
    db, world, catalog = env
    asked, failing, late, idle = world["learners"]
    now = datetime.now(UTC)
    for learner in (asked, failing, late):
        learner.last_seen_at = now
    idle.last_seen_at = now - timedelta(days=20)
    tf.help_request(db, asked, "ecoute-1", "Je suis perdu")
    tf.progress(db, failing, "ecoute-1", failed_in_a_row=3, attempts=3)
    tf.progress(db, failing, "ecoute-2", status="completed", failed_in_a_row=2)  # not yet 3
    tf.progress(db, asked, "ecoute-2", status="completed")
    long_ago = now - timedelta(days=20)
    tf.progress(db, idle, "ecoute-2", status="mastered", last_visit_at=long_ago)
    yesterday = date.today() - timedelta(days=1)
    tf.assignment(db, world["org"], group=world["group"], ref="ecoute-2", due_on=yesterday)
    entries = needs_help.needs_help_list(db, world["trainer"], catalog, now=now)
    found = kinds(entries)
    assert found == {
        asked.username: ["asked"],
        failing.username: ["failing"],
        late.username: ["overdue"],
        idle.username: ["inactive"],
    }
    assert entries[0].username == asked.username  # open help requests first
    reason = next(e for e in entries if e.username == idle.username).reasons[0]
    assert reason.count == 20
    failing_reason = next(e for e in entries if e.username == failing.username).reasons[0]
    assert failing_reason.module_id == "ecoute-1" and failing_reason.count == 3
    # Filtered by kind.
    only = needs_help.needs_help_list(db, world["trainer"], catalog, kind="overdue", now=now)
    assert kinds(only) == {late.username: ["overdue"]}


def test_overdue_follows_the_organisations_time_zone(env):
    db, world, catalog = env
    learner = world["learners"][0]
    learner.last_seen_at = datetime.now(UTC)
    world["org"].timezone = "Pacific/Kiritimati"  # UTC+14: already tomorrow there
    due = datetime.now(UTC).astimezone().date()
    tf.assignment(db, world["org"], learner=learner, ref="ecoute-1", due_on=due)
    db.flush()
    moment = datetime.combine(due, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    found = needs_help.reasons_for_learner(db, learner, catalog, now=moment)
    assert [r.kind for r in found] == ["overdue"]
    world["org"].timezone = "Pacific/Pago_Pago"  # UTC-11: still the due day there
    db.flush()
    assert needs_help.reasons_for_learner(db, learner, catalog, now=moment) == []


def test_archived_groups_assignments_are_not_overdue(env):
    db, world, catalog = env
    learner = world["learners"][0]
    learner.last_seen_at = datetime.now(UTC)
    tf.assignment(db, world["org"], group=world["group"], due_on=date.today() - timedelta(days=3))
    assert [r.kind for r in needs_help.reasons_for_learner(db, learner, catalog)] == ["overdue"]
    world["group"].archived_at = datetime.now(UTC)
    db.flush()
    assert needs_help.reasons_for_learner(db, learner, catalog) == []


def test_resolving_a_help_request_removes_the_reason(env):
    db, world, catalog = env
    learner = world["learners"][0]
    learner.last_seen_at = datetime.now(UTC)
    row = tf.help_request(db, learner)
    assert needs_help.reasons_for_learner(db, learner, catalog)[0].kind == "asked"
    needs_help.resolve_help_request(db, world["trainer"], row.id)
    assert needs_help.reasons_for_learner(db, learner, catalog) == []
