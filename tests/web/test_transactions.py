"""learn/web/transactions.py: the one owner of a request's transaction.

A writing request commits when its answer is under 400, redirects included: a view that catches
`Invalid` and redirects commits whatever its service flushed before raising. Hence the rule
written there, "services check before they write", held below through the two views that answer
a validation error with a redirect (the self-assessment and the help request)."""

from __future__ import annotations

from flask import redirect
from sqlalchemy import func, select

from learn.extensions import csrf
from learn.models import HelpRequest, Organisation, SelfAssessment
from learn.services.errors import Invalid
from learn.web.transactions import db
from tests.conftest import csrf_token


def slugs(app) -> list[str]:
    """The organisations another connection sees (committed rows only)."""
    with app.extensions["learn.engine"].connect() as conn:
        return conn.execute(select(Organisation.slug)).scalars().all()


def flushing_view(answer):
    """A view whose "service" flushes a row, then raises Invalid; the view answers `answer`."""

    def view():
        try:
            db().add(Organisation(slug="half", name="Half"))
            db().flush()
            raise Invalid("too late: the row is flushed")
        except Invalid:
            return answer()

    return view


def test_a_redirect_after_invalid_commits_what_was_flushed_a_400_does_not(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)
    app.add_url_rule(
        "/test/redirects",
        "redirects",
        csrf.exempt(flushing_view(lambda: redirect("/"))),
        methods=["POST"],
    )
    app.add_url_rule(
        "/test/answers-400",
        "answers_400",
        csrf.exempt(flushing_view(lambda: ("form again", 400))),
        methods=["POST"],
    )
    client = app.test_client()
    assert client.post("/test/answers-400").status_code == 400
    assert "half" not in slugs(app)
    assert client.post("/test/redirects").status_code == 302
    assert "half" in slugs(app)  # why services must raise Invalid before they write


def test_an_exception_escaping_a_view_rolls_its_writes_back(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    def raises():
        db().add(Organisation(slug="broken", name="Broken"))
        db().flush()
        raise Invalid("not caught")

    app.add_url_rule("/test/raises", "raises", csrf.exempt(raises), methods=["POST"])
    assert app.test_client().post("/test/raises").status_code == 500
    assert "broken" not in slugs(app)


def test_views_that_redirect_after_invalid_leave_no_row(env):
    """The self-assessment and the help request answer a validation error with a redirect:
    their services check before they add anything."""
    _app, session, client, learner, _other = env
    token = csrf_token(client, "/modules/ecoute-1/end")
    incomplete = {"csrf_token": token, "o1": "3"}
    assert client.post("/modules/ecoute-1/selfcheck", data=incomplete).status_code == 302
    too_long = {"csrf_token": token, "message": "x" * 2001}
    assert client.post("/modules/ecoute-1/help", data=too_long).status_code == 302
    session.rollback()
    for table in (SelfAssessment, HelpRequest):
        count = session.scalar(
            select(func.count()).select_from(table).where(table.user_id == learner.id)
        )
        assert count == 0, table.__name__
