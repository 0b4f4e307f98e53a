"""Grading of every question type, quiz pass rules and the placement recommendation."""

from __future__ import annotations

import pytest

from learn.modules import (
    MAX_TEXT_ANSWER,
    Option,
    Question,
    QuizRules,
    grade,
    grade_quiz,
    normalize_text,
    recommend_level,
)


@pytest.fixture
def questions(tree) -> dict[str, Question]:
    variant = tree.load().variant("ecoute-1", "fr")
    return {q.id: q for q in variant.questions}


@pytest.fixture
def placement(tree):
    return tree.load().placement("ecoute", "fr")


RIGHT = {
    "q1": "b",
    "q2": ["a", "b"],
    "q3": "b",
    "q4": ["a", "b", "c"],
    "q5": {"a": "a", "b": "b", "c": "c"},
    "q6": "  Reformuler ! ",
}


def test_parsed_questions(questions):
    assert [q.type for q in questions.values()] == [
        "single", "multiple", "truefalse", "ordering", "matching", "text",
    ]  # fmt: skip
    assert [o.id for o in questions["q1"].options] == ["a", "b", "c"]
    assert questions["q4"].options[2].position == 3
    assert questions["q5"].options[1].text == "Demander" and questions["q5"].options[1].right
    assert questions["q6"].accept == ("reformuler", "la reformulation")


@pytest.mark.parametrize("qid", RIGHT)
def test_right_answer(questions, qid):
    result = grade(questions[qid], RIGHT[qid])
    assert (result.correct, result.score, result.error) == (True, 1.0, None)
    assert result.explanation == questions[qid].explanation_html


def test_single_wrong_answer_gives_its_feedback(questions):
    result = grade(questions["q1"], "c")
    assert (result.correct, result.score) == (False, 0.0)
    assert result.feedback == (("c", "Vous perdez du temps."),)


def test_truefalse_wrong(questions):
    assert grade(questions["q3"], "a").correct is False


def test_multiple_partial_credit(questions):
    q = questions["q2"]
    assert grade(q, ["a"]).score == 0.5 and not grade(q, ["a"]).correct
    assert grade(q, ["a", "c"]).score == 0.0
    assert grade(q, ["a", "b", "c"]).score == 0.5 and not grade(q, ["a", "b", "c"]).correct
    assert grade(q, []).score == 0.0
    assert grade(q, ("b", "a")).correct
    assert [oid for oid, _ in grade(q, ["a", "c"]).feedback] == ["a", "c"]


def test_ordering_partial_credit(questions):
    q = questions["q4"]
    result = grade(q, ["a", "c", "b"])
    assert (result.correct, result.score) == (False, pytest.approx(1 / 3))
    assert result.feedback == (("", q.incorrect_feedback_html),)
    assert grade(q, ["c", "a", "b"]).score == 0.0
    assert grade(q, ["a", "b", "c"]).feedback == (("", "Bravo."),)


def test_matching_partial_credit(questions):
    q = questions["q5"]
    result = grade(q, {"a": "b", "b": "a", "c": "c"})
    assert (result.correct, result.score) == (False, pytest.approx(1 / 3))
    assert grade(q, {"a": "a", "b": "a", "c": "a"}).score == pytest.approx(1 / 3)


def test_text_answers_ignore_case_accents_punctuation_and_spaces(questions):
    q = questions["q6"]
    for answer in ("REFORMULER", "reformulér", "  la   reformulation. ", "La Reformulation !"):
        assert grade(q, answer).correct, answer
    assert not grade(q, "écouter").correct
    assert not grade(q, "").correct and grade(q, "").error is None


def test_normalize_text():
    assert normalize_text("  L'Écoute   ACTIVE ! ") == "l ecoute active"
    assert normalize_text("Œuvre") == "oeuvre"


