"""The syllable splitter: pyphen's dictionaries, the French rules, the authors' exception list,
and the markup it puts in content HTML (text unchanged, separators hidden from screen readers)."""

from __future__ import annotations

import html
import re

import pytest

from learn.modules.datafiles import load_syllables
from learn.reading.syllables import SyllableSplitter, mark_syllables, splitter
from tests.conftest import CONTENT_DIR

# Spoken syllables, double consonants split as in writing; each checked by ear.
FRENCH = {
    "travail": "tra-vail",
    "reformuler": "re-for-mu-ler",
    "personne": "per-sonne",
    "question": "ques-tion",
    "sécurité": "sé-cu-ri-té",
    "responsabilité": "res-pon-sa-bi-li-té",
    "organisation": "or-ga-ni-sa-tion",
    "entreprise": "en-tre-prise",
    "comprendre": "com-prendre",
    "chantier": "chan-tier",
    "matériel": "ma-té-riel",
    "ponctualité": "ponc-tua-li-té",
    "ensemble": "en-semble",
    "attention": "at-ten-tion",
    "problème": "pro-blème",
    "collègue": "col-lègue",
    "vérifier": "vé-ri-fier",
    "bonjour": "bon-jour",
    "journée": "jour-née",
    # A first vowel alone (the dictionary never breaks there at the end of a line).
    "écouter": "é-cou-ter",
    "Écoute": "É-coute",
    "idée": "i-dée",
    "équipe": "é-quipe",
    "écrire": "é-crire",
    "uniforme": "u-ni-forme",
    "initiative": "i-ni-tia-tive",
    "améliorer": "a-mé-lio-rer",
    "une": "une",
    "ose": "ose",
    # con-, cons- and cul-, which typographers avoid breaking.
    "confiance": "con-fiance",
    "conflit": "con-flit",
    "construire": "cons-truire",
    "culture": "cul-ture",
    "contrat": "con-trat",
    # -ill- after a vowel, and é before a vowel that is heard.
    "travailleur": "tra-vail-leur",
    "meilleure": "meil-leure",
    "ailleurs": "ail-leurs",
    "conseiller": "con-seil-ler",
    "feuille": "feuille",
    "créer": "cré-er",
    "théâtre": "thé-âtre",
    "réagir": "ré-agir",
    "agréable": "a-gré-able",
    # One syllable.
    "chef": "chef",
    "prendre": "prendre",
    "quatre": "quatre",
}
ENGLISH = {
    "listening": "lis-ten-ing",
    "workplace": "work-place",
    "understand": "un-der-stand",
    "together": "to-geth-er",
    "business": "busi-ness",
    "environment": "en-vi-ron-ment",
    "social": "so-cial",
    "important": "im-por-tant",
    "enterprise": "en-ter-prise",
    "people": "peo-ple",
    "employee": "em-ploy-ee",
    "different": "dif-fer-ent",
    "family": "fam-i-ly",
    "company": "com-pa-ny",
    "communication": "com-mu-ni-ca-tion",
    "responsibility": "re-spon-si-bil-i-ty",
    "opportunity": "op-por-tu-ni-ty",
    "again": "a-gain",
    "agreement": "a-gree-ment",
    "problem": "prob-lem",
    "work": "work",
}
# Wrong without the shipped exception list (content/softskills/syllables.yaml), right with it.
SHIPPED_EXCEPTIONS = {
    "fr": {
        "client": "cli-ent",
        "cliente": "cli-ente",
        "réunion": "ré-u-nion",
        "deuxième": "deu-xième",
        "désaccord": "dé-sac-cord",
        "coopérer": "co-o-pé-rer",
    },
    "en": {
        "about": "a-bout",
        "idea": "i-de-a",
        "customer": "cus-tom-er",
        "evening": "eve-ning",
    },
}


@pytest.fixture(scope="module")
def shipped():
    """The exception list shipped in content/ (only the data file, not the whole catalog)."""
    data = load_syllables(CONTENT_DIR / "softskills" / "syllables.yaml", "syllables.yaml")
    assert not data.problems, data.problems
    return data.syllables


@pytest.mark.parametrize(("word", "expected"), FRENCH.items())
def test_french_words(word, expected):
    assert "-".join(SyllableSplitter("fr").split(word)) == expected


@pytest.mark.parametrize(("word", "expected"), ENGLISH.items())
def test_english_words(word, expected):
    assert "-".join(SyllableSplitter("en").split(word)) == expected


