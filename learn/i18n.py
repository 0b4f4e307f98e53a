"""The one translation seam: services and models translate through it, never through Flask-Babel.

Importing it needs no Flask, so a service runs (and is tested) without an app. In a request (or
a command, which runs in one), a string is translated by Flask-Babel into the request's locale;
anywhere else it stays in the source language (English), unless a locale is set with
`using_locale` (a test, a script). The names are the ones `pybabel extract` knows: `_` and
`gettext`, `ngettext`, `pgettext`, and `_l` (`-k _l`) for a string translated when it is shown.

It also writes what depends on the language besides words: dates and times (`format_when`, one
format per language) and the French elisions before a name (`of_name`: « de Marie », « d'Amina »;
`that_name`: « que Marie », « qu'Amina »)."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_datetime_format
from babel.support import LazyProxy, NullTranslations, Translations

TRANSLATIONS = Path(__file__).parent / "translations"
# The interface's languages, French first, each named in its own language (the language switch).
LANGUAGES = ("fr", "en", "de", "it")
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "de": "Deutsch", "it": "Italiano"}
_chosen_locale: ContextVar[str | None] = ContextVar("learn_i18n_locale", default=None)


@cache
def _catalogue(locale: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS), [locale])


def current_locale() -> str:
    """The language in force: `using_locale`'s, else the request's, else English."""
    chosen = _chosen_locale.get()
    if chosen is not None:
        return chosen
    flask = sys.modules.get("flask")
    if flask is not None and flask.has_request_context():
        from flask_babel import get_locale

        found = get_locale()
        if found is not None:
            return str(found)
    return "en"


def translations() -> NullTranslations:
    """The catalogue in force: `using_locale`'s, else the request's, else none (English)."""
    chosen = _chosen_locale.get()
    if chosen is not None:
        return _catalogue(chosen)
    flask = sys.modules.get("flask")  # not imported here: without Flask loaded, no request
    if flask is not None and flask.has_request_context():
        # Found once per request, in the slot the templates' gettext uses (learn/web/i18n.py):
        # a page may translate dozens of service messages.
        found = flask.g.get("_learn_translations")
        if found is None:
            from flask_babel import get_translations

            found = flask.g._learn_translations = get_translations()
        return found
    return NullTranslations()


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    """Translate into `locale` inside the block, whatever the request says (tests, scripts)."""
    token = _chosen_locale.set(locale)
    try:
        yield
    finally:
        _chosen_locale.reset(token)


def gettext(string: str, **variables) -> str:
    """`string` translated, with `%(name)s` placeholders filled from `variables`."""
    found = translations().ugettext(string)
    return found % variables if variables else found


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """The singular or plural form for `num` (also available as `%(num)d`), translated."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def pgettext(context: str, string: str, **variables) -> str:
    """`gettext` for a string whose translation depends on `context`."""
    found = translations().upgettext(context, string)
    return found % variables if variables else found


def lazy_gettext(string: str, **variables) -> LazyProxy:
    """`gettext`, done each time the result is turned into text (for strings defined at import)."""
    return LazyProxy(gettext, string, enable_cache=False, **variables)


_ = gettext
_l = lazy_gettext


# --- dates and times ----------------------------------------------------------------------------

# One date format per language: French dd/mm/yyyy; English "Dec 7, 2026" (the English short format,
# 12/7/26, reads as 12 July to the French organisations Parcours serves).
# Dates as each language's readers write them: the short (numeric) form, day first. English is
# written the British way (07/12/2026, 00:30): Parcours's English readers are European partners,
# and the US order (12/7/26) would read as 12 July to them.
DATE_LOCALES = {"en": "en_GB"}
# German and Italian write the day first too (07.12.2026, 07/12/2026), but their short formats
# have a two-digit year (07.12.26): the four-digit year of the other languages is kept.
DATE_PATTERNS = {"de": "dd.MM.y", "it": "dd/MM/y"}
DEFAULT_TIMEZONE = "Europe/Paris"


def format_when(moment: date | datetime | None, timezone: str | None = None, time: bool = True):
    """A date, or a date and time, as the language in force writes it ("" for None). An aware
    datetime is first put in `timezone` (the organisation's) when given; `time=False` keeps
    only its (local) date."""
    if moment is None:
        return ""
    language = current_locale().split("_")[0]
    locale, width = DATE_LOCALES.get(language, language), "short"
    pattern = DATE_PATTERNS.get(language, width)
    if not isinstance(moment, datetime):
        return format_date(moment, pattern, locale=locale)
    if timezone and moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(timezone))
    day = format_date(moment.date(), pattern, locale=locale)
    if not time:
        return day
    clock = format_time(moment.time(), "short", locale=locale)
    joined = get_datetime_format(width, locale=locale).replace("'", "")
    return joined.replace("{0}", clock).replace("{1}", day)


def format_clock(moment: datetime, timezone: str | None = None) -> str:
    """The time of day only ("14:05"), as the language in force writes it; an aware datetime is
    first put in `timezone` (the organisation's) when given."""
    if timezone and moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(timezone))
    language = current_locale().split("_")[0]
    return format_time(moment.time(), "short", locale=DATE_LOCALES.get(language, language))


# --- elision before a name ----------------------------------------------------------------------

VOWELS = frozenset("aeiouœæ")


def starts_with_vowel_sound(name: str) -> bool:
    """Whether French elides before the name: a vowel (accented or not), a mute h (names' h is
    treated as mute: d'Hugo, d'Hélène), a y before a consonant (d'Yves, but de Yann)."""
    letters = unicodedata.normalize("NFD", name.strip().lower())
    letters = "".join(c for c in letters if not unicodedata.combining(c))
    if not letters:
        return False
    first, following = letters[0], letters[1:2]
    if first == "y":
        return bool(following) and following.isalpha() and following not in VOWELS | {"y"}
    return first in VOWELS or first == "h"


# The elided form is the translation in the context "before a vowel" (French: d'/qu'); English
# has the same words in both contexts.


def of_name(name: str) -> str:
    """« of Amina »: French « de Marie » or « d'Amina », for a msgid's `%(of_name)s`."""
    if starts_with_vowel_sound(name):
        return pgettext("before a vowel", "of %(name)s", name=name)
    return gettext("of %(name)s", name=name)


def that_name(name: str) -> str:
    """« that Amina »: French « que Marie » or « qu'Amina », for a msgid's `%(that_name)s`."""
    if starts_with_vowel_sound(name):
        return pgettext("before a vowel", "that %(name)s", name=name)
    return gettext("that %(name)s", name=name)
