"""The request's language: which locale, and its catalogue found once per request."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_babel import get_translations
from flask_login import current_user
from markupsafe import Markup

from learn.extensions import babel
from learn.i18n import LANGUAGE_NAMES


def select_locale() -> str:
    """The user's saved choice, then the session's, then their organisation's default, then the
    browser's, then French; found once per request (`forget_locale` after changing it)."""
    if not request:
        return _choose_locale(None)
    found = g.get("_learn_locale")
    if found is None:
        found = g._learn_locale = _choose_locale(current_user._get_current_object())
    return found


def forget_locale() -> None:
    """Find the locale again in this request (the user, their choice or the session changed)."""
    g.pop("_learn_locale", None)
    g.pop("_learn_translations", None)


def _choose_locale(user) -> str:
    offered = current_app.config["LANGUAGES"]
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if signed_in and user.locale in offered:
        return user.locale
    chosen = session.get("locale")
    if chosen in offered:
        return chosen
    if signed_in and user.organisation is not None:
        default = user.organisation.default_locale
        if default in offered:
            return default
    return request.accept_languages.best_match(offered, default="fr") or "fr"


def request_translations():
    """flask-babel's catalogue for this request's locale, looked up once per request."""
    if not g:  # no application context: flask-babel's answer (no translation)
        return get_translations()
    found = g.get("_learn_translations")
    if found is None:
        found = g._learn_translations = get_translations()
    return found


def init_app(app: Flask) -> None:
    """Babel with `select_locale`, and the templates' gettext through the request's catalogue."""
    babel.init_app(app, locale_selector=select_locale)
    # Templates call gettext dozens of times a page; flask-babel finds the locale and its
    # catalogue again on each call. Find them once per request (same catalogue, same result).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )


def locale_context() -> dict:
    """The page's locale and the languages offered (a context processor, see templating.py)."""
    return {
        "current_locale": select_locale(),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]],
    }


def content_lang(content, lang: str | None = None) -> str | None:
    """The language a piece of content is shown in: a language code as given; for a text in
    several languages (learn.modules.Localized), the one its `.get(lang)` falls back to; for a
    module, the language of the title its `.title(lang)` gives."""
    if content is None or isinstance(content, str):
        return content or None
    lang = lang or select_locale()
    variants = getattr(content, "variants", None)
    if variants is not None:  # a Module (a machine translation's title is never given)
        for key in ((lang, "standard"), (lang, "easy"), ("fr", "standard")):
            if key in variants and variants[key].for_learners:
                return key[0]
        served = [key for key, found in variants.items() if found.for_learners]
        return next(iter(served or variants), (None,))[0]
    langs = getattr(content, "langs", ())
    if not langs:
        return None
    return lang if lang in langs else ("fr" if "fr" in langs else langs[0])


def lang_attr(content, lang: str | None = None) -> Markup:
    """` lang="fr"` for an element holding content in another language than the page's (so
    that screen readers and read-aloud use the right voice), else nothing."""
    found = content_lang(content, lang)
    if not found or found == select_locale():
        return Markup("")
    return Markup(' lang="%s"') % found


def in_lang(text, content, lang: str | None = None) -> Markup:
    """Content text set inside a sentence of the interface: wrapped in <span lang="fr"> when its
    language is not the page's (see `lang_attr`), escaped either way."""
    attr = lang_attr(content, lang)
    return Markup("<span%s>%s</span>") % (attr, text) if attr else Markup("%s") % text
