"""The one translation seam: services and models translate through it, never through Flask-Babel.

Importing it needs no Flask, so a service runs (and is tested) without an app. In a request (or
a command, which runs in one), a string is translated by Flask-Babel into the request's locale;
anywhere else it stays in the source language (English), unless a locale is set with
`using_locale` (a test, a script). The names are the ones `pybabel extract` knows: `_` and
`gettext`, `ngettext`, and `_l` (`-k _l`) for a string translated when it is shown."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.support import LazyProxy, NullTranslations, Translations

TRANSLATIONS = Path(__file__).parent / "translations"
_chosen_locale: ContextVar[str | None] = ContextVar("learn_i18n_locale", default=None)


@cache
def _catalogue(locale: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS), [locale])


def translations() -> NullTranslations:
    """The catalogue in force: `using_locale`'s, else the request's, else none (English)."""
    chosen = _chosen_locale.get()
    if chosen is not None:
        return _catalogue(chosen)
    flask = sys.modules.get("flask")  # not imported here: without Flask loaded, no request
    if flask is not None and flask.has_request_context():
        from flask_babel import get_translations

        return get_translations()
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


def lazy_gettext(string: str, **variables) -> LazyProxy:
    """`gettext`, done each time the result is turned into text (for strings defined at import)."""
    return LazyProxy(gettext, string, enable_cache=False, **variables)


_ = gettext
_l = lazy_gettext
