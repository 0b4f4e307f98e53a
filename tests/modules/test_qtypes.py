"""The question-type registry: each type carries its form reading, right answer, description,
template and shuffle rule, and no other part of the app branches on a type's name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, nodes
from werkzeug.datastructures import MultiDict

import learn
from learn.modules import QUESTION_TYPES, Question, grade, question_type

LEARN = Path(learn.__file__).parent
TYPE_BRANCH = re.compile(r"(question\.type|q\.type|type_name) *(==|!=|not in|in) *[(\"'A-Z]")
# Content analyses about choice questions in particular (key balance, the test-wise guesser and
# their figures): a new type needs nothing there.
ANALYSES = {"modules/keys.py", "modules/guessing.py", "modules/stats.py"}


@pytest.fixture
def questions(tree) -> dict[str, Question]:
    return {q.id: q for q in tree.load().variant("ecoute-1", "fr").questions}


# What a learner sends for the right answer, field by field, as the type's template names them.
RIGHT_FORMS = {
    "q1": [("q-q1", "b")],
    "q2": [("q-q2-present", "1"), ("q-q2", "a"), ("q-q2", "b")],
    "q3": [("q-q3", "b")],
    "q4": [("q-q4-1", "a"), ("q-q4-2", "b"), ("q-q4-3", "c")],
    "q5": [("q-q5-a", "a"), ("q-q5-b", "b"), ("q-q5-c", "c")],
    "q6": [("q-q6", "Reformuler")],
}


@pytest.mark.parametrize("qid", RIGHT_FORMS)
def test_each_type_reads_its_form_and_knows_its_right_answer(questions, qid):
    question = questions[qid]
    qtype = question_type(question)
    answer = qtype.read_form(question, MultiDict(RIGHT_FORMS[qid]), f"q-{qid}")
    assert grade(question, answer).correct
    assert grade(question, qtype.right_answer(question)).correct
    assert qtype.read_form(question, MultiDict(), f"q-{qid}") is None  # left out
    assert qtype.describe(question, answer)


def test_descriptions_use_the_options_texts(questions):
    def describe(qid, answer):
        return question_type(questions[qid]).describe(questions[qid], answer)

    assert describe("q1", "b") == questions["q1"].options[1].text
    assert describe("q4", ["c", "a", "b"]).count(" → ") == 2
    assert describe("q5", {"a": "a"}).endswith(questions["q5"].options[0].right)
    assert describe("q6", "reformuler") == "reformuler"
    assert describe("q2", "not a list") == "not a list"  # a malformed stored answer stays readable


def test_only_text_answers_are_listed_as_typed(questions):
    typed = {qid: question_type(q).typed_text("  Ré  formuler ") for qid, q in questions.items()}
    assert typed == {
        "q1": None,
        "q2": None,
        "q3": None,
        "q4": None,
        "q5": None,
        "q6": "Ré formuler",
    }
    text = questions["q6"]
    assert question_type(text).typed_text("   ") is None
    assert question_type(text).wrong_parts(text, "Écouter !") == ["ecouter"]


@pytest.mark.parametrize("name", sorted(QUESTION_TYPES))
def test_each_type_has_a_template_with_its_two_macros(name):
    env = Environment(loader=FileSystemLoader(LEARN / "templates"), autoescape=True)
    env.add_extension("jinja2.ext.i18n")
    template = QUESTION_TYPES[name].template
    source = env.loader.get_source(env, template)[0]
    macros = {
        node.name: [a.name for a in node.args] for node in env.parse(source).find_all(nodes.Macro)
    }
    assert macros["fields"] == ["question", "options", "rights", "values", "name", "lang"]
    assert macros["correction"] == ["question", "options", "answer"]


def test_no_branch_on_a_type_name_outside_the_registry():
    found = []
    for path in sorted(LEARN.rglob("*")):
        rel = path.relative_to(LEARN).as_posix()
        if (
            path.suffix not in (".py", ".html")
            or rel.startswith("modules/qtypes/")
            or rel in ANALYSES
        ):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TYPE_BRANCH.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert found == [], "ask the type (question_type(question)) instead"
