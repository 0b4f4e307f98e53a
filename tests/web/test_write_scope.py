"""Learner pages that write hold the database for writing only while they write.

SQLite has one writer at a time: a module page that kept its write transaction open while its
template rendered made every other learner's save wait (p99 near a second under load). The visit
is now committed before the page renders, and a quiz submission reads the user, the form and the
grading before it takes the write lock. Each test writes from a second connection that refuses
to wait, at the moment the request used to hold the lock.
"""

from __future__ import annotations

from sqlalchemy import select, text

from learn.models import ModuleProgress, QuizAttempt
from tests.conftest import ON_POSTGRES, csrf_token
from tests.web.test_learner import TICKET_RE


def write_without_waiting(app, user_id: int) -> None:
    """From a second connection: update this learner's progress rows and insert nothing else,
    failing at once if another transaction holds the lock."""
    engine = app.extensions["learn.engine"]
    with engine.connect() as conn:
        if ON_POSTGRES:
            conn.execute(text("SET lock_timeout = '50ms'"))
        else:
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
        conn.execute(
            text("UPDATE module_progress SET active_seconds = active_seconds WHERE user_id = :u"),
            {"u": user_id},
        )
        conn.commit()


def committed_progress(app, user_id: int):
    """What another connection sees of the learner's progress (committed rows only)."""
    engine = app.extensions["learn.engine"]
    with engine.connect() as conn:
        return conn.execute(
            select(ModuleProgress.last_section, ModuleProgress.status).where(
                ModuleProgress.user_id == user_id
            )
        ).all()


def test_module_page_commits_the_visit_before_rendering(env, monkeypatch):
    app, _db, client, learner, _other = env
    from learn.learner import views

    seen = {}
    real_render = views.render_template

    def render(template, **context):
        if template == "learner/read.html":
            seen["committed"] = committed_progress(app, learner.id)
            write_without_waiting(app, learner.id)  # raises if the page still holds the lock
            seen["wrote"] = True
        return real_render(template, **context)

    monkeypatch.setattr(views, "render_template", render)
    assert client.get("/modules/ecoute-1/read/travail").status_code == 200
    assert seen["wrote"]
    assert seen["committed"] == [("travail", "in_progress")]


def test_visit_is_kept_when_the_page_fails_to_render(env, monkeypatch):
    app, _db, client, learner, _other = env
    from learn.learner import views

    def broken(template, **context):
        raise RuntimeError("template failed")

    monkeypatch.setattr(views, "render_template", broken)
    assert client.get("/modules/ecoute-1/read/signes").status_code == 500
    assert committed_progress(app, learner.id) == [("signes", "in_progress")]


def test_quiz_submission_reads_before_it_locks(env, monkeypatch):
    app, _db, client, learner, _other = env
    from learn.learner import quizform

    assert client.get("/modules/ecoute-1/read/travail").status_code == 200
    page = client.get("/modules/ecoute-1/quiz").get_data(as_text=True)
    ticket = TICKET_RE.search(page).group(1)
    token = csrf_token(client, "/modules/ecoute-1/end")
    real_answers = quizform.answers_from_form
    seen = {}

    def answers(questions, form):
        write_without_waiting(app, learner.id)  # the form is read before any write lock
        seen["wrote"] = True
        return real_answers(questions, form)

    monkeypatch.setattr(quizform, "answers_from_form", answers)
    response = client.post(
        "/modules/ecoute-1/quiz", data={"csrf_token": token, "ticket": ticket, "q-q1": "a"}
    )
    assert response.status_code == 302 and seen["wrote"]
    engine = app.extensions["learn.engine"]
    with engine.connect() as conn:
        rows = conn.execute(select(QuizAttempt.seq).where(QuizAttempt.user_id == learner.id))
        assert rows.scalars().all() == [1]
        attempts = conn.scalar(
            select(ModuleProgress.attempts).where(ModuleProgress.user_id == learner.id)
        )
    assert attempts == 1


def test_quiz_that_fails_to_record_leaves_nothing_half_written(env, monkeypatch):
    app, _db, client, learner, _other = env
    from learn.services import quizzes

    page = client.get("/modules/ecoute-1/quiz").get_data(as_text=True)
    ticket = TICKET_RE.search(page).group(1)
    token = csrf_token(client, "/modules/ecoute-1/end")

    def broken(*args, **kwargs):
        raise RuntimeError("progress update failed")

    monkeypatch.setattr(quizzes.progress_service, "record_attempt", broken)
    response = client.post(
        "/modules/ecoute-1/quiz", data={"csrf_token": token, "ticket": ticket, "q-q1": "a"}
    )
    assert response.status_code == 500
    engine = app.extensions["learn.engine"]
    with engine.connect() as conn:
        assert conn.scalar(select(QuizAttempt.id).where(QuizAttempt.user_id == learner.id)) is None


def test_a_write_outside_a_write_block_is_refused_not_lost_silently(app_factory, fixture_catalog):
    """A reading request rolls back at its end: a view that writes there without `writing()`
    gets a 500 (and a log line) instead of a page that says nothing of the lost write."""
    from learn.models import Organisation
    from learn.web.transactions import db, writing

    app = app_factory(LEARN_CATALOG_HOLDER=fixture_catalog, PROPAGATE_EXCEPTIONS=False)

    def forgetful():
        db().add(Organisation(slug="forgotten", name="Forgotten"))
        db().flush()
        return "ok"

    def careful():
        with writing() as session:
            session.add(Organisation(slug="kept", name="Kept"))
        return "ok"

    app.add_url_rule("/test/forgetful", view_func=forgetful)
    app.add_url_rule("/test/careful", view_func=careful)
    client = app.test_client()
    assert client.get("/test/forgetful").status_code == 500
    assert client.get("/test/careful").status_code == 200
    engine = app.extensions["learn.engine"]
    with engine.connect() as conn:
        slugs = conn.execute(select(Organisation.slug)).scalars().all()
    assert "kept" in slugs and "forgotten" not in slugs
