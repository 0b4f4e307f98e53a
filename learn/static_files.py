"""Static files, served by WhiteNoise (https://whitenoise.readthedocs.io) in front of Flask, so that
a site with no nginx in front is as light as one with it.

At start-up static/ is copied into a build folder (instance/static-build/<digest of the files>,
made by the first process that needs it, shared by the others and kept across restarts):
every stylesheet, script and icon also under a name that holds a version of its content
(`css/parcours.1a2b3c4d5e6f.css`), and every file that compresses well also as `.gz` and `.br`
(WhiteNoise's compressor). Pages link the versioned names (`url_for('static', ...)` gives them);
WhiteNoise serves each file with the smallest encoding the browser accepts and `Vary:
Accept-Encoding`, a versioned name with a year of caching (`immutable`: a new file is a new name,
so an upgrade is seen at once), any other file with a day of caching and revalidation (ETag and
Last-Modified: a 304 without a body when unchanged). Fonts and pictograms keep one plain name: the
stylesheet and the rendered content refer to them by address, and a day-old copy harms no one.

Static responses never reach Flask, so they carry no session cookie and do not vary with it; the
security headers of every response are added here too. In debug mode (files edited while the
server runs) static/ is served as it is, re-read on each request, under plain names."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from learn.web.headers import CSP

VERSIONED = (".css", ".js", ".svg")
PLAIN_NAMED = ("pictos/", "fonts/")  # referred to by address from CSS and rendered content
YEAR = 365 * 24 * 3600
DAY = 24 * 3600
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
MANIFEST = "manifest.json"
BUILD_FORMAT = 1  # raise when _write_build changes what it writes
_builds: dict[str, tuple[Path, dict[str, str]]] = {}  # by digest, for the apps of one process


class SessionCookie(SecureCookieSessionInterface):
    """Flask's signed session cookie, not saved (nor varied on) for a static file that WhiteNoise
    did not answer (a missing one: Flask's 404)."""

    def save_session(self, app, session, response) -> None:
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


def versioned_name(filename: str, data: bytes) -> str:
    """`css/parcours.css` → `css/parcours.1a2b3c4d5e6f.css` (the first 12 hex digits of the
    content's SHA-256)."""
    stem, dot, extension = filename.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{stem}.{digest}.{extension}" if dot else f"{filename}.{digest}"


def _digest(source: Path) -> str:
    """A digest of every file's name and content under source (and of the versions of the code
    that builds from them), naming a build: a change of any file makes a new build."""
    from importlib.metadata import version

    sha = hashlib.sha256(f"{BUILD_FORMAT} {version('whitenoise')}".encode())
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            sha.update(path.relative_to(source).as_posix().encode() + b"\0")
            sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()[:16]


def _write_build(source: Path, build_folder: Path) -> dict[str, str]:
    """The files served (under build_folder/files) and their manifest (beside, not served)."""
    target = build_folder / "files"
    names: dict[str, str] = {}
    compressor = Compressor(quiet=True)
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        filename = path.relative_to(source).as_posix()
        data = path.read_bytes()
        copies = [filename]
        if filename.endswith(VERSIONED) and not filename.startswith(PLAIN_NAMED):
            names[filename] = versioned_name(filename, data)
            copies.append(names[filename])
        for copy in copies:
            written = target / copy
            written.parent.mkdir(parents=True, exist_ok=True)
            written.write_bytes(data)
            if compressor.should_compress(str(written)):
                for _ in compressor.compress(str(written)):
                    pass
    (build_folder / MANIFEST).write_text(json.dumps(names, sort_keys=True), encoding="utf-8")
    return names


def build(static_folder: str, builds: Path) -> tuple[Path, dict[str, str]]:
    """The build of static_folder (in `builds`, one folder per digest of its files, shared by the
    processes and instances that use the same folder) and the versioned name of each file that
    has one. Made once: a process that finds it ready reads its manifest; two that build it at
    once both write a private copy, and the first to rename theirs into place wins."""
    source = Path(static_folder)
    digest = _digest(source)
    ready = _builds.get(digest)
    if ready is not None and ready[0].is_dir():
        return ready
    final = builds / digest
    if not (final / MANIFEST).is_file():
        builds.mkdir(parents=True, exist_ok=True)
        private = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=builds))
        _write_build(source, private)
        try:
            os.rename(private, final)
        except OSError:  # another process put its build in place first
            shutil.rmtree(private, ignore_errors=True)
        for old in builds.iterdir():  # builds of earlier versions of the files
            if old.name != digest and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
    names = json.loads((final / MANIFEST).read_text(encoding="utf-8"))
    _builds[digest] = (final / "files", names)
    return final / "files", names


def _is_versioned(path: str, url: str) -> bool:
    return bool(HASHED.search(url))


def _security_headers(headers, path: str, url: str) -> None:
    """The headers every Parcours response carries (learn/web/headers.py), on static files."""
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookie()
    if app.debug or os.environ.get("FLASK_DEBUG") == "1":
        root, names = Path(app.static_folder), {}
        served = WhiteNoise(
            app.wsgi_app, autorefresh=True, max_age=0, add_headers_function=_security_headers
        )
    else:
        root, names = build(app.static_folder, Path(app.instance_path) / "static-build")
        served = WhiteNoise(
            app.wsgi_app,
            max_age=DAY,
            immutable_file_test=_is_versioned,
            allow_all_origins=False,
            add_headers_function=_security_headers,
        )
    served.add_files(str(root), prefix="static/")
    app.wsgi_app = served
    app.extensions["learn.static_names"] = names

    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if endpoint == "static":
            filename = str(values.get("filename"))
            values["filename"] = names.get(filename, filename)
