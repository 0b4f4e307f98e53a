"""Job référentiels (content/referentiels/*.yaml) and job courses (content/metiers/<job>/): every
rule of the format reports `file:line: message`; the shipped files pass."""

from __future__ import annotations

import pytest

from learn.config import PROJECT_ROOT
from learn.modules import load_catalog, main
from learn.modules.referentiels import ObservableCriterion

from .conftest import ES_SOCIAL, find, line_of

REF = "referentiels/nettoyage.yaml"


def _activity(n: int, safety: bool = True) -> str:
    return f"""\
  - id: act-{n}
    title: {{fr: "Activité {n}"}}
    competences:
      - id: comp-{n}
        title: {{fr: "Compétence {n}"}}
        soft_skills: [ecoute]
        modules: [ecoute-1]
        criteria:
          - id: crit-a
            text: {{fr: "Fait ceci"}}
            safety: {"true" if safety else "false"}
          - id: crit-b
            text: {{fr: "Fait cela"}}
"""


REFERENTIEL = """\
id: nettoyage
title: {fr: "Agent·e de nettoyage"}
summary: {fr: "Nettoie des locaux."}
sector: proprete
sources:
  - title: "Une référence publique"
    publisher: "Un ministère"
    url: "https://example.org/reference"
    note: "Les activités."
scale:
  - {id: not-yet, label: {fr: "Pas encore"}}
  - {id: with-help, label: {fr: "Avec de l'aide"}}
  - {id: alone, label: {fr: "Seul·e"}}
  - {id: can-explain, label: {fr: "Sait expliquer"}}
activities:
""" + "".join(_activity(n, safety=n <= 3) for n in (1, 2, 3, 4))


def write_ref(tree, old: str = "", new: str = "", nth: int = 1) -> str:
    """Write the référentiel with the nth `old` replaced by `new`; returns the text written."""
    text = _replace_nth(REFERENTIEL, old, new, nth) if old else REFERENTIEL
    tree.write(REF, text)
    return text


def _replace_nth(text: str, old: str, new: str, nth: int) -> str:
    at = -1
    for _ in range(nth):
        at = text.index(old, at + 1)
    return text[:at] + new + text[at + len(old) :]


def ref_problems(tree):
    return [p for p in tree.load().problems if p.path == tree.path(REF)]


def test_a_valid_referentiel_loads_with_its_tree(tree):
    write_ref(tree)
    catalog = tree.load()
    assert ref_problems(tree) == []
    found = catalog.referentiel("nettoyage")
    assert found is not None and [r.id for r in catalog.referentiels] == ["nettoyage"]
    assert [a.id for a in found.activities] == ["act-1", "act-2", "act-3", "act-4"]
    assert found.safety_count == 3
    competence = found.competence("comp-1")
    assert competence.criteria[0] == ObservableCriterion(
        "crit-a", competence.criteria[0].text, True
    )
    assert [s.id for s in competence.scale] == ["not-yet", "with-help", "alone", "can-explain"]
    assert competence.soft_skills == ("ecoute",) and competence.modules == ("ecoute-1",)
    assert found.sources[0].url == "https://example.org/reference"
    assert [r.id for r in catalog.referentiels_for_module("ecoute-1")] == ["nettoyage"]
    assert tree.path(REF) in catalog.files


def test_the_id_is_the_file_name(tree):
    text = write_ref(tree, "id: nettoyage", "id: proprete")
    find(
        ref_problems(tree), tree.path(REF), line_of(text, "id: proprete"), "the id is the file name"
    )
    assert tree.load().referentiel("proprete") is None


def test_a_referentiel_with_an_error_is_not_served(tree):
    write_ref(tree, "sector: proprete", "sector: menage")
    catalog = tree.load()
    assert catalog.referentiel("nettoyage") is None and catalog.errors


