"""Words and formats through learn/i18n.py: French plurals (0 and 1 singular), the elisions
before a name (de/d', que/qu'), one date format per language in the organisation's time zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from learn.i18n import (
    format_clock,
    format_when,
    ngettext,
    of_name,
    starts_with_vowel_sound,
    that_name,
    using_locale,
)


@pytest.mark.parametrize(
    ("name", "elided"),
    [
        ("Amina", True),
        ("Émile", True),  # accented vowel
        ("Ève", True),
        ("Œdipe", True),
        ("Hugo", True),  # h treated as mute in names: d'Hugo
        ("Hélène", True),
        ("Yves", True),  # y before a consonant sounds as a vowel
        ("Yann", False),  # y before a vowel is a consonant
        ("Marie", False),
        ("  amina", True),  # leading spaces and lower case do not matter
        ("", False),
        ("'Abdel", False),  # not a letter: no elision
    ],
)
def test_a_vowel_sound_starts_the_name(name, elided):
    assert starts_with_vowel_sound(name) is elided


def test_de_and_que_are_elided_in_french_and_english_says_of_and_that():
    with using_locale("fr"):
        assert of_name("Amina") == "d'Amina"
        assert of_name("Hélène Dupont") == "d'Hélène Dupont"
        assert of_name("Marie") == "de Marie"
        assert that_name("Amina") == "qu'Amina"
        assert that_name("Yann") == "que Yann"
    with using_locale("en"):
        assert of_name("Amina") == "of Amina" and of_name("Marie") == "of Marie"
        assert that_name("Amina") == "that Amina"
    assert of_name("Amina") == "of Amina"  # outside a request: English


PLURALS = [
    (
        (
            "The file has %(num)d problem. Nothing was created.",
            "The file has %(num)d problems. Nothing was created.",
        ),
        {
            "fr": [
                "Le fichier a 0 problème.",
                "Le fichier a 1 problème.",
                "Le fichier a 2 problèmes.",
            ],
            "en": [
                "The file has 0 problems.",
                "The file has 1 problem.",
                "The file has 2 problems.",
            ],
        },
    ),
    (
        (
            "%(num)d worksheet waits for your review",
            "%(num)d worksheets wait for your review, oldest first",
        ),
        {
            "fr": ["0 fiche attend", "1 fiche attend", "2 fiches attendent"],
            "en": ["0 worksheets wait", "1 worksheet waits", "2 worksheets wait"],
        },
    ),
    (
        ("%(num)d learner needs help.", "%(num)d learners need help."),
        {
            "fr": ["0 apprenant a besoin", "1 apprenant a besoin", "2 apprenants ont besoin"],
            "en": ["0 learners need", "1 learner needs", "2 learners need"],
        },
    ),
    (
        ("Inactive for %(num)d day.", "Inactive for %(num)d days."),
        {
            "fr": ["Inactif depuis 0 jour.", "Inactif depuis 1 jour.", "Inactif depuis 2 jours."],
            "en": ["Inactive for 0 days.", "Inactive for 1 day.", "Inactive for 2 days."],
        },
    ),
]


@pytest.mark.parametrize(("forms", "expected"), PLURALS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_counts_take_the_languages_plural_form_for_0_1_and_2(forms, expected, language):
    with using_locale(language):
        for n, start in zip((0, 1, 2), expected[language], strict=True):
            assert ngettext(*forms, n).startswith(start), (n, ngettext(*forms, n))


def test_french_has_one_date_format_and_times_are_in_the_organisations_zone():
    evening = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already 1 January in Paris
    with using_locale("fr"):
        assert format_when(date(2026, 3, 5)) == "05/03/2026"
        assert format_when(evening, "Europe/Paris") == "01/01/2027 00:30"
        assert format_when(evening, "Europe/Paris", time=False) == "01/01/2027"
        assert format_when(evening, "America/Cayenne") == "31/12/2026 20:30"
        assert format_when(None) == ""
    with using_locale("en"):
        assert format_when(date(2026, 3, 5)) == "05/03/2026"
        assert format_when(evening, "Europe/Paris") == "01/01/2027, 00:30"


def test_a_time_of_day_is_written_the_languages_way_in_the_organisations_zone():
    evening = datetime(2026, 12, 31, 23, 5, tzinfo=UTC)
    for language in ("fr", "en", "de", "it"):
        with using_locale(language):
            assert format_clock(evening, "Europe/Paris") == "00:05", language
            assert format_clock(evening, "America/Cayenne") == "20:05", language


def test_no_page_or_view_writes_a_date_by_hand():
    """Dates go through format_when (the `when` filter), times of day through format_clock (the
    `clock` filter): a strftime("%d/%m/%Y") or strftime("%H:%M") in a template or a view is a
    second format beside the language's own."""
    root = Path(__file__).resolve().parents[1] / "learn"
    by_hand = [
        str(path.relative_to(root))
        for path in [*root.rglob("*.html"), *root.rglob("*.py")]
        if re.search(r"strftime\(\s*['\"]%[dHIM]", path.read_text(encoding="utf-8"))
    ]
    assert by_hand == []