@pytest.mark.parametrize(
    ("lang", "word", "expected"),
    [(lang, w, e) for lang, words in SHIPPED_EXCEPTIONS.items() for w, e in words.items()],
)
def test_the_shipped_exception_list_corrects_the_dictionary(shipped, lang, word, expected):
    assert "-".join(SyllableSplitter(lang).split(word)) != expected
    assert "-".join(SyllableSplitter(lang, shipped.get(lang)).split(word)) == expected


def test_an_exception_keeps_the_capitals_of_the_text():
    split = SyllableSplitter("fr", {"consigne": ("con", "si", "gne")}).split
    assert split("Consigne") == ("Con", "si", "gne")
    assert split("CONSIGNE") == ("CON", "SI", "GNE")


def test_every_split_joins_back_to_the_word():
    for lang, words in (("fr", FRENCH), ("en", ENGLISH)):
        for word in words:
            assert "".join(SyllableSplitter(lang).split(word)) == word


def test_an_unknown_language_falls_back_to_french():
    assert SyllableSplitter("xx").split("écouter") == ("é", "cou", "ter")


@pytest.mark.parametrize(
    ("lang", "word", "expected"),
    [
        ("de", "Arbeitshandschuhe", "Ar-beits-hand-schu-he"),
        ("de", "zuhören", "zu-hö-ren"),
        ("it", "ascoltare", "a-scol-ta-re"),
        ("it", "lavoro", "la-vo-ro"),
    ],
)
def test_german_and_italian_words_are_split_with_their_own_dictionary(lang, word, expected):
    assert "-".join(SyllableSplitter(lang).split(word)) == expected


def visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_marked_html_keeps_the_text_tags_and_code():
    fragment = (
        '<h2 id="travail">Écouter au travail</h2><p>L&#39;<strong>écoute</strong> &amp; la '
        '<a class="gloss" href="#gloss-consigne" aria-describedby="gloss-consigne">consigne</a>'
        " &lt;b&gt; <code>reformuler</code></p><pre>travailleur</pre>"
    )
    marked = mark_syllables(fragment, "fr", {"consigne": ("con", "si", "gne")})
    assert visible_text(marked) == visible_text(fragment)
    assert '<h2 id="travail">' in marked
    assert 'aria-describedby="gloss-consigne">' in marked
    assert "<code>reformuler</code>" in marked and "<pre>travailleur</pre>" in marked
    assert "&lt;b&gt;" in marked and "&amp;" in marked
    sep = '<span class="sy-sep" aria-hidden="true"></span>'
    assert f'<span class="sy">con</span>{sep}<span class="sy sy-b">si</span>{sep}' in marked
    assert marked.count(sep) == 2 + 1 + 1 + 2  # é-cou-ter, tra-vail, é-coute, con-si-gne
    # Every separator is empty and hidden from screen readers: nothing of it is read or copied.
    assert re.findall(r'<span class="sy-sep"[^>]*>([^<]*)</span>', marked) == [""] * 6


def test_a_quoted_attribute_value_is_never_marked():
    """The sanitiser escapes ">" in attribute values, but a tag is read whole even if one does
    not: no syllable markup can land inside a tag."""
    fragment = (
        '<p><a href="#gloss-x" title="travail > consigne">travail</a>'
        "<img alt='écouter > reformuler' src=\"a.png\"></p>"
    )
    marked = mark_syllables(fragment, "fr", None)
    assert '<a href="#gloss-x" title="travail > consigne">' in marked
    assert "<img alt='écouter > reformuler' src=\"a.png\">" in marked
    assert marked.count("sy-sep") == 1  # tra-vail, the link's text


def test_words_of_one_syllable_are_left_alone():
    assert mark_syllables("<p>Le chef part.</p>", "fr", None) == "<p>Le chef part.</p>"


def test_the_splitter_is_rebuilt_when_the_exceptions_change():
    first = {"consigne": ("con", "si", "gne")}
    assert "con</span>" in mark_syllables("<p>consigne</p>", "fr", first)
    second = {"consigne": ("cons", "igne")}
    assert splitter("fr", second) is splitter("fr", second)
    assert "cons</span>" in mark_syllables("<p>consigne</p>", "fr", second)


def test_tokens_give_a_template_the_words_and_what_is_between():
    tokens = SyllableSplitter("fr").tokens("L'écoute, au travail !")
    assert tokens == [
        ("L",),
        ("'",),
        ("é", "coute"),
        (", ",),
        ("au",),
        (" ",),
        ("tra", "vail"),
        (" !",),
    ]
    assert "".join("".join(parts) for parts in tokens) == "L'écoute, au travail !"
