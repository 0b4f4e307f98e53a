"""Problems found across files: easy-read pairs, variants in step, references, data files."""

from __future__ import annotations

import pytest

from .conftest import (
    COURSE_YAML,
    EASY,
    FILES,
    MODULE,
    SKILLS_YAML,
    SS,
    STD,
    break_file,
    find,
    line_of,
)

LEVEL2 = f"{SS}/level-2.fr.md"
SKILLS = "softskills/skills.yaml"
COURSE = "entrepreneurship/course.yaml"
SOCIAL_EN = "entrepreneurship/social.en.md"


def test_missing_easy_read_variant(tree):
    tree.remove(EASY)
    find(tree.load().problems, tree.path(STD), line_of(MODULE, "variant:"),
         "has no easy-read variant in 'fr'")  # fmt: skip


def test_missing_standard_variant(tree):
    tree.remove(STD)
    find(tree.load().problems, tree.path(EASY), line_of(MODULE, "variant:"),
         "has no standard variant in 'fr'")  # fmt: skip


def test_same_id_lang_and_variant_twice(tree):
    tree.write(f"{SS}/copie.fr.md", MODULE)
    problems = tree.load().problems
    duplicate = [p for p in problems if "is already in" in p.message]
    assert len(duplicate) == 1
    assert duplicate[0].line == line_of(MODULE, "id:")
    assert {duplicate[0].path} <= {tree.path(f"{SS}/copie.fr.md"), tree.path(STD)}


# Easy-read variants out of step with the standard one: (old, new, line reported, fragment)
OUT_OF_STEP = {
    "objective-ids": ("  - id: o2", "  - id: o3", "- id: o3", "the objectives are not those of"),
    "part-ids": (
        "## Les signes {#signes}",
        "## Les signes {#gestes}",
        "## Les signes",
        "the parts are not those of",
    ),
    "part-order": (
        "## Écouter au travail {#au-travail}",
        "## Écouter au travail {#signes}",
        "## Écouter au travail",
        "the parts are not those of",
    ),
    "question-ids": (
        "::: question q2 multiple",
        "::: question q7 multiple",
        "::: question q7",
        "the questions are not those of",
    ),
    "question-type": (
        "::: question q3 truefalse",
        "::: question q3 single",
        "::: question q3",
        "this question is single, but question 'q3'",
    ),
    "option-count": (
        "[ ] Vous attendez.\n    > Vous perdez du temps.\n",
        "",
        "::: question q1",
        "this question has 2 options",
    ),
    "correct-answer": (
        "[ ] Vrai\n    > Non. Écouter, c'est aussi vérifier.\n[x] Faux",
        "[x] Vrai\n    > Non. Écouter, c'est aussi vérifier.\n[ ] Faux",
        "::: question q3",
        "the correct options differ",
    ),
    "quiz-rules": ("mode: practice", "mode: assessed", "quiz:", "the quiz rules differ"),
    "level": ("level: 1", "level: 3", "level:", "'level' is 3 here but 1"),
    "prerequisites": (
        "prerequisites: []",
        "prerequisites: [ecoute-2]",
        "prerequisites:",
        "the prerequisites differ",
    ),
}


@pytest.mark.parametrize("case", OUT_OF_STEP.values(), ids=OUT_OF_STEP.keys())
def test_easy_read_variant_out_of_step(tree, case):
    old, new, needle, fragment = case
    text = break_file(tree, EASY, old, new)
    find(tree.load().problems, tree.path(EASY), line_of(text, needle), fragment)


def test_other_language_out_of_step(tree):
    text = break_file(tree, SOCIAL_EN, "[x] Vous reformulez la consigne.",
                      "[ ] Vous reformulez la consigne.", FILES[SOCIAL_EN])  # fmt: skip
    text = break_file(tree, SOCIAL_EN, "[ ] Vous attendez.", "[x] Vous attendez.", text)
    find(tree.load().problems, tree.path(SOCIAL_EN), line_of(text, "::: question q1"),
         "the correct options differ")  # fmt: skip


def test_other_language_workshop_prompts_out_of_step(tree):
    text = break_file(tree, SOCIAL_EN, "[prompt public]", "[prompt audience]")
    find(tree.load().problems, tree.path(SOCIAL_EN), line_of(text, "[prompt audience]"),
         "the workshop prompts are not those of")  # fmt: skip


def test_prerequisite_that_does_not_exist(tree):
    text = break_file(tree, LEVEL2, "prerequisites: [ecoute-1]", "prerequisites:\n  - ecoute-0")
    find(tree.load().problems, tree.path(LEVEL2), line_of(text, "- ecoute-0"),
         "the prerequisite 'ecoute-0' is not a module")  # fmt: skip


def test_prerequisites_that_loop(tree):
    for rel in (STD, EASY):
        break_file(tree, rel, "prerequisites: []", "prerequisites: [ecoute-2]")
    loops = [p for p in tree.load().problems if "the prerequisites make a loop" in p.message]
    assert loops and {"ecoute-1", "ecoute-2"} <= set(loops[0].message.split(": ")[1].split(" → "))


def test_unknown_skill(tree):
    text = break_file(tree, STD, "skill: ecoute", "skill: ecouter")
    find(tree.load().problems, tree.path(STD), line_of(text, "skill:"),
         "unknown skill 'ecouter'")  # fmt: skip