MALFORMED = [
    ("q1", None), ("q1", 1), ("q1", ["b"]), ("q1", "z"), ("q1", {"b": 1}),
    ("q3", True), ("q3", "c"),
    ("q2", "a"), ("q2", ["a", "a"]), ("q2", ["z"]), ("q2", [1]), ("q2", {"a": 1}), ("q2", [["a"]]),
    ("q4", ["a", "b"]), ("q4", ["a", "b", "b"]), ("q4", ["a", "b", "z"]), ("q4", "abc"),
    ("q4", {"a", "b", "c"}), ("q4", ["a", "b", "c", "a"]),
    ("q5", ["a", "b", "c"]), ("q5", {"a": "a", "b": "b"}), ("q5", {"a": "a", "b": "b", "z": "c"}),
    ("q5", {"a": "a", "b": "b", "c": "z"}), ("q5", {"a": "a", "b": "b", "c": 3}),
    ("q6", 42), ("q6", ["reformuler"]), ("q6", "x" * (MAX_TEXT_ANSWER + 1)), ("q6", b"bytes"),
]  # fmt: skip


@pytest.mark.parametrize(("qid", "answer"), MALFORMED)
def test_malformed_answer_is_an_error_value_not_an_exception(questions, qid, answer):
    result = grade(questions[qid], answer)
    assert result.error
    assert (result.correct, result.score, result.feedback) == (False, 0.0, ())


def test_text_answer_at_the_size_limit_is_graded(questions):
    assert grade(questions["q6"], "x" * MAX_TEXT_ANSWER).error is None


def test_quiz_percent_rule(questions):
    rules = QuizRules(mode="practice", pass_percent=80)
    qs = list(questions.values())
    answers = dict(RIGHT)
    result = grade_quiz(rules, qs, answers)
    assert (result.score, result.correct_count, result.total, result.passed) == (1.0, 6, 6, True)
    answers["q2"] = ["a"]  # 5.5 / 6 = 91.7 %
    assert grade_quiz(rules, qs, answers).passed
    answers["q4"] = ["c", "a", "b"]  # 4.5 / 6 = 75 %
    result = grade_quiz(rules, qs, answers)
    assert result.score == pytest.approx(0.75) and not result.passed


def test_quiz_percent_boundary():
    rules = QuizRules(pass_percent=50)
    question = Question(
        "t", "truefalse", "T", "<p>T</p>",
        options=(Option("a", "Vrai", "Vrai", True), Option("b", "Faux", "Faux", False)),
    )  # fmt: skip
    other = Question("u", question.type, "U", "<p>U</p>", options=question.options)
    assert grade_quiz(rules, [question, other], {"t": "a", "u": "b"}).passed  # exactly 50 %
    assert not grade_quiz(QuizRules(pass_percent=51), [question, other], {"t": "a"}).passed


def test_quiz_m_of_n_rule(questions):
    qs = list(questions.values())
    answers = dict(RIGHT, q2=["a"], q4=["b", "a", "c"])  # 4 correct of 6
    assert grade_quiz(QuizRules(pass_correct=4, pass_total=6), qs, answers).passed
    assert not grade_quiz(QuizRules(pass_correct=5, pass_total=6), qs, answers).passed


def test_quiz_counts_missing_and_malformed_answers_as_wrong(questions):
    qs = list(questions.values())
    result = grade_quiz(QuizRules(pass_percent=50), qs, {"q1": "b", "q2": "nope", "zz": "a"})
    assert result.correct_count == 1 and not result.passed
    assert result.errors["q3"] == "no answer given"
    assert result.errors["zz"] == "unknown question"
    assert "q2" in result.errors and result.results["q1"].correct


def test_quiz_with_junk_answers_does_not_raise(questions):
    result = grade_quiz(QuizRules(pass_percent=80), list(questions.values()), None)
    assert result.total == 6 and not result.passed


def test_placement_recommendation(placement):
    right = {"p1": "a", "p2": "a", "p3": "b"}
    good = {"level-1": 4, "level-2": 3, "level-3": 3}
    assert recommend_level(placement, good, right) == 4
    assert recommend_level(placement, dict(good, **{"level-3": 2}), right) == 3
    assert recommend_level(placement, good, dict(right, p2="b")) == 2
    assert recommend_level(placement, dict(good, **{"level-1": 2}), right) == 1
    # proven levels count only in a row from level 1
    assert recommend_level(placement, dict(good, **{"level-2": 1}), right) == 2
    assert recommend_level(placement, {}, {}) == 1
    assert recommend_level(placement, {"level-1": "4"}, right) == 1
    assert recommend_level(placement, None, None) == 1
