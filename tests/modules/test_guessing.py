"""The test-wise guesser: its rules on small quizzes, `learn content stats`, and the shipped content
(a learner who reads nothing passes at most 5 % of the quizzes and no placement above level 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from learn.config import PROJECT_ROOT
from learn.modules.cli import main
from learn.modules.guessing import (
    STRATEGIES,
    answerer,
    guess_answers,
    guesser_passes,
    guesser_placement,
)
from learn.modules.model import ModuleVariant, Option, Question, QuizRules
from learn.modules.stats import all_variants

from .conftest import STD, break_file

CONTENT = PROJECT_ROOT / "content"
MAX_PASS_SHARE = 0.05


def question(qid: str, qtype: str, texts: list[str], right=(0,), level: int | None = None):
    options = tuple(
        Option(id="abcdefgh"[i], text=t, text_html=t, correct=i in right)
        for i, t in enumerate(texts)
    )
    return Question(id=qid, type=qtype, text="?", text_html="?", options=options, level=level)


def quiz(*questions: Question, rules: QuizRules | None = None, kind: str = "module"):
    return ModuleVariant(
        id="m",
        kind=kind,
        title="M",
        lang="fr",
        variant="standard",
        course="softskills",
        quiz=rules or QuizRules(pass_percent=80),
        questions=questions,
        path="m.fr.md",
    )


SINGLE = question("q1", "single", ["Court.", "Une option bien plus longue.", "Moyenne ici."], (1,))
TIE = question("q2", "single", ["Quatre mots ici.", "Quatre mots là.", "Bref."])
TF_FAUX_FIRST = question("q3", "truefalse", ["Faux", "Vrai"])
TF_ENGLISH = question("q4", "truefalse", ["True", "False"], (1,))
MULTIPLE_5 = question("q5", "multiple", ["aaaa", "a", "aaaaa", "aa", "aaa"], (0, 2, 4))
MULTIPLE_3 = question("q6", "multiple", ["aaaa", "a", "aa"], (0,))
ORDERING = question("q7", "ordering", ["Un.", "Deux."], ())
MATCHING = question("q8", "matching", ["Un.", "Deux."], ())


def test_longest_picks_the_longest_option_faux_and_the_three_longest():
    answer = answerer("longest")
    assert answer(SINGLE) == "b"
    assert answer(TIE) == "a"  # on a tie, the first of the longest
    assert answer(TF_FAUX_FIRST) == "a"
    assert answer(TF_ENGLISH) == "b"
    assert answer(MULTIPLE_5) == ["c", "a", "e"]
    assert sorted(answer(MULTIPLE_3)) == ["a", "b", "c"]


def test_shortest_picks_the_shortest_option_vrai_and_one_option():
    answer = answerer("shortest")
    assert answer(SINGLE) == "a"
    assert answer(TIE) == "c"
    assert answer(TF_FAUX_FIRST) == "b"
    assert answer(TF_ENGLISH) == "a"
    assert answer(MULTIPLE_5) == ["b"]


def test_a_position_is_the_same_option_everywhere():
    assert answerer("position-0")(SINGLE) == "a"
    assert answerer("position-2")(SINGLE) == "c"
    assert answerer("position-3")(SINGLE) == "c"  # fewer options: the last one
    assert answerer("position-3")(TF_FAUX_FIRST) == "b"
    assert answerer("position-2")(TF_FAUX_FIRST) == "a"
    assert answerer("position-1")(MULTIPLE_5) == ["b"]


def test_ordering_and_matching_are_left_wrong():
    for strategy in STRATEGIES:
        assert guess_answers([ORDERING, MATCHING, SINGLE], strategy).keys() == {"q1"}


def test_unknown_strategy():
    with pytest.raises(ValueError, match="unknown strategy"):
        answerer("random")


def test_the_guesser_is_graded_by_the_quiz_pass_mark():
    four_of_five = (SINGLE, TF_FAUX_FIRST, TF_ENGLISH, MULTIPLE_5, ORDERING)
    assert guesser_passes(quiz(*four_of_five), "longest")  # 80 %
    assert not guesser_passes(quiz(*four_of_five, rules=QuizRules(pass_correct=5)), "longest")
    assert not guesser_passes(quiz(*four_of_five, rules=QuizRules(pass_percent=90)), "longest")
    assert not guesser_passes(quiz(*four_of_five), "shortest")  # 0 of 5
    assert not guesser_passes(quiz(), "longest")


def test_the_guesser_rates_4_of_4_and_gets_the_placement_rule():
    level_1 = question("p1", "single", ["Court.", "Bien plus long, celle-ci."], (1,), level=1)
    level_2 = question("p2", "truefalse", ["Vrai", "Faux"], (1,), level=2)
    level_3 = question("p3", "single", ["Longue, la bonne réponse.", "Non."], (0,), level=3)
    placement = quiz(level_1, level_2, level_3, kind="placement")
    assert guesser_placement(placement, "longest") == 4
    assert guesser_placement(placement, "shortest") == 1
    assert guesser_placement(placement, "position-1") == 3  # p1 and p2 right, p3 wrong


def test_stats_on_a_small_tree(tree, capsys):
    assert main(["stats", str(tree.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    at = out.index("softskills level 1 fr standard: 1 quiz, 36 words per module")
    assert out[at + 1] == "  correct option strictly the longest: 0 of 1 single questions (0 %)"
    assert out[at + 2].startswith("  guesser passes: longest 0 (0 %) · shortest 0 (0 %)")
    assert out[at + 3] == "  correct positions (single, multiple): a 1 · b 2"
    assert out[at + 4] == "  true/false keys: Faux 1"
    assert out[at + 5] == "  multiple questions by number of correct options: 2 correct: 1"
    assert "softskills level 1 fr easy: 1 quiz, 36 words per module (100 % of the standard's)" in (
        out
    )
    assert "softskills fr standard: 1 questionnaire" in out
    assert out[-3].startswith(
        "  highest level earned: longest 1 (0 above level 1) · shortest 4 (1 above level 1)"
    )
    assert out[-1].startswith("Pictograms per easy-read part: min 0, median 0, max 0 over 8 parts")


def test_stats_count_a_quiz_the_guesser_passes(tree, capsys):
    text = break_file(tree, STD, "pass: 80%", "pass: 1/6")
    break_file(
        tree, STD, "[ ] Vous faites comme la semaine d'avant.", "[ ] Vous faites comme avant.", text
    )
    assert main(["stats", tree.path("softskills")]) == 0
    out = capsys.readouterr().out.splitlines()
    at = out.index("softskills level 1 fr standard: 1 quiz, 36 words per module")
    assert out[at + 1] == "  correct option strictly the longest: 1 of 1 single questions (100 %)"
    assert out[at + 2].startswith("  guesser passes: longest 1 (100 %)")
    assert not any(line.startswith("entrepreneurship") for line in out)


def _shown(path: str) -> str:
    return str(Path(path).relative_to(PROJECT_ROOT))


@pytest.fixture(scope="module")
def shipped():
    return all_variants(CONTENT)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_guesser_fails_the_shipped_quizzes(shipped, strategy):
    quizzes = [v for v in shipped if v.kind == "module" and v.questions]
    passed = sorted(_shown(v.path) for v in quizzes if guesser_passes(v, strategy))
    assert quizzes
    assert len(passed) <= MAX_PASS_SHARE * len(quizzes), (
        f"a learner who reads nothing and follows the rule '{strategy}' passes "
        f"{len(passed)} of {len(quizzes)} quizzes (at most {MAX_PASS_SHARE:.0%}):\n"
        + "\n".join(passed)
    )


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_guesser_earns_no_placement_above_level_1(shipped, strategy):
    placements = [v for v in shipped if v.kind == "placement"]
    above = sorted(
        f"{_shown(v.path)}: level {level}"
        for v in placements
        if (level := guesser_placement(v, strategy)) > 1
    )
    assert placements
    assert not above, (
        f"a learner who reads nothing, rates 4 of 4 and follows the rule '{strategy}' is placed "
        "above level 1 by:\n" + "\n".join(above)
    )


def test_learn_content_stats(tree):
    from click.testing import CliRunner

    from learn import cli as app_cli

    result = CliRunner().invoke(app_cli.main, ["content", "stats", str(tree.root)])
    assert result.exit_code == 0
    assert "softskills level 1 fr standard: 1 quiz, 36 words per module" in result.output
