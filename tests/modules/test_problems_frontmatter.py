"""One test per front-matter problem: the file, the exact line and what the message says."""

from __future__ import annotations

import pytest

from .conftest import EASY, FILES, MODULE, SS, STD, break_file, find, line_of


def test_the_fixture_tree_has_no_error(tree):
    catalog = tree.load()
    assert [p.format() for p in catalog.problems if p.is_error] == []
    assert catalog.is_valid("ecoute-1", "fr")


# (file, text to replace, replacement, text of the line reported, message fragment)
CASES = {
    "bad-yaml": (
        STD,
        'title: "Écouter : comprendre une consigne"',
        "title: Écouter : comprendre: une consigne",
        "title:",
        "YAML cannot be read",
    ),
    "yaml-tab": (STD, "  mode: practice", "\tmode: practice", "mode: practice", "YAML"),
    "unknown-key": (
        STD,
        "minutes: 15",
        "minutes: 15\ntitel: Test",
        "titel:",
        "unknown key 'titel' (did you mean 'title'?)",
    ),
    "duplicate-key": (
        STD,
        "minutes: 15",
        "minutes: 15\nminutes: 16",
        "minutes: 16",
        "'minutes' is given twice",
    ),
    "missing-key": (STD, "minutes: 15\n", "", "---", "the key 'minutes' is missing"),
    "missing-skill": (STD, "skill: ecoute\n", "", "course:", "'skill' is missing"),
    "missing-level": (STD, "level: 1\n", "", "course:", "'level' is missing"),
    "lang": (STD, "lang: fr", "lang: es", "lang:", "'lang' must be one of fr, en, de, it"),
    "variant": (
        STD,
        "variant: standard",
        "variant: simple",
        "variant:",
        "'variant' must be one of standard, easy",
    ),
    "kind": (STD, "lang: fr", "kind: lesson\nlang: fr", "kind:", "'kind' must be module"),
    "level": (STD, "level: 1", "level: 5", "level:", "'level' must be a whole number from 1 to 4"),
    "level-type": (STD, "level: 1", "level: un", "level:", "'level' must be a whole number"),
    "minutes": (STD, "minutes: 15", "minutes: quinze", "minutes:", "'minutes' must be a whole"),
    "title-type": (
        STD,
        'title: "Écouter : comprendre une consigne"',
        "title: [a, b]",
        "title:",
        "'title' must be a text",
    ),
    "id-format": (STD, "id: ecoute-1", "id: Ecoute_1", "id:", "is not a valid id"),
    "objective-id": (STD, "  - id: o2", "  - id: O 2", "O 2", "the objective id 'O 2'"),
    "objective-dup": (STD, "  - id: o2", "  - id: o1", "- id: o1", "'o1' is used twice", 2),
    "objective-text": (
        STD,
        "    text: Reconnaître une personne qui écoute.\n",
        "",
        "- id: o2",
        "this objective has no 'text'",
    ),
    "objective-key": (
        STD,
        "    text: Expliquer",
        "    txt: Expliquer",
        "txt:",
        "unknown key 'txt' in an objective",
    ),
    "objectives-type": (
        STD,
        "objectives:\n",
        "objectives: o1\nx:\n",
        "objectives:",
        "'objectives' must be a list",
    ),
    "prerequisites-type": (
        STD,
        "prerequisites: []",
        "prerequisites: ecoute-0",
        "prerequisites:",
        "'prerequisites' must be a list",
    ),
    "source-type": (
        STD,
        '  - "Source de test, 2024"',
        "  - {a: b}",
        "{a: b}",
        "each item of 'sources' must be a text",
    ),
    "quiz-mode": (STD, "mode: practice", "mode: exam", "mode:", "must be practice or assessed"),
    "quiz-pass": (STD, "pass: 80%", "pass: 80", "pass:", "a percentage like 80%"),
    "quiz-pass-range": (STD, "pass: 80%", "pass: 180%", "pass:", "from 1% to 100%"),
    "quiz-pass-m-over-n": (STD, "pass: 80%", "pass: 7/6", "pass:", "1 <= m <= n"),
    "quiz-pass-n": (STD, "pass: 80%", "pass: 4/5", "pass:", "n must be the number of questions, 6"),
    "quiz-attempts": (
        STD,
        "pass: 80%",
        "pass: 80%\n  attempts: 0",
        "attempts:",
        "'attempts' must be a whole number of at least 1",
    ),
    "quiz-shuffle": (
        STD,
        "pass: 80%",
        "pass: 80%\n  shuffle: oui",
        "shuffle:",
        "'shuffle' must be true or false",
    ),
    "quiz-key": (STD, "pass: 80%", "pass: 80%\n  pas: 3", "pas:", "unknown key 'pas' in 'quiz'"),
    "quiz-missing-pass": (STD, "  pass: 80%\n", "", "quiz:", "'quiz' has no 'pass'"),
    "quiz-type": (
        STD,
        "quiz:\n  mode: practice\n  pass: 80%",
        "quiz: practice",
        "quiz:",
        "'quiz' must hold",
    ),
    "placement-key": (
        f"{SS}/placement.fr.md",
        "skill: ecoute",
        "skill: ecoute\nminutes: 5",
        "minutes:",
        "a placement questionnaire has no 'minutes'",
    ),
    "guide-easy": (
        f"{SS}/guide.fr.md",
        "variant: standard",
        "variant: easy",
        "variant:",
        "a trainer guide has only the standard variant",
    ),
    "skill-outside-softskills": (
        "entrepreneurship/social.fr.md",
        "course: entrepreneurship",
        "course: entrepreneurship\nskill: ecoute",
        "skill:",
        "only soft-skills content has a 'skill'",
    ),
    "alias": (
        STD,
        "minutes: 15",
        "minutes: &m 15\nsources2: *m",
        "sources2",
        "anchors and aliases",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_front_matter_problem(tree, case):
    rel, old, new, needle, fragment, *nth = case
    text = break_file(tree, rel, old, new)
    find(tree.load().problems, tree.path(rel), line_of(text, needle, *nth), fragment)


def test_missing_front_matter(tree):
    tree.write(STD, "# Écouter\n\nDu texte.\n")
    find(tree.load().problems, tree.path(STD), 1, "missing front matter")


def test_front_matter_not_closed(tree):
    tree.write(STD, MODULE.replace("---\n\n", "\n\n", 1).split("::: glossary")[0])
    find(tree.load().problems, tree.path(STD), 1, "front matter is not closed")


def test_front_matter_that_is_not_a_mapping(tree):
    tree.write(STD, "---\n- a\n- b\n---\ntext\n")
    find(tree.load().problems, tree.path(STD), 2, "must be a list of 'key: value' lines")


def test_file_not_utf8(tree):
    text = MODULE.replace("Samia reformule", "Samia r\udcffformule")
    data = text.encode("utf-8", "surrogateescape")
    tree.write(STD, data)
    find(tree.load().problems, tree.path(STD), line_of(text, "Samia"), "not UTF-8")


def test_yaml_error_line_counts_the_front_matter_offset(tree):
    text = break_file(tree, STD, "  - id: o2\n", "  - id: o2\n   bad: [\n")
    problem = next(p for p in tree.load().problems if "YAML" in p.message)
    assert problem.path == tree.path(STD)
    assert line_of(text, "bad: [") <= problem.line <= line_of(text, "bad: [") + 2


def test_a_module_with_an_error_is_listed_but_not_served(tree):
    break_file(tree, EASY, "level: 1", "level: 9", FILES[EASY])
    catalog = tree.load()
    assert "ecoute-1" in catalog.modules
    assert not catalog.is_valid("ecoute-1")
    assert catalog.variant("ecoute-1", "fr", "standard") is None
    assert catalog.modules["ecoute-1"].problems
    assert catalog.is_valid("ecoute-2")