def test_unknown_sector(tree):
    text = write_ref(tree, "sector: proprete", "sector: menage")
    find(ref_problems(tree), tree.path(REF), line_of(text, "sector:"), "unknown sector 'menage'")


@pytest.mark.parametrize(
    ("old", "new", "needle", "fragment"),
    [
        (
            "      - id: comp-2",
            "      - id: comp-1",
            "id: comp-1",
            "the competence id 'comp-1' is used twice",
        ),
        ("  - id: act-2", "  - id: act-1", "id: act-1", "the activity id 'act-1' is used twice"),
        (
            "  - {id: alone,",
            "  - {id: with-help,",
            "{id: with-help",
            "the scale step id 'with-help' is used twice",
        ),
    ],
    ids=["competence", "activity", "scale-step"],
)
def test_unique_ids(tree, old, new, needle, fragment):
    text = write_ref(tree, old, new)
    find(ref_problems(tree), tree.path(REF), line_of(text, needle, 2), fragment)


def test_criterion_ids_are_unique_within_a_competence_only(tree):
    text = write_ref(tree, "          - id: crit-b", "          - id: crit-a")
    find(
        ref_problems(tree),
        tree.path(REF),
        line_of(text, "id: crit-a", 2),
        "the criterion id 'crit-a'",
    )
    assert len(ref_problems(tree)) == 1  # crit-a in comp-1 and in comp-2 is fine


def test_an_invalid_id(tree):
    text = write_ref(tree, "      - id: comp-3", "      - id: Comp 3")
    find(ref_problems(tree), tree.path(REF), line_of(text, "Comp 3"), "is not valid")


@pytest.mark.parametrize(
    ("old", "new", "at", "fragment"),
    [
        (
            'summary: {fr: "Nettoie des locaux."}\n',
            "",
            "id: nettoyage",
            "the référentiel has no 'summary'",
        ),
        ('    publisher: "Un ministère"\n', "", '  - title: "Une', "source has no 'publisher'"),
        (
            "        criteria:\n",
            "        critera:\n",
            "critera:",
            "unknown key 'critera' in competence",
        ),
        (
            '    title: {fr: "Activité 1"}\n',
            '    titre: {fr: "Activité 1"}\n',
            "titre:",
            "unknown key 'titre'",
        ),
        (
            '    note: "Les activités."\n',
            '    notes: "x"\n',
            "notes:",
            "unknown key 'notes' in source",
        ),
    ],
    ids=["top-key", "source-key", "competence-typo", "activity-typo", "source-typo"],
)
def test_required_and_unknown_keys(tree, old, new, at, fragment):
    text = write_ref(tree, old, new)
    find(ref_problems(tree), tree.path(REF), line_of(text, at), fragment)


def test_competence_without_criteria(tree):
    text = write_ref(tree, "        criteria:\n", "        kriteria:\n")
    problems = ref_problems(tree)
    find(problems, tree.path(REF), line_of(text, "id: comp-1"), "competence has no 'criteria'")
    find(problems, tree.path(REF), line_of(text, "kriteria:"), "unknown key 'kriteria'")


def test_languages_are_known_and_french_is_required(tree):
    text = write_ref(tree, 'title: {fr: "Agent·e de nettoyage"}', 'title: {es: "Limpiador"}')
    line = line_of(text, "Limpiador")
    find(ref_problems(tree), tree.path(REF), line, "'es' is not a language")
    find(ref_problems(tree), tree.path(REF), line, "has no French text")


def test_four_to_eight_activities(tree):
    text = REFERENTIEL.split("  - id: act-4")[0]
    tree.write(REF, text)
    find(
        ref_problems(tree),
        tree.path(REF),
        line_of(text, "activities:"),
        "has 4 to 8 activities, not 3",
    )


