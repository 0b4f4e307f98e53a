"""The workspace home page's needs-help count: the number of the full list, for each reason and
each near miss, for an organisation admin, for a trainer restricted to their groups and never
across organisations, in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from learn.models import GroupMembership, Role
from learn.services import help_count, needs_help
from tests import factories
from tests import trainer_factories as tf


@pytest.fixture
def env(engine, session, fixture_catalog):
    return engine, session, fixture_catalog.get()


def populate(db, world, now, label, seen_by_trainer=True) -> set[str]:
    """One learner in each situation that needs help and in each near miss; the usernames of
    those who need help. `seen_by_trainer`: in the group of the world's trainer."""
    org = world["org"]
    today = now.astimezone(ZoneInfo(org.timezone)).date()
    past, people = today - timedelta(days=3), {}

    def learner(name, **fields):
        fields.setdefault("last_seen_at", now)
        person = factories.user(db, org, username=f"{label}-{name}", **fields)
        if seen_by_trainer:
            db.add(GroupMembership(group_id=world["group"].id, user_id=person.id))
        people[name] = person
        return person

    # Asked for help: with and without a module; a resolved request no longer counts.
    tf.help_request(db, learner("asked"))
    tf.help_request(db, learner("asked-generally"), module_id=None)
    resolved = tf.help_request(db, learner("asked-resolved"))
    resolved.resolved_at = now
    # Failed a quiz FAILED_IN_A_ROW times in a row (not once less).
    tf.progress(db, learner("failing"), "ecoute-1", failed_in_a_row=3, attempts=3)
    tf.progress(db, learner("failing-twice"), "ecoute-1", failed_in_a_row=2, attempts=2)
    # Overdue, through a group, directly, and through a level, a skill or a course.
    late = factories.group(db, org, name=f"{label} late", members=[learner("late-in-group")])
    tf.assignment(db, org, group=late, ref="ecoute-2", due_on=past)
    tf.assignment(db, org, learner=learner("late-module"), ref="ecoute-1", due_on=past)
    started = learner("late-started")
    tf.progress(db, started, "ecoute-1", "in_progress")
    tf.assignment(db, org, learner=started, ref="ecoute-1", due_on=past)
    tf.assignment(db, org, learner=learner("late-level"), kind="level", ref="ecoute:1", due_on=past)
    skill = learner("late-skill-half-done")
    tf.progress(db, skill, "ecoute-1", "mastered")
    tf.assignment(db, org, learner=skill, kind="skill", ref="ecoute", due_on=past)
    course = learner("late-course")
    tf.assignment(db, org, learner=course, kind="course", ref="entrepreneurship", due_on=past)
    # ... and not overdue: done, an archived group, due today or later, no date, not a module.
    done = learner("late-but-done")
    late_done = factories.group(db, org, name=f"{label} done", members=[done])
    tf.assignment(db, org, group=late_done, ref="ecoute-2", due_on=past)
    tf.progress(db, done, "ecoute-2", "completed")
    skill_done = learner("late-skill-done")
    tf.progress(db, skill_done, "ecoute-1", "mastered")
    tf.progress(db, skill_done, "ecoute-2", "completed")
    tf.assignment(db, org, learner=skill_done, kind="skill", ref="ecoute", due_on=past)
    archived = factories.group(db, org, name=f"{label} archived", members=[learner("archived")])
    tf.assignment(db, org, group=archived, due_on=past)
    archived.archived_at = now
    tf.assignment(db, org, learner=learner("due-today"), due_on=today)
    tf.assignment(db, org, learner=learner("due-later"), due_on=today + timedelta(days=5))
    tf.assignment(db, org, learner=learner("no-due-date"))
    tf.assignment(db, org, learner=learner("unknown-module"), ref="no-such-module", due_on=past)
    # A skill's id given as a module's names no module (unlike the skill assignment above).
    tf.assignment(db, org, learner=learner("skill-as-module"), ref="ecoute", due_on=past)
    # Inactive for INACTIVE_DAYS days: since the last sign-in, the last module visit or, never
    # active, the account's creation; exactly INACTIVE_DAYS days counts, a second less does not.
    long_ago, cutoff = now - timedelta(days=20), now - timedelta(days=needs_help.INACTIVE_DAYS)
    learner("idle", last_seen_at=long_ago)
    learner("idle-exactly", last_seen_at=cutoff)
    learner("idle-almost", last_seen_at=cutoff + timedelta(seconds=1))
    learner("never-active", last_seen_at=None, created_at=long_ago)
    learner("never-active-new", last_seen_at=None, created_at=now - timedelta(days=2))
    visited = learner("idle-visited-long-ago", last_seen_at=None, created_at=long_ago)
    tf.progress(db, visited, "ecoute-1", last_visit_at=long_ago)
    imported = learner("visited-before-the-account", last_seen_at=None, created_at=now)
    tf.progress(db, imported, "ecoute-1", last_visit_at=long_ago)  # progress carried over
    visiting = learner("signed-in-long-ago-visited-now", last_seen_at=long_ago)
    tf.progress(db, visiting, "ecoute-1", last_visit_at=now - timedelta(hours=1))
    # Every reason at once counts once; a deactivated account not at all.
    several = learner("everything", last_seen_at=long_ago)
    tf.help_request(db, several)
    tf.progress(db, several, "ecoute-2", failed_in_a_row=5, last_visit_at=long_ago)
    tf.assignment(db, org, learner=several, ref="ecoute-2", due_on=past)
    gone = learner("deactivated", last_seen_at=long_ago, active=False)
    tf.help_request(db, gone)
    tf.progress(db, gone, "ecoute-2", failed_in_a_row=5, last_visit_at=long_ago)
    learner("active")
    db.flush()
    needing = {
        "asked",
        "asked-generally",
        "failing",
        "late-in-group",
        "late-module",
        "late-started",
        "late-level",
        "late-skill-half-done",
        "late-course",
        "idle",
        "idle-exactly",
        "never-active",
        "idle-visited-long-ago",
        "visited-before-the-account",
        "everything",
    }
    return {people[name].username for name in needing}


