"""Progress: status transitions, time capping, mastery under each pass rule, idempotent attempts,
content-version pinning."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from learn.db import make_session_factory, write_intent
from learn.models import ModuleProgress, ProgressEvent, QuizAttempt
from learn.models.people import utcnow
from learn.services import progress, quizzes
from tests import factories


@pytest.fixture
def ctx(engine, session, fixture_catalog):
    org = factories.organisation(session)
    learner = factories.user(session, org)
    session.commit()
    return engine, session, learner, fixture_catalog.get()


def variant(catalog, module_id="ecoute-1", lang="fr", name="standard"):
    return catalog.variant(module_id, lang, name)


def test_status_moves_forward_through_reading(ctx):
    _engine, db, learner, catalog = ctx
    v = variant(catalog)
    row = progress.record_visit(db, learner, v, "travail")
    assert row.status == "in_progress" and row.last_section == "travail"
    row = progress.record_visit(db, learner, v, "signes")
    assert row.status == "completed" and row.completed_at is not None
    # Going back to an earlier part never lowers the status, but moves the place.
    row = progress.record_visit(db, learner, v, "travail")
    assert row.status == "completed" and row.last_section == "travail"
    db.commit()
    kinds = db.scalars(select(ProgressEvent.kind).where(ProgressEvent.user_id == learner.id)).all()
    assert kinds == ["visit", "visit", "visit"]


def test_easy_and_standard_share_one_progress(ctx):
    _engine, db, learner, catalog = ctx
    progress.record_visit(db, learner, variant(catalog), "travail")
    row = progress.record_visit(db, learner, variant(catalog, name="easy"), "signes")
    assert row.status == "completed"
    assert db.scalar(select(func.count()).select_from(ModuleProgress)) == 1


def test_active_time_is_capped(ctx):
    _engine, db, learner, catalog = ctx
    start = utcnow()
    progress.record_visit(db, learner, variant(catalog), "travail", now=start)
    progress.record_heartbeat(db, learner, "ecoute-1", now=start + timedelta(seconds=30))
    # An open tab left for three hours counts at most the cap.
    row = progress.record_heartbeat(db, learner, "ecoute-1", now=start + timedelta(hours=3))
    assert row.active_seconds == 30 + progress.ACTIVE_CAP_SECONDS


def ticket_for(db, learner, v, seq=None):
    ticket = quizzes.open_ticket(db, learner, v)
    return replace(ticket, seq=seq) if seq else ticket


def test_practice_quiz_mastery_with_m_of_n(ctx):
    _engine, db, learner, catalog = ctx
    v = variant(catalog)
    failed = quizzes.submit(db, learner, v, ticket_for(db, learner, v), {"q1": "a", "q2": "b"})
    assert not failed.attempt.passed
    row = progress.summary(db, learner, "ecoute-1")
    assert row.status == "in_progress" and row.failed_in_a_row == 1
    passed = quizzes.submit(
        db, learner, v, ticket_for(db, learner, v), {"q1": "b", "q2": "a", "q3": "Reformuler"}
    )
    assert passed.attempt.passed and passed.attempt.seq == 2
    row = progress.summary(db, learner, "ecoute-1")
    assert row.status == "mastered" and row.attempts == 2 and row.failed_in_a_row == 0
    assert row.best_score == pytest.approx(1.0)


def test_percent_pass_rule_and_partial_credit(ctx):
    _engine, db, learner, catalog = ctx
    v = variant(catalog, "ecoute-2")
    # multiple: one right of two, no wrong → partial; ordering right → 1.
    result = quizzes.submit(
        db, learner, v, ticket_for(db, learner, v), {"q1": ["a"], "q2": ["a", "b", "c"]}
    )
    assert 0.5 <= result.attempt.score < 1 and result.attempt.passed  # 50% pass mark


def test_assessed_attempts_are_limited(ctx):
    _engine, db, learner, catalog = ctx
    v = variant(catalog, "ecoute-2")
    for _ in range(2):
        quizzes.submit(db, learner, v, ticket_for(db, learner, v), {})
    assert quizzes.attempts_left(db, learner, v) == 0
    with pytest.raises(quizzes.AttemptsUsed):
        quizzes.open_ticket(db, learner, v)
    # A form numbered past the limit (never issued, but signed) records nothing either.
    with pytest.raises(quizzes.AttemptsUsed):
        quizzes.submit(db, learner, v, ticket_for(db, learner, quizzes_v_free(v), seq=3), {})


def quizzes_v_free(v):
    """The variant as if its quiz allowed any number of attempts (to get a ticket)."""
    return replace(v, quiz=replace(v.quiz, attempts=None))


def test_a_form_numbered_past_the_record_is_stale(ctx):
    _engine, db, learner, catalog = ctx
    v = variant(catalog)
    with pytest.raises(quizzes.StaleForm):
        quizzes.submit(db, learner, v, ticket_for(db, learner, v, seq=3), {"q1": "b"})
    assert db.scalar(select(func.count()).select_from(QuizAttempt)) == 0


def test_the_same_ticket_records_one_attempt(ctx):
    _engine, db, learner, catalog = ctx
    v = variant(catalog)
    ticket = ticket_for(db, learner, v)
    first = quizzes.submit(db, learner, v, ticket, {"q1": "b"})
    again = quizzes.submit(db, learner, v, ticket, {"q1": "a"})
    assert not first.duplicate and again.duplicate
    assert again.attempt.id == first.attempt.id
    db.commit()
    assert db.scalar(select(func.count()).select_from(QuizAttempt)) == 1
    assert progress.summary(db, learner, "ecoute-1").attempts == 1


def test_changed_question_is_reported_not_graded(ctx):
    _engine, db, learner, catalog = ctx
    v = variant(catalog)
    ticket = ticket_for(db, learner, v)
    stale = replace(ticket, versions={**ticket.versions, "q2": "an-older-version"})
    with pytest.raises(quizzes.QuizChanged) as caught:
        quizzes.submit(db, learner, v, stale, {"q1": "b"})
    assert caught.value.question_ids == {"q2"}
    assert db.scalar(select(func.count()).select_from(QuizAttempt)) == 0


def test_attempt_is_pinned_to_its_content_version(ctx):
    _engine, db, learner, catalog = ctx
    v = variant(catalog)
    result = quizzes.submit(db, learner, v, ticket_for(db, learner, v), {"q1": "b"})
    assert result.attempt.content_version == v.version
    assert result.attempt.answers["q1"]["version"] == v.question_versions["q1"]
    assert result.attempt.lang == "fr" and result.attempt.variant == "standard"


def test_two_concurrent_submissions_make_exactly_one_row(ctx):
    engine, db, learner, catalog = ctx
    v = variant(catalog)
    ticket = ticket_for(db, learner, v)
    db.commit()
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def submit_once():
        session = make_session_factory(engine)()

        write_intent.set(True)
        try:
            barrier.wait(timeout=5)  # both start together, before either touches the database
            person = session.get(type(learner), learner.id)
            outcome = quizzes.submit(session, person, v, ticket, {"q1": "b"})
            session.commit()
            outcomes.append(outcome.duplicate)
        except Exception as exc:  # recorded, then asserted: a thread must not hide a failure
            errors.append(repr(exc))
            session.rollback()
        finally:
            session.close()

    threads = [threading.Thread(target=submit_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(outcomes) == [False, True]
    assert db.scalar(select(func.count()).select_from(QuizAttempt)) == 1
    db.expire_all()
    assert progress.summary(db, learner, "ecoute-1").attempts == 1
