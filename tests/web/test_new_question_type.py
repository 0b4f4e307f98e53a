"""A new question type is one class and one template: a type the app has never seen (a whole
number typed by the learner), registered for this test only, is parsed, shown, read back from the
form, graded, corrected and reported without a line changed anywhere else."""

from __future__ import annotations

import re
import shutil

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from learn.models import QuizAttempt, Role
from learn.modules import QUESTION_TYPES, CatalogHolder
from learn.modules.qtypes.base import GeneralFeedbackType
from tests import factories
from tests.conftest import FIXTURE_CONTENT, sign_in

from .test_learner import quiz_form


class Number(GeneralFeedbackType):
    """A whole number, written `[=] 12` by the author."""

    name = "number"
    markers = "[=] the right number"
    min_options = 1
    max_options = 1
    template = "questions/number.html"

    def marker_ok(self, marker):
        return marker.strip() == "="

    def build(self, draft, ctx):
        for item in draft.options:
            if not item.text.strip().isdigit():
                ctx.error(item.line, "write a whole number")
        return []

    def accepted_answers(self, draft):
        return tuple(item.text.strip() for item in draft.options)

    def answer_error(self, question, answer):
        return None if isinstance(answer, str) and answer.strip().isdigit() else "a number"

    def score(self, question, answer):
        correct = int(answer) == int(question.accept[0])
        return correct, float(correct), self._general(question, correct)

    def right_answer(self, question):
        return question.accept[0]

    def read_form(self, question, form, name):
        return form.get(name, "")[:12] if name in form else None


TEMPLATE = """
{% macro fields(question, options, rights, values, name, lang) %}
<div class="field"><label for="{{ name }}">{{ _("Your answer") }}</label>
<input type="number" id="{{ name }}" name="{{ name }}" value="{{ values.get(name, '') }}"></div>
{% endmacro %}
{% macro correction(question, options, answer) %}
<p class="number-right">{{ answer }} / {{ question.accept[0] }}</p>
{% endmacro %}
"""
QUESTION = """::: question q3 number
Combien font trois fois quatre ?
[=] 12
correct: Bravo.
incorrect: Trois fois quatre font douze.
explanation: Trois fois quatre font douze.
:::"""
TEXT_QUESTION = re.compile(r"::: question q3 text\n.*?\n:::", re.S)


@pytest.fixture
def number_app(app_factory, tmp_path, monkeypatch):
    """The fixture content with ecoute-1's q3 made a number question, served by an app that
    knows the type and its template."""
    monkeypatch.setitem(QUESTION_TYPES, "number", Number())
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for name in ("level-1.fr.md", "level-1.fr.easy.md"):
        path = content / "softskills" / "ecoute" / name
        path.write_text(TEXT_QUESTION.sub(QUESTION, path.read_text(encoding="utf-8")))
    holder = CatalogHolder(content, reload=False)
    assert holder.get().errors == 0, [p.format() for p in holder.get().problems]
    app = app_factory(LEARN_CATALOG_HOLDER=holder)
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({"questions/number.html": TEMPLATE}), app.jinja_env.loader]
    )
    return app


def test_a_new_type_is_one_class_and_one_template(number_app):
    session = number_app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    learner = factories.user(session, org, username="lea")
    factories.user(session, org, Role.TRAINER, username="tom")
    session.commit()
    client = number_app.test_client()
    sign_in(client, "lea")

    page, ticket, token = quiz_form(client, "ecoute-1")
    assert '<input type="number" id="q-q3" name="q-q3"' in page
    answers = {"q-q1": "b", "q-q2": "a", "q-q3": " 12"}
    response = client.post(
        "/modules/ecoute-1/quiz", data={"csrf_token": token, "ticket": ticket, **answers}
    )
    assert response.status_code == 302
    attempt = session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == learner.id)).one()
    assert attempt.answers["q3"]["answer"] == " 12" and attempt.answers["q3"]["correct"] is True
    corrections = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<p class="number-right"> 12 / 12</p>' in corrections

    trainer = number_app.test_client()
    sign_in(trainer, "tom")
    record = trainer.get(f"/trainer/learners/{learner.id}")
    assert record.status_code == 200 and "Combien font trois fois quatre ?" in record.get_data(
        as_text=True
    )
    assert trainer.get("/trainer/questions?module=ecoute-1").status_code == 200
    session.close()
