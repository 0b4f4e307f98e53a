"""One test per problem of the text and the other blocks: the file, the exact line, the message."""

from __future__ import annotations

import pytest

from .conftest import QUESTIONS, SS, STD, break_file, find, line_of

PLACEMENT = f"{SS}/placement.fr.md"
GUIDE = f"{SS}/guide.fr.md"
SOCIAL = "entrepreneurship/social.fr.md"

# (file, text to replace, replacement, text of the line reported, message fragment[, nth])
CASES = {
    # blocks
    "block-not-closed": (
        STD,
        "[o2] Je peux reconnaître une personne qui écoute.\n:::",
        "[o2] Je peux reconnaître une personne qui écoute.",
        "::: selfcheck",
        "the selfcheck block is not closed",
    ),
    "block-unknown": (
        STD,
        "::: glossary",
        "::: glosary",
        "::: glosary",
        "unknown block type 'glosary'",
    ),
    "block-nested": (
        STD,
        "[ ] Vous attendez.",
        "::: activity\n[ ] Vous attendez.",
        "::: activity",
        "blocks do not nest",
    ),
    "block-stray-close": (
        STD,
        "## Les signes {#signes}",
        ":::\n## Les signes {#signes}",
        ":::",
        "closes no block",
    ),
    "block-twice": (
        STD,
        "::: glossary",
        "::: activity\nFaites.\n:::\n::: activity\nA.\n:::\n::: glossary",
        "::: activity",
        "only one activity block",
        2,
    ),
    "block-id-not-allowed": (
        STD,
        "::: glossary",
        "::: glossary mots",
        "::: glossary",
        "takes no id",
    ),
    # parts and links
    "heading-no-id": (
        STD,
        "## Les signes {#signes}",
        "## Les signes",
        "## Les signes",
        "ends with its id in braces",
    ),
    "heading-attrs": (
        STD,
        "## Les signes {#signes}",
        "## Les signes {#signes .x}",
        "## Les signes",
        "hold only its id",
    ),
    "heading-bad-id": (
        STD,
        "## Les signes {#signes}",
        "## Les signes {#Les_Signes}",
        "## Les signes",
        "the part id 'Les_Signes' is not valid",
    ),
    "heading-dup-id": (
        STD,
        "## Les signes {#signes}",
        "## Les signes {#au-travail}",
        "## Les signes",
        "the part id 'au-travail' is used twice",
    ),
    "setext-heading": (
        STD,
        "Samia reformule la consigne.",
        "Samia reformule la consigne.\n---",
        "---",
        "makes the line above a heading",
        3,
    ),
    "anchor-broken": (
        STD,
        "Voir [les signes](#signes).",
        "Voir [les signes](#signe).",
        "Voir [les signes]",
        "does not lead to a part of this module",
    ),
    "module-link-broken": (
        STD,
        "Samia reformule la consigne.",
        "Voir [ceci](module:ecoute-9).",
        "module:ecoute-9",
        "leads to no module",
    ),
    "module-link-anchor": (
        f"{SS}/level-2.fr.md",
        "(module:ecoute-1#signes)",
        "(module:ecoute-1#nulle-part)",
        "module:ecoute-1",
        "has no part '#nulle-part'",
    ),
    "link-scheme": (
        STD,
        "Samia reformule la consigne.",
        "[clic](javascript:alert(1))",
        "[clic]",
        "is not allowed",
    ),
    "link-file-missing": (
        STD,
        "Samia reformule la consigne.",
        "[fiche](fiche.pdf)",
        "[fiche]",
        "the file 'fiche.pdf' is not in the module's folder",
    ),
    "link-outside-folder": (
        STD,
        "Samia reformule la consigne.",
        "[fiche](../x/fiche.pdf)",
        "[fiche]",
        "is not allowed",
    ),
    "image-no-alt": (
        STD,
        "![Une personne écoute son chef](photo.png)",
        "![](photo.png)",
        "![](photo.png)",
        "no alternative text",
    ),
    "image-missing": (
        STD,
        "](photo.png)",
        "](absente.png)",
        "absente.png",
        "the image file 'absente.png' is not in the module's folder",
    ),
    "image-url": (
        STD,
        "](photo.png)",
        "](https://example.org/a.png)",
        "example.org",
        "is a web address",
    ),
    "image-dotdot": (STD, "](photo.png)", "](../photo.png)", "../photo.png", "no '/' or '..'"),
    "glossary-undefined": (
        STD,
        "Samia reformule la consigne.",
        "Samia [[reformule]].",
        "Samia [[reformule]]",
        "'reformule' is marked as a glossary word",
    ),
    "glossary-reversed": (
        STD,
        "Une [[écoute active]]",
        "Une [[écoute active|écoutes actives]]",
        "Une [[",
        "did you mean [[écoutes actives|écoute active]]",
    ),
    "glossary-no-colon": (
        STD,
        "écoute active: écouter",
        "écoute active - écouter",
        "écoute active - écouter",
        "a glossary line is 'term: definition'",
    ),
    "glossary-twice": (
        STD,
        "écoute active: écouter avec attention, puis vérifier.",
        "écoute active: a.\nÉcoute  Active: b.",
        "Écoute  Active",
        "defined twice",
    ),
    "glossary-empty-definition": (
        STD,
        "écoute active: écouter avec attention, puis vérifier.",
        "écoute active:",
        "écoute active:",
        "has no definition",
    ),
    # selfcheck
    "selfcheck-unknown-id": (
        STD,
        "[o2] Je peux",
        "[o3] Je peux",
        "[o3]",
        "'[o3]' is not an objective id: o1, o2",
    ),
    "selfcheck-missing-statement": (
        STD,
        "[o2] Je peux reconnaître une personne qui écoute.\n",
        "",
        "::: selfcheck",
        "no statement '[o2]'",
    ),
    "selfcheck-missing": (
        STD,
        "::: selfcheck\n[o1]",
        "::: activity\n[o1]",
        "objectives:",
        "closes with a '::: selfcheck' block",
    ),
    "selfcheck-bad-line": (
        STD,
        "[o2] Je peux",
        "o2 Je peux",
        "o2 Je peux",
        "each line of a selfcheck is",
    ),
    # placement
    "placement-no-level": (
        PLACEMENT,
        "::: question p3 single level=3",
        "::: question p3 single",
        "::: question p3",
        "carries the level it checks",
    ),
    "placement-bad-level": (PLACEMENT, "level=3", "level=4", "level=4", "level=1, 2 or 3"),
    "placement-selfcheck-level": (
        PLACEMENT,
        "[level-3]",
        "[level-4]",
        "[level-4]",
        "'[level-4]' is not level-1, level-2 or level-3",
    ),
    "placement-too-few": (
        PLACEMENT,
        "::: question p3 single level=3",
        "::: activity",
        "::: question p1",
        "3 to 6 questions, not 2",
    ),
    # workshop
    "workshop-no-prompt": (
        SOCIAL,
        "[prompt mission] Quel problème voulez-vous résoudre ?\n    > "
        "Pensez aux personnes.\n[prompt public] Qui aidez-vous ?\n",
        "",
        "::: workshop",
        "has no '[prompt id] question' line",
    ),
    "workshop-prompt-twice": (
        SOCIAL,
        "[prompt public]",
        "[prompt mission]",
        "[prompt mission]",
        "the prompt id 'mission' is used twice",
        2,
    ),
    "workshop-prompt-id": (
        SOCIAL,
        "[prompt public]",
        "[prompt Public Cible]",
        "[prompt Public",
        "a prompt is '[prompt id] question'",
    ),
    "workshop-no-id": (
        SOCIAL,
        "::: workshop ws-social",
        "::: workshop",
        "::: workshop",
        "a workshop has an id",
    ),
    # guide
    "guide-question": (
        GUIDE,
        "Parlez de situations de travail.",
        "::: question q1 single\nQ ?\n[x] a\n    > b\n[ ] c\n    > d\nexplanation: e\n:::",
        "::: question",
        "a trainer guide has no question",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_text_and_block_problem(tree, case):
    rel, old, new, needle, fragment, *nth = case
    text = break_file(tree, rel, old, new)
    find(tree.load().problems, tree.path(rel), line_of(text, needle, *nth), fragment)


def test_raw_html_is_a_warning(tree):
    text = break_file(tree, STD, "Samia reformule la consigne.", "Samia <b>reformule</b>.")
    find(tree.load().problems, tree.path(STD), line_of(text, "<b>"), "HTML", "warning")


def test_italics_in_a_standard_text_are_a_warning(tree):
    text = break_file(tree, STD, "Samia reformule la consigne.", "Samia *reformule* la consigne.")
    find(tree.load().problems, tree.path(STD), line_of(text, "*reformule*"), "italics", "warning")


def test_questions_before_the_last_part_are_a_warning(tree):
    text = break_file(tree, STD, "::: selfcheck", "## Après {#apres}\n\nTexte.\n\n::: selfcheck")
    find(tree.load().problems, tree.path(STD), line_of(text, "## Après"), "at the end", "warning")


def test_every_problem_of_a_file_is_reported_not_only_the_first(tree):
    text = break_file(tree, STD, "lang: fr", "lang: es")
    text = break_file(tree, STD, "[2] Reformuler.", "[5] Reformuler.", text)
    text = break_file(tree, STD, "](photo.png)", "](absente.png)", text)
    problems = tree.load().problems
    find(problems, tree.path(STD), line_of(text, "lang: es"), "'lang' must be")
    find(problems, tree.path(STD), line_of(text, "[5] Reformuler"), "[2] was expected")
    find(problems, tree.path(STD), line_of(text, "absente.png"), "absente.png")


# Warnings: (file, old, new, line reported, fragment)
WARNINGS = {
    "minutes": (STD, "minutes: 15", "minutes: 40", "minutes:", "takes 10 to 25 minutes"),
    "objectives-count": (
        STD,
        "  - id: o2\n    text: Reconnaître une personne qui écoute.\n",
        "",
        "objectives:",
        "2 to 4 objectives, not 1",
    ),
    "few-questions": (
        STD,
        QUESTIONS.split("::: question q3")[0],
        "",
        "::: question q3",
        "at least 5 questions, not 4",
    ),
    "no-activity": (
        f"{SS}/level-2.fr.md",
        "::: activity\nCette semaine, reformulez une consigne.\n:::\n",
        "",
        "level:",
        "from level 2, a module has a workplace activity",
    ),
    "no-workshop": (
        SOCIAL,
        "::: workshop ws-social",
        "::: activity",
        "course:",
        "ends with a workshop",
    ),
    "http-link": (
        STD,
        "Samia reformule la consigne.",
        "[site](http://example.org)",
        "[site]",
        "use https://",
    ),
    "unindented-feedback": (
        STD,
        "    > Vous perdez du temps.",
        "> Vous perdez du temps.",
        "> Vous perdez du temps.",
        "indent the feedback line",
    ),
    "attempts-in-practice": (
        STD,
        "pass: 80%",
        "pass: 80%\n  attempts: 2",
        "attempts:",
        "only counts in assessed mode",
    ),
}


@pytest.mark.parametrize("case", WARNINGS.values(), ids=WARNINGS.keys())
def test_warning(tree, case):
    rel, old, new, needle, fragment = case
    text = break_file(tree, rel, old, new)
    find(tree.load().problems, tree.path(rel), line_of(text, needle), fragment, "warning")
