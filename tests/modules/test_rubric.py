"""The trainer's rubric in a workshop: `[rubric id]` criteria with their three descriptors."""

from __future__ import annotations

from learn.modules import RUBRIC_RATINGS

from .conftest import FILES, break_file, find, line_of

SOCIAL = "entrepreneurship/social.fr.md"
SOCIAL_EASY = "entrepreneurship/social.fr.easy.md"
SOCIAL_EN = "entrepreneurship/social.en.md"

RUBRIC = (
    "[prompt public] Qui aidez-vous ?\n"
    "[rubric besoin] Décrit le problème social et les personnes concernées.\n"
    "    not-yet: Le problème n'est pas dit, ou reste général.\n"
    "    partly: Le problème est dit, mais les personnes concernées\n"
    "      restent floues.\n"
    "    yes: Le problème et les personnes concernées sont précis.\n"
    "[rubric public] Dit qui le projet aide.\n"
    "    not-yet: Personne n'est nommé.\n"
    "    partly: Un public est nommé, sans dire ce qui lui manque.\n"
    "    yes: Un public est nommé, avec ce qui lui manque.\n"
)


def with_rubric(tree, rel=SOCIAL, rubric=RUBRIC):
    return break_file(tree, rel, "[prompt public] Qui aidez-vous ?\n", rubric)


def test_rubric_is_read_with_its_descriptors(tree):
    with_rubric(tree)
    with_rubric(tree, SOCIAL_EN)
    catalog = tree.load()
    assert not [p for p in catalog.problems if p.is_error and "social" in p.path]
    workshop = catalog.variant("es-social", "fr", "standard").workshop
    assert [c.id for c in workshop.rubric] == ["besoin", "public"]
    besoin = workshop.rubric[0]
    assert RUBRIC_RATINGS == ("not-yet", "partly", "yes")
    assert besoin.descriptors == (
        "Le problème n'est pas dit, ou reste général.",
        "Le problème est dit, mais les personnes concernées restent floues.",
        "Le problème et les personnes concernées sont précis.",
    )
    assert [p.id for p in workshop.prompts] == ["mission", "public"]


def test_descriptor_missing(tree):
    text = with_rubric(
        tree,
        rubric=RUBRIC.replace(
            "    partly: Un public est nommé, sans dire ce qui lui manque.\n", ""
        ),
    )
    find(tree.load().problems, tree.path(SOCIAL), line_of(text, "[rubric public]"),
         "has no 'partly:' line")  # fmt: skip


def test_unknown_rating(tree):
    text = with_rubric(tree, rubric=RUBRIC.replace("    not-yet: Personne", "maybe: Personne"))
    find(tree.load().problems, tree.path(SOCIAL), line_of(text, "maybe: Personne"),
         "each line is indented and starts with 'not-yet:'")  # fmt: skip


def test_criterion_twice(tree):
    text = with_rubric(tree, rubric=RUBRIC.replace("[rubric public]", "[rubric besoin]"))
    find(tree.load().problems, tree.path(SOCIAL), line_of(text, "[rubric besoin]", 2),
         "the rubric criterion 'besoin' is given twice")  # fmt: skip


def test_prompt_after_the_rubric(tree):
    text = with_rubric(tree, rubric=RUBRIC + "[prompt apres] Et ensuite ?\n")
    find(tree.load().problems, tree.path(SOCIAL), line_of(text, "[prompt apres]"),
         "the prompts come before the rubric")  # fmt: skip


def test_rubric_in_the_easy_read_variant_is_refused(tree):
    text = with_rubric(tree, SOCIAL_EASY)
    find(tree.load().problems, tree.path(SOCIAL_EASY), line_of(text, "[rubric besoin]"),
         "write it in the standard variant only")  # fmt: skip


def test_other_language_rubric_out_of_step(tree):
    with_rubric(tree)
    text = with_rubric(tree, SOCIAL_EN, RUBRIC.replace("[rubric public]", "[rubric audience]"))
    find(tree.load().problems, tree.path(SOCIAL_EN), line_of(text, "[rubric audience]"),
         "the rubric criteria are not those of")  # fmt: skip


def test_easy_read_without_rubric_is_in_step(tree):
    with_rubric(tree)
    with_rubric(tree, SOCIAL_EN)
    assert not [p for p in tree.load().problems if p.is_error]
    assert FILES[SOCIAL_EASY].count("[rubric") == 0
