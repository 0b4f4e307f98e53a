"""A small valid content tree written into tmp_path, and helpers to break it and find problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from learn.modules import Catalog, Problem, load_catalog

SKILL_LEVEL = """\
      {n}:
        descriptor: {{fr: "Niveau {n}", en: "Level {n}"}}
        behaviours:
          fr: ["Reformule une consigne", "Pose une question", "Note l'essentiel"]
"""

SKILLS_YAML = """\
course:
  id: softskills
  title: {fr: Compétences transversales, en: Soft skills}
  description: {fr: "Les savoir-être.", en: "Soft skills."}
skills:
  - id: ecoute
    title: {fr: Écouter, en: Listening}
    esco: null
    definition: {fr: "Écouter avec attention.", en: "Listen with care."}
    why: "Pour bien travailler."
    levels:
""" + "".join(SKILL_LEVEL.format(n=n) for n in (1, 2, 3, 4))

COURSE_YAML = """\
id: entrepreneurship
title: {fr: "Entreprendre autrement", en: "Social entrepreneurship"}
description: {fr: "Trois modules.", en: "Three modules."}
modules:
  - es-social
"""

QUESTIONS = """\
::: question q1 single
Le chef donne une consigne très vite. Que faites-vous ?
[ ] Vous faites comme la semaine d'avant.
    > Les règles ont peut-être changé.
[x] Vous reformulez la consigne.
    > Oui. Vous vérifiez que vous avez compris.
[ ] Vous attendez.
    > Vous perdez du temps.
explanation: Reformuler aide à vérifier une consigne.
:::

::: question q2 multiple
Quels gestes montrent une écoute ?
[x] Reformuler.
    > Oui.
[x] Poser une question.
    > Oui.
[ ] Regarder son téléphone.
    > Non. La personne est distraite.
explanation: Reformuler et poser une question montrent l'écoute.
:::

::: question q3 truefalse
Écouter, c'est seulement se taire.
[ ] Vrai
    > Non. Écouter, c'est aussi vérifier.
[x] Faux
    > Oui.
explanation: Écouter, c'est aussi vérifier.
:::

::: question q4 ordering
Mettez les étapes dans l'ordre.
[1] Écouter la consigne.
[2] Reformuler.
[3] Poser une question.
correct: Bravo.
incorrect: On écoute, puis on reformule, puis on demande.
explanation: L'ordre compte.
:::

::: question q5 matching
Reliez chaque geste à son effet.
[=] Reformuler => Vérifier.
[=] Demander => Préciser.
[=] Noter => Se souvenir.
correct: Bravo.
incorrect: Relisez la partie sur les signes.
explanation: Chaque geste a un effet.
:::

::: question q6 text
Quel mot veut dire redire avec ses mots ?
[accept] reformuler
[accept] la reformulation
correct: Oui.
incorrect: Le mot est reformuler.
explanation: Reformuler, c'est redire avec ses mots.
:::
"""

MODULE = (
    """\
---
id: ecoute-1
title: "Écouter : comprendre une consigne"
lang: fr
variant: standard
course: softskills
skill: ecoute
level: 1
minutes: 15
objectives:
  - id: o1
    text: Expliquer l'écoute active.
  - id: o2
    text: Reconnaître une personne qui écoute.
prerequisites: []
sources:
  - "Source de test, 2024"
quiz:
  mode: practice
  pass: 80%
---

Une [[écoute active]] aide au travail.

## Écouter au travail {#au-travail}

