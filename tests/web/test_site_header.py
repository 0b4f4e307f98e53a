"""The site header is rendered once per (language, kind of account, reading mode) and kept: each
page must still carry its own address, its session's CSRF token and its reader's menu."""

from __future__ import annotations

import html
import re

import pytest

from learn.models import Role
from tests import factories
from tests.conftest import post_form, sign_in

HEADER_RE = re.compile(r'<header class="site-header">.*?</header>', re.S)


def header(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return HEADER_RE.search(page).group(0)


@pytest.fixture
def people(app):
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, username="lea")
    factories.user(session, org, role=Role.TRAINER, username="tom")
    session.commit()
    session.close()


def test_the_header_is_kept_but_each_page_fills_in_its_own_address_and_token(app, people):
    assert not app.jinja_env.auto_reload  # else nothing would be kept
    first, second = app.test_client(), app.test_client()
    sign_in(first, "lea")
    sign_in(second, "lea")
    one = header(first, "/catalog")
    other = header(second, '/catalog?x="><b>')
    assert app.extensions["learn.site_header"]  # kept
    assert 'name="next" value="/catalog?"' in one
    assert 'name="next" value="/catalog?x=&#34;&gt;&lt;b&gt;"' in other  # escaped, not markup
    assert "<b>" not in other
    tokens = {re.findall(r'name="csrf_token" value="([^"]+)"', h)[0] for h in (one, other)}
    assert len(tokens) == 2  # each session its own token
    assert "@@" not in one + other
    # The kept header's token is this session's: the language form works with it.
    token = re.findall(r'name="csrf_token" value="([^"]+)"', one)[0]
    response = first.post("/language", data={"csrf_token": html.unescape(token), "locale": "en"})
    assert response.status_code == 302
    assert ">Sign out</button>" in header(first, "/catalog")


def test_a_header_kept_for_one_reader_is_not_shown_to_another(app, people):
    learner, trainer, visitor = app.test_client(), app.test_client(), app.test_client()
    sign_in(learner, "lea")
    sign_in(trainer, "tom")
    for _round in range(2):  # the second round reads the kept headers
        seen_by_learner = header(learner, "/catalog")
        seen_by_trainer = header(trainer, "/catalog")
        seen_by_visitor = header(visitor, "/sign-in")
        assert "/trainer" not in seen_by_learner
        assert "/trainer" in seen_by_trainer
        assert "/sign-out" in seen_by_learner and "/sign-out" not in seen_by_visitor
    post_form(learner, "/reading/mode", {"mode": "on", "next": "/catalog"}, form_page="/catalog")
    assert 'aria-pressed="true"' in header(learner, "/catalog")
    assert 'aria-pressed="false"' in header(trainer, "/catalog")
