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


def test_sentences_end_at_a_colon_before_a_plain_sentence_and_question_marks():
    line = " ".join(["mot"] * 10) + " : " + " ".join(["mot"] * 10) + " ? " + "fin"
    assert lint_easy([(1, line)], set()) == []


def test_links_and_marks_count_only_their_visible_words():
    line = "Voir [cette page](https://example.org/a_b_c) et [[un mot|terme]] avec **force**."
    assert lint_easy([(1, line)], {"terme"}) == []


def test_bold_list_items_and_bullets_are_not_italics():
    lines = [(1, "* un point"), (2, "**gras** et encore **gras**"), (3, "5 * 3 * 2")]
    assert lint_easy(lines, set()) == []


def test_a_colon_before_a_comma_list_does_not_end_the_sentence():
    # "X : a, b, c, d." is one sentence up to its end: a long list is a long sentence
    line = (
        "Pour bien nettoyer le sol, prenez : un seau, une éponge, des gants, un produit, "
        "un chiffon, une brosse."
    )
    found = lint_easy([(1, line)], set())
    assert [(n, severity) for n, severity, _ in found] == [(1, "warning")]
    assert (
        "a sentence with a list, of 18 words (at most 15); write the list one item a line"
        in (found[0][2])
    )
    # a long list is a warning, not an error: the module stays online while it is rewritten
    long_list = line[:-1] + ", une raclette, un balai, une pelle, un sac."
    assert [severity for _, severity, _ in lint_easy([(1, long_list)], set())] == ["warning"]
    # but a part over 20 words stays an error, list or not
    long_part = "Attention : " + TWENTY_ONE[:-1] + ", vingt-deux."
    found = lint_easy([(1, long_part)], set())
    assert [(severity, message[:43]) for _, severity, message in found] == [
        ("error", "easy-read: a sentence of 22 words (over 20)")
    ]
    # a colon followed by a plain sentence still ends the first one
    plain = " ".join(["mot"] * 10) + " : " + " ".join(["mot"] * 10) + "."
    assert lint_easy([(1, plain)], set()) == []


TIMES = {
    "7h30": "7 h 30",
    "07:30": "7 h 30",
    "7H": "7 h",
    "14h": "14 h",
    "14h00": "14 h",
    "14 h 00": "14 h",
    "07 h 30": "7 h 30",
    "7 h30": "7 h 30",
}


@pytest.mark.parametrize(("written", "better"), TIMES.items(), ids=TIMES.keys())
def test_french_easy_read_writes_times_7_h_30(written, better):
    found = lint_easy([(3, f"Le bus passe à {written} devant le dépôt.")], set())
    assert found == [
        (3, "warning", f"easy-read: write the time '{written}' as '{better}' (7 h 30, 14 h)")
    ]


def test_good_times_and_other_numbers_are_fine():
    lines = [
        (1, "Le bus passe à 7 h 30, puis à 14 h."),
        (2, "Étape 3 : vous rangez le chariot."),
        (3, "Vous travaillez 35 h par semaine."),
        (4, "Un score de 3,5 sur 10."),
    ]
    assert lint_easy(lines, set()) == []
    assert lint_easy([(1, "The bus comes at 7:30.")], set(), "en") == []


def test_a_time_in_an_easy_read_file_is_reported_at_its_line(tree):
    text = break_file(tree, EASY, "Samia reformule la consigne.", "Samia commence à 7h30.")
    find(tree.load().problems, tree.path(EASY), line_of(text, "7h30"), "'7 h 30'", "warning")


IDIOMS = {
    "plan B": "Prévoyez un plan B.",
    "craquer": "Samia craque en fin de journée.",
    "coup de main": "Un collègue donne un coup de main.",
    "ça roule": "Le chef dit : ça roule.",
    "avoir la tête dans le guidon": "Il a la tête dans le guidon.",
}


@pytest.mark.parametrize(("idiom", "line"), IDIOMS.items(), ids=IDIOMS.keys())
def test_easy_read_flags_idioms(idiom, line):
    assert lint_easy([(2, line)], set()) == [
        (
            2,
            "warning",
            f"easy-read: '{idiom}' is an idiom: say plainly what it means, or explain it in the "
            "glossary",
        )
    ]


