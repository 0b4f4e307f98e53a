"""`learn content check` warns per quiz about the tells a learner who reads nothing can follow."""

from __future__ import annotations

from click.testing import CliRunner

from learn import cli as app_cli
from learn.modules.cli import main

from .conftest import FILES, QUESTIONS, SS, STD, break_file, find, line_of

PLACEMENT = f"{SS}/placement.fr.md"


def choice(qid: str, qtype: str, options: list[tuple[bool, str]]) -> str:
    """A question block with these (correct, text) options, each with its feedback."""
    lines = [f"::: question {qid} {qtype}", "Que faites-vous au travail ?"]
    for correct, text in options:
        lines += [f"[{'x' if correct else ' '}] {text}", "    > Parce que."]
    return "\n".join(lines + ["explanation: Voilà pourquoi.", ":::", ""])


def with_questions(tree, *blocks: str) -> str:
    """Write the standard module with these questions instead of the fixture's."""
    return break_file(tree, STD, QUESTIONS, "\n".join(blocks))


def messages(tree, rel: str = STD) -> list[str]:
    return [p.message for p in tree.load().problems if p.path == tree.path(rel) and not p.is_error]


def test_the_fixture_quizzes_have_no_tell(tree):
    assert not [m for m in messages(tree) if "correct" in m or "true/false" in m]
    assert not [m for m in messages(tree, PLACEMENT) if "correct" in m]


def test_correct_option_longest_in_more_than_half_of_the_singles(tree):
    text = break_file(
        tree, STD, "[ ] Vous faites comme la semaine d'avant.", "[ ] Vous faites comme avant."
    )
    find(
        tree.load().problems,
        tree.path(STD),
        line_of(text, "::: question q1"),
        "the correct option is strictly the longest in 1 of 1 single-choice questions (q1)",
        "warning",
    )


def test_half_of_the_singles_is_not_more_than_half(tree):
    long_right = [(False, "Vous partez."), (True, "Vous reformulez la consigne.")]
    short_right = [(True, "Vous partez."), (False, "Vous reformulez la consigne.")]
    with_questions(tree, choice("q1", "single", long_right), choice("q2", "single", short_right))
    assert not [m for m in messages(tree) if "strictly the longest" in m]
    with_questions(tree, choice("q1", "single", long_right), choice("q2", "single", long_right))
    assert [m for m in messages(tree) if "longest in 2 of 2" in m]


def test_a_tie_for_the_longest_is_no_tell(tree):
    tie = [(False, "Vous attendez."), (True, "Vous demandez."), (False, "Vous partez.")]
    with_questions(tree, choice("q1", "single", tie), choice("q2", "single", tie))
    assert not [m for m in messages(tree) if "strictly the longest" in m]


def test_correct_options_all_in_the_first_half(tree):
    four = ["Vous attendez.", "Vous demandez.", "Vous répétez.", "Vous partez."]
    top = [(i == 1, t) for i, t in enumerate(four)]
    both_top = [(i < 2, t) for i, t in enumerate(four)]
    text = with_questions(tree, choice("q1", "single", top), choice("q2", "multiple", both_top))
    find(
        tree.load().problems,
        tree.path(STD),
        line_of(text, "::: question q1"),
        "the correct options are all in the first half of the options",
        "warning",
    )
    # the middle one of three options is not in the first half
    three = [(i == 1, t) for i, t in enumerate(four[:3])]
    with_questions(tree, choice("q1", "single", top), choice("q2", "single", three))
    assert not [m for m in messages(tree) if "first half" in m]


def test_truefalse_answers_all_the_same(tree):
    false = [(False, "Vrai"), (True, "Faux")]
    true = [(True, "Vrai"), (False, "Faux")]
    text = with_questions(tree, choice("q1", "truefalse", false), choice("q2", "truefalse", false))
    find(
        tree.load().problems,
        tree.path(STD),
        line_of(text, "::: question q1"),
        "the 2 true/false questions all have the same answer 'Faux'",
        "warning",
    )
    with_questions(tree, choice("q1", "truefalse", false), choice("q2", "truefalse", true))
    assert not [m for m in messages(tree) if "true/false" in m]
    with_questions(tree, choice("q1", "truefalse", false))  # one question is no pattern
    assert not [m for m in messages(tree) if "true/false" in m]


def test_multiple_questions_all_with_the_same_number_of_correct_options(tree):
    texts = ["Reformuler.", "Noter.", "Demander.", "Attendre."]
    two = [(i in (0, 2), t) for i, t in enumerate(texts)]
    other_two = [(i in (1, 3), t) for i, t in enumerate(texts)]
    three = [(i != 1, t) for i, t in enumerate(texts)]
    text = with_questions(tree, choice("q1", "multiple", two), choice("q2", "multiple", other_two))
    find(
        tree.load().problems,
        tree.path(STD),
        line_of(text, "::: question q1"),
        "every multiple question has 2 correct options",
        "warning",
    )
    with_questions(tree, choice("q1", "multiple", two), choice("q2", "multiple", three))
    assert not [m for m in messages(tree) if "every multiple" in m]


def test_placement_questionnaires_are_checked_too(tree):
    text = break_file(
        tree,
        PLACEMENT,
        "[ ] Se taire pendant que l'autre parle.",
        "[ ] Se taire.",
        FILES[PLACEMENT],
    )
    text = break_file(
        tree,
        PLACEMENT,
        "[ ] Vous attendez la pause pour en parler à votre chef.",
        "[ ] Vous partez.",
        text,
    )
    find(
        tree.load().problems,
        tree.path(PLACEMENT),
        line_of(text, "::: question p1"),
        "longest in 2 of 2 single-choice questions (p1, p3)",
        "warning",
    )


def test_strict_turns_warnings_into_errors(tree, capsys):
    assert main(["check", str(tree.root)]) == 0
    capsys.readouterr()
    assert main(["check", "--strict", str(tree.root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"2 errors, 0 warnings in {len(FILES)} files"
    assert f"{tree.path('softskills/skills.yaml')}:5: error: the programme has 20 " in out[0]
    assert main(["check", "--strict", tree.path(STD)]) == 0


def test_learn_content_check_has_strict(tree):
    runner = CliRunner()
    assert runner.invoke(app_cli.main, ["content", "check", str(tree.root)]).exit_code == 0
    result = runner.invoke(app_cli.main, ["content", "check", "--strict", str(tree.root)])
    assert result.exit_code == 1
    assert "2 errors, 0 warnings" in result.output