def test_each_activity_has_one_to_five_competences(tree):
    head, tail = REFERENTIEL.split("  - id: act-4\n")
    text = head + '  - id: act-4\n    title: {fr: "Vide"}\n    competences: []\n'
    tree.write(REF, text)
    find(
        ref_problems(tree),
        tree.path(REF),
        line_of(text, "competences: []"),
        "1 to 5 competences, not 0",
    )


def test_two_to_six_criteria(tree):
    text = write_ref(tree, '          - id: crit-b\n            text: {fr: "Fait cela"}\n', "")
    find(ref_problems(tree), tree.path(REF), line_of(text, "criteria:"), "2 to 6 criteria, not 1")


def test_at_least_three_safety_criteria(tree):
    text = write_ref(tree, "safety: true", "safety: false")
    find(
        ref_problems(tree),
        tree.path(REF),
        line_of(text, "activities:"),
        "at least 3 safety criteria",
    )


def test_safety_is_true_or_false(tree):
    text = write_ref(tree, "safety: false", "safety: oui non")
    find(ref_problems(tree), tree.path(REF), line_of(text, "oui non"), "'safety' is true or false")


def test_soft_skills_exist(tree):
    text = write_ref(tree, "soft_skills: [ecoute]", "soft_skills: [ecoutee]")
    find(
        ref_problems(tree), tree.path(REF), line_of(text, "ecoutee"), "unknown soft skill 'ecoutee'"
    )


def test_modules_exist(tree):
    text = write_ref(tree, "modules: [ecoute-1]", "modules: [ecoute-9]", nth=2)
    find(
        ref_problems(tree),
        tree.path(REF),
        line_of(text, "ecoute-9"),
        "the module 'ecoute-9' is not",
    )


def test_the_scale_has_two_to_six_steps(tree):
    text = REFERENTIEL.replace(
        '  - {id: with-help, label: {fr: "Avec de l\'aide"}}\n'
        '  - {id: alone, label: {fr: "Seul·e"}}\n'
        '  - {id: can-explain, label: {fr: "Sait expliquer"}}\n',
        "",
    )
    tree.write(REF, text)
    find(ref_problems(tree), tree.path(REF), line_of(text, "scale:"), "a scale has 2 to 6 steps")


def test_a_competence_may_override_the_scale(tree):
    own = (
        "        scale:\n"
        '          - {id: non, label: {fr: "Non"}}\n'
        '          - {id: oui, label: {fr: "Oui"}}\n'
    )
    text = _replace_nth(REFERENTIEL, "        criteria:\n", own + "        criteria:\n", 2)
    tree.write(REF, text)
    assert ref_problems(tree) == []
    competence = tree.load().referentiel("nettoyage").competence("comp-2")
    assert competence.own_scale and [s.id for s in competence.scale] == ["non", "oui"]
    broken = text.replace('          - {id: oui, label: {fr: "Oui"}}\n', "")
    tree.write(REF, broken)
    find(
        ref_problems(tree), tree.path(REF), line_of(broken, "        scale:"), "2 to 6 steps, not 1"
    )


def test_sources_are_not_empty(tree):
    head, tail = REFERENTIEL.split("sources:\n")
    text = head + "sources: []\n" + tail[tail.index("scale:") :]
    tree.write(REF, text)
    find(ref_problems(tree), tree.path(REF), line_of(text, "sources: []"), "at least one source")


def test_a_source_url_is_a_web_address_and_http_is_a_warning(tree, capsys):
    text = write_ref(tree, "https://example.org/reference", "ftp://example.org/x")
    find(ref_problems(tree), tree.path(REF), line_of(text, "ftp://"), "is not a web address")
    text = write_ref(tree, "https://example.org/reference", "http://example.org/reference")
    line = line_of(text, "http://")
    find(ref_problems(tree), tree.path(REF), line, "https://", severity="warning")
    assert main(["check", tree.path("referentiels")]) == 0
    assert main(["check", "--strict", tree.path("referentiels")]) == 1
    assert f"{tree.path(REF)}:{line}: error: use an https://" in capsys.readouterr().out


