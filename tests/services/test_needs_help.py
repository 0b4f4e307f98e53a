"""Who needs help and why: each reason, and the learner's dashboard agreeing with the trainer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import escape

from learn.models import User
from learn.services import needs_help
from tests import trainer_factories as tf
from tests.conftest import sign_in


@pytest.fixture
def env(small_app, fixture_catalog):
    db = small_app.extensions["learn.sessions"]()
    world = tf.organisation_with_group(db, "a", learners=4)
    db.commit()
    context = small_app.test_request_context()
    context.push()
    yield small_app, db, world, fixture_catalog.get(), context
    context.pop()
    db.close()


def kinds(entries):
    return {e.username: [r.kind for r in e.reasons] for e in entries}


def test_no_reason_for_an_active_learner(env):
    _app, db, world, catalog, _context = env
    for learner in world["learners"]:
        learner.last_seen_at = datetime.now(UTC)
    db.flush()
    assert needs_help.needs_help_list(db, world["trainer"], catalog) == []


def test_each_reason(env):
    _app, db, world, catalog, _context = env
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
    _app, db, world, catalog, _context = env
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
    _app, db, world, catalog, _context = env
    learner = world["learners"][0]
    learner.last_seen_at = datetime.now(UTC)
    tf.assignment(db, world["org"], group=world["group"], due_on=date.today() - timedelta(days=3))
    assert [r.kind for r in needs_help.reasons_for_learner(db, learner, catalog)] == ["overdue"]
    world["group"].archived_at = datetime.now(UTC)
    db.flush()
    assert needs_help.reasons_for_learner(db, learner, catalog) == []


def test_resolving_a_help_request_removes_the_reason(env):
    _app, db, world, catalog, _context = env
    learner = world["learners"][0]
    learner.last_seen_at = datetime.now(UTC)
    row = tf.help_request(db, learner)
    assert needs_help.reasons_for_learner(db, learner, catalog)[0].kind == "asked"
    needs_help.resolve_help_request(db, world["trainer"], row.id)
    assert needs_help.reasons_for_learner(db, learner, catalog) == []


def test_the_learner_and_the_trainer_see_the_same_reasons(env):
    app, db, world, catalog, context = env
    learner = world["learners"][0]
    tf.help_request(db, learner, "ecoute-1", "Aidez-moi")
    tf.progress(db, learner, "ecoute-2", failed_in_a_row=4, attempts=4)
    tf.assignment(
        db, world["org"], learner=learner, ref="ecoute-1", due_on=date.today() - timedelta(2)
    )
    db.commit()
    context.pop()  # the requests below push their own
    client = app.test_client()
    sign_in(client, learner.username)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    trainer = app.test_client()
    sign_in(trainer, world["trainer"].username)
    listing = trainer.get("/trainer/needs-help").get_data(as_text=True)
    context.push()
    db.expire_all()
    fresh = db.get(User, learner.id)
    reasons = needs_help.reasons_for_learner(db, fresh, catalog)
    assert [r.kind for r in reasons] == ["asked", "failing", "overdue"]
    for reason in reasons:
        assert escape(needs_help.describe(reason, catalog, "fr", for_learner=True)) in dashboard
        assert escape(needs_help.describe(reason, catalog, "fr")) in listing
