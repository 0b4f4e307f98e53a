"""The German and Italian catalogues (issue 24): every msgid translated, nothing fuzzy, the same
placeholders as the English, the plural forms CLDR gives; dates and numbers as each language
writes them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from learn.i18n import LANGUAGE_NAMES, LANGUAGES, TRANSLATIONS, _, format_when, using_locale
from learn.services.spreadsheet import number_text

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")
PARTNERS = ("de", "it")


def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def messages(language: str):
    return [message for message in catalogue(language) if message.id]


def forms(string) -> tuple:
    """A translation's forms: one, or one per plural form."""
    return string if isinstance(string, tuple) else (string,)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_the_interface_offers_four_languages_by_their_own_names():
    assert LANGUAGES == ("fr", "en", "de", "it")
    assert LANGUAGE_NAMES == {
        "fr": "Français",
        "en": "English",
        "de": "Deutsch",
        "it": "Italiano",
    }


@pytest.mark.parametrize("language", PARTNERS)
def test_every_msgid_is_translated_and_none_is_fuzzy(language):
    found = messages(language)
    french = {message.id for message in messages("fr")}
    assert {message.id for message in found} == french  # the same msgids as the French
    untranslated = [
        message.id
        for message in found
        if "fuzzy" in message.flags or not all(forms(message.string))
    ]
    assert untranslated == []
    assert not catalogue(language).fuzzy


@pytest.mark.parametrize("language", PARTNERS)
def test_placeholders_are_intact(language):
    """Each translation has the msgid's placeholders (a singular may say "one" for %(num)d)."""
    wrong = []
    for message in messages(language):
        if isinstance(message.id, tuple):
            wanted = placeholders(message.id[1])
            for n, form in enumerate(message.string):
                got = placeholders(form)
                if got != wanted and not (n == 0 and got == wanted - {"%(num)d"}):
                    wrong.append((message.id, form))
        elif placeholders(message.id) != placeholders(message.string):
            wrong.append((message.id, message.string))
    assert wrong == []


@pytest.mark.parametrize("language", PARTNERS)
def test_plural_forms_are_cldrs(language):
    found = catalogue(language)
    cldr = get_plural(language)
    assert (found.num_plurals, found.plural_expr) == (cldr.num_plurals, cldr.plural_expr)
    plurals = [message for message in messages(language) if isinstance(message.id, tuple)]
    assert plurals and all(len(m.string) == found.num_plurals for m in plurals)


def test_the_catalogues_translate_at_run_time():
    with using_locale("de"):
        assert _("Sign out") == "Abmelden"
        assert _("Erased learner") == "Gelöschte lernende Person"
    with using_locale("it"):
        assert _("Sign out") == "Esci"
        assert _("Erased learner") == "Corsista cancellato"


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("fr", "07/12/2026", "07/12/2026 09:05"),
        ("en", "07/12/2026", "07/12/2026, 09:05"),
        ("de", "07.12.2026", "07.12.2026, 09:05"),
        ("it", "07/12/2026", "07/12/2026, 09:05"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language, day, moment):
    with using_locale(language):
        assert format_when(date(2026, 12, 7)) == day
        assert format_when(datetime(2026, 12, 7, 8, 5, tzinfo=UTC), "Europe/Paris") == moment


@pytest.mark.parametrize(
    ("language", "written"), [("fr", "1,5"), ("en", "1.5"), ("de", "1,5"), ("it", "1,5")]
)
def test_numbers_take_each_languages_decimal_sign(language, written):
    with using_locale(language):
        assert number_text(1.5) == written