def listed(db, actor, catalog, now) -> set[str]:
    return {e.username for e in needs_help.needs_help_list(db, actor, catalog, now=now)}


def test_the_count_is_the_length_of_the_list_for_every_situation(env):
    _engine, db, catalog = env
    now = datetime.now(UTC)
    world = tf.organisation_with_group(db, "a", learners=0)
    needing = populate(db, world, now, "a")
    for actor in (world["admin"], world["trainer"]):
        assert listed(db, actor, catalog, now) == needing
        assert help_count.needs_help_count(db, actor, catalog, now=now) == len(needing)


def test_a_restricted_trainer_counts_only_their_groups_learners(env):
    _engine, db, catalog = env
    now = datetime.now(UTC)
    world = tf.organisation_with_group(db, "r", learners=0)
    mine = populate(db, world, now, "mine", seen_by_trainer=True)
    others = populate(db, world, now, "others", seen_by_trainer=False)
    world["org"].restrict_trainers_to_groups = True
    db.flush()
    trainer, admin = world["trainer"], world["admin"]
    assert listed(db, trainer, catalog, now) == mine
    assert help_count.needs_help_count(db, trainer, catalog, now=now) == len(mine)
    assert listed(db, admin, catalog, now) == mine | others
    assert help_count.needs_help_count(db, admin, catalog, now=now) == len(mine | others)


def test_another_organisations_learners_never_count(env):
    _engine, db, catalog = env
    now = datetime.now(UTC)
    here = tf.organisation_with_group(db, "here", learners=0)
    there = tf.organisation_with_group(db, "there", learners=0)
    there["org"].timezone = "Pacific/Kiritimati"  # another today than here's, at times
    needing_here = populate(db, here, now, "here")
    needing_there = populate(db, there, now, "there")
    for actor in (here["admin"], here["trainer"]):
        assert help_count.needs_help_count(db, actor, catalog, now=now) == len(needing_here)
    assert help_count.needs_help_count(db, there["admin"], catalog, now=now) == len(needing_there)
    # The platform's administrator sees both, each learner against their organisation's today.
    platform = factories.user(db, None, Role.PLATFORM_ADMIN)
    assert listed(db, platform, catalog, now) == needing_here | needing_there
    assert help_count.needs_help_count(db, platform, catalog, now=now) == len(
        needing_here | needing_there
    )


def test_overdue_follows_each_organisations_time_zone(env):
    _engine, db, catalog = env
    moment = datetime.now(UTC).replace(hour=12, minute=0) - timedelta(days=1)
    due = moment.date()  # already past in Kiritimati (UTC+14), still today in Pago Pago (UTC-11)
    platform = factories.user(db, None, Role.PLATFORM_ADMIN)
    for zone, expected in (("Pacific/Kiritimati", 1), ("Pacific/Pago_Pago", 0)):
        world = tf.organisation_with_group(db, zone.split("/")[1].lower(), learners=1)
        world["org"].timezone = zone
        learner = world["learners"][0]
        learner.last_seen_at = moment
        tf.assignment(db, world["org"], learner=learner, ref="ecoute-1", due_on=due)
        assert help_count.needs_help_count(db, world["admin"], catalog, now=moment) == expected
    assert len(needs_help.needs_help_list(db, platform, catalog, now=moment)) == 1
    assert help_count.needs_help_count(db, platform, catalog, now=moment) == 1


def test_the_count_runs_a_fixed_number_of_queries(env):
    engine, db, catalog = env
    now = datetime.now(UTC)
    small = tf.organisation_with_group(db, "s", learners=5)
    big = tf.organisation_with_group(db, "b", learners=50)
    for world in (small, big):
        for i, learner in enumerate(world["learners"]):
            tf.progress(db, learner, "ecoute-1", failed_in_a_row=i % 4)
            if i % 5 == 0:
                tf.help_request(db, learner)
                tf.assignment(db, world["org"], learner=learner, due_on=now.date())
        tf.assignment(
            db, world["org"], group=world["group"], ref="ecoute-2", due_on=now.date() - timedelta(2)
        )
    db.commit()

    def queries(world):
        with tf.count_queries(engine) as statements:
            help_count.needs_help_count(db, world["admin"], catalog, now=now)
        return len(statements)

    queries(small)  # warm the identity map the same way for both
    assert queries(small) == queries(big) == 2