def test_unknown_course(tree):
    text = break_file(tree, STD, "course: softskills", "course: cuisine")
    find(tree.load().problems, tree.path(STD), line_of(text, "course:"), "unknown course 'cuisine'")


def test_two_modules_for_one_skill_level(tree):
    other = MODULE.replace("id: ecoute-1", "id: ecoute-bis")
    tree.write(f"{SS}/bis.fr.md", other)
    tree.write(f"{SS}/bis.fr.easy.md", other.replace("variant: standard", "variant: easy"))
    problems = tree.load().problems
    find(problems, tree.path(f"{SS}/bis.fr.md"), line_of(other, "level:"),
         "'ecoute-1' is also level 1 of the skill 'ecoute'")  # fmt: skip
    find(problems, tree.path(STD), line_of(MODULE, "level:"), "'ecoute-bis' is also level 1")


# skills.yaml: (old, new, line reported, fragment[, severity])
SKILLS_CASES = {
    "unknown-key": (
        "    esco: null",
        "    esco: null\n    couleur: bleu",
        "couleur:",
        "unknown key 'couleur'",
    ),
    "missing-field": (
        '    why: "Pour bien travailler."\n',
        "",
        "  - id: ecoute",
        "skill 'ecoute' has no 'why'",
    ),
    "three-levels": (
        '      4:\n        descriptor: {fr: "Niveau 4", en: "Level 4"}\n'
        '        behaviours:\n          fr: ["Reformule une consigne", "Pose une '
        'question", "Note l\'essentiel"]\n',
        "",
        "    levels:",
        "skill 'ecoute' has no level 4",
    ),
    "two-behaviours": (
        'fr: ["Reformule une consigne", "Pose une question", "Note l\'essentiel"]',
        'fr: ["Reformule une consigne", "Pose une question"]',
        "fr: [",
        "lists 3 to 5 behaviours, not 2",
    ),
    "duplicate-skill": (
        "skills:\n",
        "skills:\n  - id: ecoute\n    title: X\n    esco: null\n"
        "    definition: X\n    why: X\n    levels: {}\n",
        "  - id: ecoute",
        "the skill id 'ecoute' is used twice",
        2,
    ),
    "no-french": ('why: "Pour bien travailler."', "why: {en: Why}", "why:", "has no French text"),
    "bad-language": (
        'why: "Pour bien travailler."',
        "why: {fr: Pourquoi, es: Por qué}",
        "why:",
        "'es' is not a language",
    ),
    "esco-format": (
        "    esco: null",
        "    esco: 42",
        "esco:",
        "does not look like an ESCO",
        "warning",
    ),
    "lifecomp-unknown": (
        "    esco: null",
        "    esco: null\n    lifecomp: [S2, X9]",
        "lifecomp:",
        "'lifecomp' is a list of P1, P2, P3, S1, S2, S3, L1, L2, L3, not 'X9'",
    ),
    "clea-unknown": (
        "    esco: null",
        "    esco: null\n    clea: [4, 8]",
        "clea:",
        "'clea' is a list of 1, 2, 3, 4, 5, 6, 7, not 8",
    ),
    "bad-yaml": (
        'why: "Pour bien travailler."',
        "why: Pour: bien travailler",
        "why: Pour",
        "YAML cannot be read",
    ),
}


@pytest.mark.parametrize("case", SKILLS_CASES.values(), ids=SKILLS_CASES.keys())
def test_skills_yaml_problem(tree, case):
    old, new, needle, fragment, *rest = case
    text = break_file(tree, SKILLS, old, new, SKILLS_YAML)
    nth = rest[0] if rest and isinstance(rest[0], int) else 1
    severity = rest[0] if rest and isinstance(rest[0], str) else "error"
    found = tree.load().problems
    find(found, tree.path(SKILLS), line_of(text, needle, nth), fragment, severity)


def test_course_yaml_names_a_missing_module(tree):
    text = break_file(tree, COURSE, "  - es-social\n", "  - es-social\n  - es-economique\n",
                      COURSE_YAML)  # fmt: skip
    find(tree.load().problems, tree.path(COURSE), line_of(text, "es-economique"),
         "the module 'es-economique' is not in any content file")  # fmt: skip


def test_course_yaml_wrong_id(tree):
    text = break_file(tree, COURSE, "id: entrepreneurship", "id: social", COURSE_YAML)
    find(tree.load().problems, tree.path(COURSE), line_of(text, "id:"), "is 'entrepreneurship'")


def test_course_yaml_unknown_key(tree):
    text = break_file(tree, COURSE, "modules:", "niveau: 1\nmodules:", COURSE_YAML)
    find(tree.load().problems, tree.path(COURSE), line_of(text, "niveau:"), "unknown key 'niveau'")


def test_module_missing_from_course_yaml_is_a_warning(tree):
    tree.write(COURSE, COURSE_YAML.replace("modules:\n  - es-social\n", "modules: []\n"))
    find(tree.load().problems, tree.path("entrepreneurship/social.fr.md"),
         line_of(FILES["entrepreneurship/social.fr.md"], "course:"), "is not listed in",
         "warning")  # fmt: skip


def test_missing_skills_yaml(tree):
    tree.remove(SKILLS)
    catalog = tree.load()
    find(catalog.problems, tree.path(SKILLS), 1, "softskills/skills.yaml is missing")
    assert catalog.course("softskills") is None
