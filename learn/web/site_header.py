"""The site's header, rendered once per (language, kind of account, reading mode) and kept.

Every page opens with the same header: the site's name, the languages, the menu of the account's
role, the reading mode's switch. Rendered afresh it cost a dozen links and a dozen translations
a page; it depends only on the key below, so it is rendered once per key and process, and each
page fills in what is its own (its CSRF token, its address for the forms' `next` and the
settings link), escaped as the template would have escaped them."""

from __future__ import annotations

import re
from typing import NamedTuple

from flask import current_app, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

# Placeholders the per-page values replace, in one pass (a value that holds a placeholder's
# text is not read again): nothing in them is changed by HTML escaping.
CSRF = "@@csrf-token@@"
LANGUAGE_NEXT = "@@language-next@@"
READING_NEXT = "@@reading-next@@"
SETTINGS_HREF = "@@settings-href@@"
# 4 languages x 5 kinds of account x 2 reading modes, under one address prefix (a proxy may set
# another, X-Forwarded-Prefix).
KEPT_AT_MOST = 200
PLACEHOLDER = re.compile("@@(?:csrf-token|language-next|reading-next|settings-href)@@")


class Account(NamedTuple):
    """All the header reads of the signed-in person (so all of it is in the key)."""

    is_authenticated: bool
    is_staff: bool
    is_tutor: bool
    role: str | None


def _account() -> Account:
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return Account(False, False, False, None)
    return Account(True, user.is_staff, user.is_tutor, str(user.role))


def site_header(locale: str, languages, reading) -> Markup:
    """The header of this page (a template global, called by base.html)."""
    account = _account()
    key = (locale, account, bool(reading.mode), request.script_root)
    kept = current_app.extensions.setdefault("learn.site_header", {})
    found = kept.get(key)
    if found is None:
        found = current_app.jinja_env.get_template("_site_header.html").render(
            current_locale=locale,
            languages=languages,
            user=account,
            reading_mode=bool(reading.mode),
            csrf=CSRF,
            language_next=LANGUAGE_NEXT,
            reading_next=READING_NEXT,
            settings_href=SETTINGS_HREF,
        )
        if not current_app.jinja_env.auto_reload:  # an edited template is seen at once
            if len(kept) >= KEPT_AT_MOST:  # the prefix comes from a header: bound what it costs
                kept.clear()
            kept[key] = found
    reading_page = request.method == "GET"
    here = request.full_path if reading_page else "/"
    back = request.full_path.rstrip("?") if reading_page else "/"
    settings = url_for(
        "reading.settings",
        next=back if reading_page and request.endpoint != "reading.settings" else None,
    )
    values = {
        CSRF: str(escape(generate_csrf())),
        LANGUAGE_NEXT: str(escape(here)),
        READING_NEXT: str(escape(back)),
        SETTINGS_HREF: str(escape(settings)),
    }
    # Safe: the template autoescaped the rest, and each value is escaped above.
    return Markup(PLACEHOLDER.sub(lambda mark: values[mark.group(0)], found))  # noqa: S704  # nosec B704 (autoescaped template, escaped values)