Le chef parle. Vous écoutez. Voir [les signes](#signes).

![Une personne écoute son chef](photo.png)

### Un exemple

Samia reformule la consigne.

## Les signes {#signes}

- Vous reformulez.
- Vous posez une question.

!!! note "À retenir"
    Écouter, c'est agir.

::: glossary
écoute active: écouter avec attention, puis vérifier.
:::

"""
    + QUESTIONS
    + """
::: selfcheck
[o1] Je peux expliquer l'écoute active.
[o2] Je peux reconnaître une personne qui écoute.
:::
"""
)

MODULE_2 = (
    MODULE.replace("id: ecoute-1", "id: ecoute-2")
    .replace("level: 1", "level: 2")
    .replace("prerequisites: []", "prerequisites: [ecoute-1]")
    .replace("Samia reformule la consigne.", "Voir [le niveau 1](module:ecoute-1#signes).")
    .replace(
        "::: glossary", "::: activity\nCette semaine, reformulez une consigne.\n:::\n\n::: glossary"
    )
)

PLACEMENT = """\
---
id: ecoute-placement
kind: placement
title: "Écouter : par où commencer"
lang: fr
variant: standard
course: softskills
skill: ecoute
---

Répondez à ces questions.

::: selfcheck
[level-1] Je sais ce qu'est l'écoute.
[level-2] J'écoute au travail.
[level-3] Je juge ma façon d'écouter.
:::

::: question p1 single level=1
Que veut dire écouter ?
[x] Faire attention et vérifier.
    > Oui.
[ ] Se taire pendant que l'autre parle.
    > Non.
explanation: Écouter, c'est faire attention et vérifier.
:::

::: question p2 truefalse level=2
Reformuler aide à vérifier une consigne.
[x] Vrai
    > Oui.
[ ] Faux
    > Non.
explanation: Reformuler permet de vérifier.
:::

::: question p3 single level=3
Un collègue vous coupe la parole. Que faites-vous ?
[ ] Vous attendez la pause pour en parler à votre chef.
    > Non.
[x] Vous lui dites calmement ce que vous ressentez.
    > Oui.
explanation: On peut dire les choses calmement.
:::
"""

GUIDE = """\
---
id: ecoute-guide
kind: guide
title: "Guide : écouter"
lang: fr
variant: standard
course: softskills
skill: ecoute
---

## Présenter la compétence {#presenter}

Parlez de situations de travail.
"""

ES_SOCIAL = (
    MODULE.replace("id: ecoute-1", "id: es-social")
    .replace("course: softskills\nskill: ecoute\nlevel: 1\n", "course: entrepreneurship\n")
    .replace(
        "::: glossary",
        "::: workshop ws-social\nCe travail prépare votre projet.\n"
        "[prompt mission] Quel problème voulez-vous résoudre ?\n"
        "    > Pensez aux personnes.\n[prompt public] Qui aidez-vous ?\n:::\n\n::: glossary",
    )
)

SS = "softskills/ecoute"
FILES = {
    "softskills/skills.yaml": SKILLS_YAML,
    "entrepreneurship/course.yaml": COURSE_YAML,
    f"{SS}/level-1.fr.md": MODULE,
    f"{SS}/level-1.fr.easy.md": MODULE.replace("variant: standard", "variant: easy"),
    f"{SS}/level-2.fr.md": MODULE_2,
    f"{SS}/level-2.fr.easy.md": MODULE_2.replace("variant: standard", "variant: easy"),
    f"{SS}/placement.fr.md": PLACEMENT,
    f"{SS}/guide.fr.md": GUIDE,
    "entrepreneurship/social.fr.md": ES_SOCIAL,
    "entrepreneurship/social.fr.easy.md": ES_SOCIAL.replace("variant: standard", "variant: easy"),
    "entrepreneurship/social.en.md": ES_SOCIAL.replace("lang: fr", "lang: en"),
    "entrepreneurship/social.en.easy.md": ES_SOCIAL.replace("lang: fr", "lang: en").replace(
        "variant: standard", "variant: easy"
    ),
}
STD = f"{SS}/level-1.fr.md"
EASY = f"{SS}/level-1.fr.easy.md"


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth line of `text` containing `needle`."""
    hits = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not in the text"
    return hits[nth - 1]


class Tree:
    """A content tree in a temporary folder."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, rel: str) -> str:
        return str(self.root / rel)

    def write(self, rel: str, text: str | bytes) -> Path:
        file = self.root / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            file.write_bytes(text)
        else:
            file.write_text(text, encoding="utf-8")
        return file

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def load(self) -> Catalog:
        return load_catalog(self.root)

    def errors(self) -> list[Problem]:
        return [p for p in self.load().problems if p.is_error]


def find(problems, path: str, line: int, fragment: str, severity: str = "error") -> Problem:
    """The problem at path:line whose message holds `fragment`; fails with the list otherwise."""
    for problem in problems:
        if (
            problem.path == path
            and problem.line == line
            and problem.severity == severity
            and fragment in problem.message
        ):
            return problem
    listing = "\n".join(p.format() for p in problems)
    raise AssertionError(f"no {severity} at {path}:{line} with {fragment!r}; got:\n{listing}")


@pytest.fixture
def tree(tmp_path) -> Tree:
    """A valid content tree (no errors; a few completeness warnings)."""
    root = tmp_path / "content"
    t = Tree(root)
    for rel, text in FILES.items():
        t.write(rel, text)
    t.write(f"{SS}/photo.png", b"\x89PNG\r\n\x1a\n")
    t.write("entrepreneurship/photo.png", b"\x89PNG\r\n\x1a\n")
    return t


def break_file(tree: Tree, rel: str, old: str, new: str, source: str | None = None) -> str:
    """Write `rel` as its fixture text with `old` replaced by `new`; returns the new text."""
    text = source if source is not None else FILES[rel]
    assert old in text, f"{old!r} is not in {rel}"
    text = text.replace(old, new, 1)
    tree.write(rel, text)
    return text
