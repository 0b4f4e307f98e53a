"""The easy-read lint: sentence length, italics, capitals, abbreviations (easy variants only)."""

from __future__ import annotations

import pytest

from learn.modules.lint import lint_easy

from .conftest import EASY, FILES, STD, break_file, find, line_of

SIXTEEN = (
    "Un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize."
)
TWENTY_ONE = SIXTEEN[:-1] + " dix-sept dix-huit dix-neuf vingt vingt-et-un."

# (old, new, line reported, fragment, severity)
CASES = {
    "sentence-16": (
        "Samia reformule la consigne.",
        SIXTEEN,
        "Un deux",
        "a sentence of 16 words",
        "warning",
    ),
    "sentence-21": (
        "Samia reformule la consigne.",
        TWENTY_ONE,
        "Un deux",
        "a sentence of 21 words (over 20)",
        "error",
    ),
    "sentence-in-question": (
        "Mettez les étapes dans l'ordre.",
        SIXTEEN,
        "Un deux",
        "a sentence of 16 words",
        "warning",
    ),
    "sentence-in-feedback": (
        "    > Vous perdez du temps.",
        "    > " + TWENTY_ONE,
        "Un deux",
        "over 20",
        "error",
    ),
    "sentence-in-title": (
        'title: "Écouter : comprendre une consigne"',
        f'title: "{SIXTEEN}"',
        "title:",
        "a sentence of 16 words",
        "warning",
    ),
    "italics-star": (
        "Samia reformule la consigne.",
        "Samia *reformule* la consigne.",
        "Samia",
        "italics",
        "error",
    ),
    "italics-underscore": (
        "Samia reformule la consigne.",
        "Samia _reformule_ la consigne.",
        "Samia",
        "italics",
        "error",
    ),
    "capitals": (
        "Samia reformule la consigne.",
        "Samia signe un CDI.",
        "Samia",
        "'CDI' is in capitals",
        "warning",
    ),
    "abbreviation-etc": (
        "Samia reformule la consigne.",
        "Samia range, nettoie, etc.",
        "Samia",
        "abbreviation 'etc.'",
        "warning",
    ),
    "abbreviation-mme": (
        "Samia reformule la consigne.",
        "Mme Martin reformule.",
        "Mme Martin",
        "abbreviation 'Mme'",
        "warning",
    ),
    "abbreviation-numero": (
        "Samia reformule la consigne.",
        "Le bac n° 3.",
        "Le bac",
        "abbreviation 'n°'",
        "warning",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_easy_read_rule(tree, case):
    old, new, needle, fragment, severity = case
    text = break_file(tree, EASY, old, new, FILES[EASY])
    find(tree.load().problems, tree.path(EASY), line_of(text, needle), fragment, severity)


def test_the_standard_variant_is_not_held_to_easy_read_length(tree):
    break_file(tree, STD, "Samia reformule la consigne.", TWENTY_ONE)
    assert not [p for p in tree.load().problems if p.path == tree.path(STD)]


def test_capitals_of_a_glossary_term_are_allowed(tree):
    text = break_file(tree, EASY, "Samia reformule la consigne.", "Samia signe avec [[ESUS]].")
    text = break_file(tree, EASY, "::: glossary\n", "::: glossary\nESUS: un agrément.\n", text)
    assert not [p for p in tree.load().problems if "capitals" in p.message]


def test_fifteen_words_is_fine_and_lines_end_sentences():
    fifteen = " ".join(["mot"] * 15)
    lines = [(1, fifteen), (2, "- " + fifteen), (3, "## " + fifteen + " {#partie}")]
    assert lint_easy(lines, set()) == []


def test_sentences_end_at_colon_and_question_marks():
    line = " ".join(["mot"] * 10) + " : " + " ".join(["mot"] * 10) + " ? " + "fin"
    assert lint_easy([(1, line)], set()) == []


def test_links_and_marks_count_only_their_visible_words():
    line = "Voir [cette page](https://example.org/a_b_c) et [[un mot|terme]] avec **force**."
    assert lint_easy([(1, line)], {"terme"}) == []


def test_bold_list_items_and_bullets_are_not_italics():
    lines = [(1, "* un point"), (2, "**gras** et encore **gras**"), (3, "5 * 3 * 2")]
    assert lint_easy(lines, set()) == []