def test_unreadable_yaml_gives_its_line(tree):
    text = write_ref(
        tree, 'summary: {fr: "Nettoie des locaux."}', "summary: {fr: Nettoie: des locaux}"
    )
    find(ref_problems(tree), tree.path(REF), line_of(text, "summary:"), "the YAML cannot be read")


COURSE = """\
id: metier-nettoyage
title: {fr: "Métier : agent·e de nettoyage"}
description: {fr: "Deux modules."}
modules: [nettoyage-securite]
"""


def test_a_job_course_is_loaded_from_metiers(tree):
    module = ES_SOCIAL.replace("id: es-social", "id: nettoyage-securite").replace(
        "course: entrepreneurship", "course: metier-nettoyage"
    )
    tree.write("metiers/nettoyage/course.yaml", COURSE)
    tree.write("metiers/nettoyage/securite.fr.md", module)
    tree.write(
        "metiers/nettoyage/securite.fr.easy.md",
        module.replace("variant: standard", "variant: easy"),
    )
    tree.write("metiers/nettoyage/photo.png", b"\x89PNG\r\n\x1a\n")
    catalog = tree.load()
    mine = [p for p in catalog.problems if "/metiers/" in p.path]
    assert [p for p in mine if p.is_error] == [], [p.format() for p in mine]
    assert [c.id for c in catalog.metier_courses()] == ["metier-nettoyage"]
    assert [m.id for m in catalog.course_modules("metier-nettoyage")] == ["nettoyage-securite"]


def test_a_job_course_has_its_folder_id_and_existing_modules(tree):
    tree.write(
        "metiers/nettoyage/course.yaml", COURSE.replace("id: metier-nettoyage", "id: nettoyage")
    )
    problems = tree.load().problems
    course = tree.path("metiers/nettoyage/course.yaml")
    find(problems, course, 1, "the id of this course is 'metier-nettoyage'")
    tree.write("metiers/nettoyage/course.yaml", COURSE)
    find(
        tree.load().problems,
        course,
        4,
        "the module 'nettoyage-securite' is not in any content file",
    )


def test_a_job_folder_without_its_course(tree):
    tree.write("metiers/nettoyage/notes.txt", "rien")
    find(tree.load().problems, tree.path("metiers/nettoyage/course.yaml"), 1, "is missing")


SHIPPED = PROJECT_ROOT / "content"


def test_the_shipped_referentiels_and_job_courses_pass():
    catalog = load_catalog(SHIPPED)
    mine = [p for p in catalog.problems if "/referentiels/" in p.path or "/metiers/" in p.path]
    assert mine == [], "\n".join(p.format() for p in mine)
    proprete = catalog.referentiel("agent-proprete")
    assert proprete is not None and 4 <= len(proprete.activities) <= 8
    assert proprete.safety_count >= 3 and proprete.sources
    assert set(proprete.module_ids) == {"agent-proprete-securite", "agent-proprete-mots"}
    course = catalog.course("metier-agent-proprete")
    assert course.module_ids == ("agent-proprete-securite", "agent-proprete-mots")
    for module_id in course.module_ids:
        assert set(catalog.modules[module_id].variants) == {("fr", "standard"), ("fr", "easy")}


def test_an_id_that_yaml_reads_as_true_or_false(tree):
    text = write_ref(tree, "{id: alone,", "{id: yes,")
    find(
        ref_problems(tree),
        tree.path(REF),
        line_of(text, "{id: yes,"),
        "put it between double quotes",
    )


def test_a_bug_in_the_loader_is_reported_not_raised(tree, monkeypatch):
    from learn.modules import catalog as catalog_module

    def broken(file, display):
        raise ValueError("boom")

    monkeypatch.setattr(catalog_module, "load_referentiel", broken)
    write_ref(tree)
    find(ref_problems(tree), tree.path(REF), 1, "internal error while reading this file")
