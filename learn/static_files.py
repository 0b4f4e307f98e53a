"""Static files a phone keeps: stylesheets, scripts and icons are linked with a version of their
content (`/static/css/parcours.css?v=1a2b3c4d5e6f`), and a request for the current version may be
kept by the browser for a year without asking again. A new file is a new address, so an upgrade
is seen at once. Fonts are left out: the stylesheet refers to them by relative address, so they
keep one address, kept a day (a font changes only when it is upgraded, and a day-old copy of it
harms no one), then revalidated (a 304 without a body when unchanged). Pictograms are like fonts:
the content's HTML, rendered once at load, names them by their plain address
(`/static/pictos/broom.svg`), so they are kept a day too.

Static responses carry no session cookie and do not vary with it: Flask renews the signed cookie
on every response, and a `Vary: Cookie` would make each new cookie a cache miss."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import safe_join

VERSIONED = (".css", ".js", ".svg")
YEAR = 365 * 24 * 3600
DAY = 24 * 3600
FONTS = (".woff2",)
PICTOGRAMS = "pictos/"


class SessionCookie(SecureCookieSessionInterface):
    """Flask's signed session cookie, not saved (nor varied on) for static files."""

    def save_session(self, app, session, response) -> None:
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


def version_of(app: Flask, filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, or None for a file that is not there.
    Remembered for the process (static files change with a deployment, which restarts it),
    except in debug mode, where they are edited while the server runs."""
    versions = app.extensions["learn.static_versions"]
    found = versions.get(filename)
    if found is None:
        path = safe_join(app.static_folder, filename)
        if path is None or not Path(path).is_file():
            return None
        found = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        if not app.debug:
            versions[filename] = found
    return found


def init_app(app: Flask) -> None:
    app.extensions["learn.static_versions"] = {}
    app.session_interface = SessionCookie()

    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        filename = values.get("filename")
        if endpoint == "static" and "v" not in values and str(filename).endswith(VERSIONED):
            found = version_of(app, filename)
            if found is not None:
                values["v"] = found

    @app.after_request
    def _cache_versioned(response):
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        asked = request.args.get("v")
        filename = (request.view_args or {}).get("filename", "")
        current = bool(asked) and asked == version_of(app, filename)
        if current or filename.endswith(FONTS) or filename.startswith(PICTOGRAMS):
            cache = response.cache_control
            cache.no_cache = None
            cache.public = True
            cache.max_age = YEAR if current else DAY
            cache.immutable = current or None
        return response