def test_an_idiom_explained_in_the_glossary_is_fine(tree):
    text = break_file(tree, EASY, "Samia reformule la consigne.", "Samia prévoit un [[plan B]].")
    find(tree.load().problems, tree.path(EASY), line_of(text, "plan B"), "idiom", "warning")
    text = break_file(
        tree, EASY, "::: glossary\n", "::: glossary\nplan B: une solution de secours.\n", text
    )
    assert not [p for p in tree.load().problems if "idiom" in p.message]


def test_words_that_only_look_like_idioms_are_fine():
    lines = [(1, "Le plan du bâtiment est affiché."), (2, "La main droite tient le balai.")]
    assert lint_easy(lines, set()) == []
    assert lint_easy([(1, "Ask a colleague for a hand.")], set(), "en") == []
    assert lint_easy([(1, "Keep a plan B.")], set(), "en")[0][2].startswith("easy-read: 'plan B'")


# --- German and Italian -------------------------------------------------------------------------

OTHER_IDIOMS = {
    "de: Daumen drücken": ("de", "Wir drücken Ihnen die Daumen.", "Daumen drücken"),
    "de: ins kalte Wasser": ("de", "Sie springen ins kalte Wasser.", "ins kalte Wasser springen"),
    "de: Ärmel": ("de", "Wir krempeln die Ärmel hoch.", "die Ärmel hochkrempeln"),
    "de: Plan B": ("de", "Haben Sie einen Plan B?", "Plan B"),
    "it: in bocca al lupo": ("it", "In bocca al lupo per il colloquio!", "in bocca al lupo"),
    "it: dare una mano": ("it", "Un collega ti dà una mano.", "dare una mano"),
    "it: maniche": ("it", "Ci rimbocchiamo le maniche.", "rimboccarsi le maniche"),
    "it: piano B": ("it", "Prepara un piano B.", "piano B"),
}


@pytest.mark.parametrize(("lang", "line", "idiom"), OTHER_IDIOMS.values(), ids=OTHER_IDIOMS.keys())
def test_german_and_italian_idioms_are_flagged(lang, line, idiom):
    assert lint_easy([(4, line)], set(), lang) == [
        (
            4,
            "warning",
            f"easy-read: '{idiom}' is an idiom: say plainly what it means, or explain it in the "
            "glossary",
        )
    ]


def test_an_idiom_is_looked_for_in_its_own_language_only():
    assert lint_easy([(1, "In bocca al lupo!")], set(), "de") == []
    assert lint_easy([(1, "Un coup de main.")], set(), "it") == []


@pytest.mark.parametrize(
    ("lang", "line", "abbreviations"),
    [
        ("de", "Bringen Sie z. B. Handschuhe, Schuhe usw. mit.", ["z. B.", "usw."]),
        ("de", "Lesen Sie S. 5, d. h. die Regeln, bzw. die Liste.", ["S. 5", "d. h.", "bzw."]),
        ("de", "Das ist z.B. ein Besen.", ["z.B."]),
        ("it", "Porta i guanti, le scarpe ecc.", ["ecc."]),
        ("it", "Leggi a pag. 4, ad es. le regole.", ["pag. 4", "ad es."]),
        ("it", "Chiama il Sig. Rossi.", ["Sig."]),
    ],
)
def test_german_and_italian_abbreviations_are_flagged(lang, line, abbreviations):
    found = [message for _, _, message in lint_easy([(1, line)], set(), lang)]
    assert found == [f"easy-read: write the abbreviation '{a}' in full" for a in abbreviations]


def test_what_is_plain_german_or_italian_is_not_flagged():
    lines = {
        "de": [
            (1, "Die Arbeit beginnt um 7:30 Uhr."),  # how German writes a time
            (2, "Wir treffen uns um 14 Uhr. Ich mache es."),  # "es." is a word, not "es." (it)
            (3, "Der Daumen tut weh."),
        ],
        "it": [(1, "Il lavoro comincia alle 7:30."), (2, "Alza una mano. La mano destra.")],
    }
    for lang, found in lines.items():
        assert lint_easy(found, set(), lang) == [], lang
