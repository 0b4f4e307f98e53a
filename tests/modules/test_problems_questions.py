"""One test per problem of a question block: the file, the exact line, the message."""

from __future__ import annotations

import pytest

from .conftest import QUESTIONS, SS, STD, break_file, find, line_of

# (file, text to replace, replacement, text of the line reported, message fragment[, nth])
CASES = {
    "question-no-correct": (
        STD,
        "[x] Vous reformulez la consigne.",
        "[ ] Vous reformulez la consigne.",
        "::: question q1",
        "exactly one correct option [x], not 0",
    ),
    "question-two-correct": (
        STD,
        "[ ] Vous attendez.",
        "[x] Vous attendez.",
        "::: question q1",
        "exactly one correct option [x], not 2",
    ),
    "multiple-no-correct": (
        STD,
        "[x] Reformuler.\n    > Oui.\n[x] Poser",
        "[ ] Reformuler.\n    > Oui.\n[ ] Poser",
        "::: question q2",
        "needs at least one correct option",
    ),
    "truefalse-three": (
        STD,
        "[x] Faux",
        "[ ] Peut-être\n    > Non.\n[x] Faux",
        "::: question q3",
        "exactly 2 options",
    ),
    "single-one-option": (
        STD,
        "[ ] Vous faites comme la semaine d'avant.\n    > Les règles ont peut-être "
        "changé.\n[x] Vous reformulez la consigne.\n    > Oui. Vous vérifiez "
        "que vous avez compris.\n[ ] Vous attendez.\n    > Vous perdez du temps."
        "\n",
        "[x] Vous reformulez.\n    > Oui.\n",
        "::: question q1",
        "at least 2 options",
    ),
    "option-feedback-missing": (
        STD,
        "[ ] Vous attendez.\n    > Vous perdez du temps.\n",
        "[ ] Vous attendez.\n",
        "[ ] Vous attendez.",
        "option c has no feedback",
    ),
    "explanation-missing": (
        STD,
        "explanation: Reformuler aide à vérifier une consigne.\n",
        "",
        "::: question q1",
        "no 'explanation: ...' line",
    ),
    "ordering-numbers": (
        STD,
        "[2] Reformuler.",
        "[3] Reformuler.",
        "[3] Reformuler.",
        "[2] was expected here, not [3]",
    ),
    "ordering-no-feedback": (
        STD,
        "correct: Bravo.\nincorrect: On écoute",
        "incorrect: On écoute",
        "::: question q4",
        "needs a 'correct: ...' line",
    ),
    "ordering-option-feedback": (
        STD,
        "[2] Reformuler.",
        "[2] Reformuler.\n    > Bien.",
        "[2] Reformuler.",
        "no feedback per option",
    ),
    "choice-general-feedback": (
        STD,
        "explanation: Reformuler aide",
        "correct: Bien.\nexplanation: Reformuler aide",
        "correct: Bien.",
        "not in a 'correct:' line",
    ),
    "matching-arrow": (
        STD,
        "[=] Demander => Préciser.",
        "[=] Demander -> Préciser.",
        "[=] Demander",
        "'=>' is missing",
    ),
    "matching-duplicate-right": (
        STD,
        "[=] Noter => Se souvenir.",
        "[=] Noter => Préciser.",
        "[=] Noter",
        "'Préciser.' is already used",
    ),
    "text-no-accept": (
        STD,
        "[accept] reformuler\n[accept] la reformulation\n",
        "",
        "::: question q6",
        "at least 1 options",
    ),
    "wrong-marker": (
        STD,
        "[1] Écouter la consigne.",
        "[x] Écouter la consigne.",
        "[x] Écouter la consigne.",
        "is not an option of an ordering question",
    ),
    "question-type": (
        STD,
        "::: question q6 text",
        "::: question q6 texte",
        "::: question q6",
        "unknown question type 'texte'",
    ),
    "question-header": (
        STD,
        "::: question q6 text",
        "::: question",
        "::: question",
        "a question starts with '::: question <id> <type>'",
        6,
    ),
    "question-id": (
        STD,
        "::: question q6 text",
        "::: question Q_6 text",
        "Q_6",
        "the question id 'Q_6' is not valid",
    ),
    "question-id-twice": (
        STD,
        "::: question q6 text",
        "::: question q1 text",
        "::: question q1",
        "the question id 'q1' is used twice",
        2,
    ),
    "question-no-text": (
        STD,
        "Reliez chaque geste à son effet.\n",
        "",
        "::: question q5",
        "the question has no text",
    ),
    "question-stray-line": (
        STD,
        "[ ] Vous attendez.\n    > Vous perdez du temps.\n",
        "[ ] Vous attendez.\n    > Vous perdez du temps.\nEt puis ?\n",
        "Et puis ?",
        "this line is not an option",
    ),
    "question-level-outside-placement": (
        STD,
        "::: question q6 text",
        "::: question q6 text level=2",
        "::: question q6",
        "only questions of a placement questionnaire",
    ),
    "quiz-without-questions": (f"{SS}/level-2.fr.md", QUESTIONS, "", "quiz:", "'quiz' is set but"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_question_problem(tree, case):
    rel, old, new, needle, fragment, *nth = case
    text = break_file(tree, rel, old, new)
    find(tree.load().problems, tree.path(rel), line_of(text, needle, *nth), fragment)


def test_questions_without_a_quiz_key(tree):
    text = break_file(tree, STD, "quiz:\n  mode: practice\n  pass: 80%\n", "")
    find(tree.load().problems, tree.path(STD), line_of(text, "::: question q1"), "no 'quiz' key")
