"""Reports: the group matrix, difficult questions, and a fixed number of SQL queries for the
matrix, the needs-help list and the learner's page, whatever the number of learners."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from learn.services import learner_record, needs_help, reports
from tests import factories
from tests import trainer_factories as tf


@pytest.fixture
def env(engine, session, fixture_catalog):
    return engine, session, fixture_catalog.get()


def grow(db, world, n):
    """Give a group n learners with varied progress, attempts, help requests and assignments."""
    org, group = world["org"], world["group"]
    learners = list(world["learners"])
    while len(learners) < n:
        learners.append(factories.user(db, org))
        db.add(factories.GroupMembership(group_id=group.id, user_id=learners[-1].id))
    statuses = ["in_progress", "completed", "mastered"]
    for i, learner in enumerate(learners):
        tf.progress(db, learner, "ecoute-1", statuses[i % 3], failed_in_a_row=i % 4)
        if i % 2:
            tf.progress(db, learner, "es-social", "in_progress")
        tf.attempt(db, learner, seq=1)
        if i % 5 == 0:
            tf.help_request(db, learner)
            tf.assignment(db, org, learner=learner, due_on=date.today() - timedelta(days=1))
    tf.assignment(db, org, group=group, ref="ecoute-2", due_on=date.today() - timedelta(days=2))
    db.flush()
    return learners


def test_matrix_cells_and_filters(env):
    _engine, db, catalog = env
    world = tf.organisation_with_group(db, "m", learners=3)
    a, b, c = world["learners"]
    tf.progress(db, a, "ecoute-1", "mastered", best_score=0.666, active_seconds=750)
    tf.progress(db, b, "ecoute-1", "in_progress", active_seconds=59)
    tf.assignment(db, world["org"], group=world["group"], ref="ecoute-2")
    filters = reports.MatrixFilters()
    matrix = reports.group_matrix(db, world["trainer"], catalog, world["group"].id, filters)
    assert matrix.module_ids == ["ecoute-1", "ecoute-2", "es-social"]
    assert [line.id for line in matrix.learners] == [a.id, b.id, c.id]
    cell = matrix.cell(a.id, "ecoute-1")
    assert (cell.status, cell.percent, cell.minutes) == ("mastered", 67, 13)
    assert matrix.cell(b.id, "ecoute-1").minutes == 1
    assert matrix.cell(c.id, "ecoute-1").status == "not_started"
    assert matrix.cell(c.id, "ecoute-1").minutes is None
    only_level_2 = reports.MatrixFilters(skill="ecoute", level=2)
    assert reports.group_matrix(
        db, world["trainer"], catalog, world["group"].id, only_level_2
    ).module_ids == ["ecoute-2"]
    assigned = reports.MatrixFilters(assigned_only=True)
    assert reports.group_matrix(
        db, world["trainer"], catalog, world["group"].id, assigned
    ).module_ids == ["ecoute-2"]
    course = reports.MatrixFilters(course="entrepreneurship")
    assert reports.group_matrix(
        db, world["trainer"], catalog, world["group"].id, course
    ).module_ids == ["es-social"]
    mastered = reports.MatrixFilters(status="mastered")
    result = reports.group_matrix(db, world["trainer"], catalog, world["group"].id, mastered)
    assert [line.id for line in result.learners] == [a.id]
    not_started = reports.MatrixFilters(status="not_started", skill="ecoute", level=1)
    result = reports.group_matrix(db, world["trainer"], catalog, world["group"].id, not_started)
    assert [line.id for line in result.learners] == [c.id]


def test_matrix_pages(env):
    _engine, db, catalog = env
    world = tf.organisation_with_group(db, "p", learners=5)
    page = reports.group_matrix(
        db, world["trainer"], catalog, world["group"].id, reports.MatrixFilters(), 2, per_page=2
    )
    assert (page.total, page.pages, page.page, len(page.learners)) == (5, 3, 2, 2)
    everyone = reports.group_matrix(
        db, world["trainer"], catalog, world["group"].id, reports.MatrixFilters(), None
    )
    assert len(everyone.learners) == 5


def test_difficult_questions(env):
    _engine, db, catalog = env
    world = tf.organisation_with_group(db, "q", learners=4)
    variant = catalog.variant("ecoute-1", "fr")
    versions = variant.question_versions

    def answers(q1, q1_ok, q3, q3_ok):
        return {
            "q1": {"answer": q1, "correct": q1_ok, "version": versions["q1"]},
            "q2": {"answer": "a", "correct": True, "version": versions["q2"]},
            "q3": {"answer": q3, "correct": q3_ok, "version": versions["q3"]},
        }

    a, b, c, d = world["learners"]
    tf.attempt(db, a, answers=answers("a", False, "écouter", False))
    tf.attempt(db, b, answers=answers("a", False, "Ecouter!", False))
    tf.attempt(db, c, answers=answers("b", True, "reformuler", True))
    old = answers("a", False, "x", False)
    old["q1"]["version"] = "an-older-version"
    tf.attempt(db, d, answers=old)
    result = reports.difficult_questions(db, world["trainer"], catalog, "ecoute-1", "fr")
    assert result.attempts == 4 and result.left_out == 1
    by_id = {s.question.id: s for s in result.questions}
    assert (by_id["q1"].answered, by_id["q1"].wrong, by_id["q1"].share_wrong) == (3, 2, 67)
    assert by_id["q1"].top_wrong == "Vous partez tout de suite."
    assert by_id["q1"].top_wrong_count == 2
    assert (by_id["q3"].wrong, by_id["q3"].top_wrong) == (3, "ecouter")
    # A text question lists what learners typed, the same answer once (as first typed), the
    # most frequent first, with whether it was accepted.
    assert by_id["q3"].typed == (
        ("écouter", 2, False),
        ("reformuler", 1, True),
        ("x", 1, False),
    )
    assert by_id["q1"].typed == ()  # a choice question lists nothing
    assert by_id["q2"].share_wrong == 0
    assert [s.question.id for s in result.questions][-1] == "q2"  # hardest first
    # Another organisation's attempts are never counted.
    other = tf.organisation_with_group(db, "q2", learners=1)
    tf.attempt(db, other["learners"][0], answers=answers("a", False, "x", False))
    again = reports.difficult_questions(db, world["trainer"], catalog, "ecoute-1", "fr")
    assert again.attempts == 4


def counted(engine, call):
    with tf.count_queries(engine) as statements:
        call()
    return len(statements)


@pytest.mark.parametrize("report", ["matrix", "needs_help", "learner_record"])
def test_reports_run_a_fixed_number_of_queries(env, report):
    engine, db, catalog = env
    small = tf.organisation_with_group(db, "s", learners=3)
    big = tf.organisation_with_group(db, "b", learners=3)
    grow(db, small, 3)
    grow(db, big, 30)
    for learner in big["learners"][:1]:
        for seq in range(2, 30):
            tf.attempt(db, learner, seq=seq)
            tf.help_request(db, learner, module_id=None if seq % 2 else "ecoute-2")
    db.commit()

    def run(world):
        trainer = world["trainer"]
        if report == "matrix":
            return counted(
                engine,
                lambda: reports.group_matrix(
                    db, trainer, catalog, world["group"].id, reports.MatrixFilters(), None
                ),
            )
        if report == "needs_help":
            return counted(engine, lambda: needs_help.needs_help_list(db, trainer, catalog))
        return counted(
            engine,
            lambda: learner_record.learner_record(db, trainer, world["learners"][0].id, catalog),
        )

    run(small)  # warm the identity map the same way for both
    small_count, big_count = run(small), run(big)
    assert small_count == big_count
    assert small_count <= {"matrix": 5, "needs_help": 7, "learner_record": 20}[report]


def test_shares_and_scores_round_half_up_as_people_do():
    assert reports.QuestionStats(None, 8, 1, None, 0).share_wrong == 13  # round() gives 12
    assert reports.QuestionStats(None, 0, 0, None, 0).share_wrong == 0
    assert (reports.percent(0.125), reports.percent(None), reports.minutes(750)) == (13, None, 13)
    assert reports.MatrixCell("in_progress", 0.125, 90).percent == 13
