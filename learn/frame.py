"""What every request goes through: database session, locale, headers, errors, content."""

from __future__ import annotations

import contextlib
import logging
import secrets
import time

from flask import Flask, abort, g, has_request_context, jsonify, render_template, request, session
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from learn import migrate
from learn.db import make_engine, make_session_factory, write_intent, write_transaction
from learn.extensions import babel, csrf, limiter, login_manager
from learn.services import sessions
from learn.services.errors import Forbidden, NotFound
from learn.services.textinput import has_control_characters

log = logging.getLogger("learn")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def db():
    """The request's database session (opened on first use, closed at the end)."""
    if "db" not in g:
        from flask import current_app

        g.db = current_app.extensions["learn.sessions"]()
    return g.db


def parse_id(value: str | None) -> int | None:
    """A database id typed in a form or an address (ASCII digits, at most 9), else None."""
    if value and len(value) <= 9 and value.isascii() and value.isdigit():
        return int(value)
    return None


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: at most 19 digits and below 2**63 (the largest id a database
    holds), so a larger number in an address is a 404, not an overflow in the driver (a 500)."""

    regex = r"\d{1,19}"

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**63 - 1, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits, min, max, signed)


def int_arg(name: str, default: int | None = None) -> int | None:
    """A whole number from the query string, or the default for anything else."""
    found = parse_id(request.args.get(name))
    return default if found is None else found


def records_audit(view):
    """Mark a GET view that writes an audit entry: it begins as a writer and commits at the end
    (the frame reads this mark before the first query)."""
    view.records_audit = True
    return view


@contextlib.contextmanager
def writing():
    """A short write transaction inside a request that otherwise only reads (a page that records
    progress): the reads so far end, the writes begin (BEGIN IMMEDIATE on SQLite, so they queue
    instead of failing) and are committed when the block ends, before the page is rendered. No
    database lock is held while the template renders, and a page that fails to render after the
    block keeps what the block wrote (the visit happened)."""
    session = db()
    if session.get_bind().dialect.name == "sqlite":
        # SQLite cannot turn a read transaction into BEGIN IMMEDIATE: end it (nothing is
        # pending in a reading request). PostgreSQL goes on in the same transaction, on the same
        # connection (no second checkout, no second pool ping), and takes row locks as it writes.
        session.commit()
    with write_transaction(session):
        yield session


def checks_own_text(view):
    """Mark a view whose service refuses control characters in its free text itself, with a
    message and the text given back (a worksheet's answers can be long: a bare 400 page would
    lose them). The frame then checks only the address and the query string of its requests."""
    view.checks_own_text = True
    return view


def writes_in_blocks(view):
    """Mark a form view that writes only inside `writing()` blocks: the request begins as a
    reader, so the signed-in user, the form and the grading are read and checked before the
    database is locked for writing (SQLite has one writer at a time)."""
    view.writes_in_blocks = True
    return view


def init_database(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], must_exist=True)
    app.extensions["learn.engine"] = engine
    app.extensions["learn.sessions"] = make_session_factory(engine)
    app.extensions["learn.schema_current"] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _watch_writes(_conn, _cursor, statement, _params, context, _many):
        # A request that reads (a GET, or a view that writes in blocks) rolls back at its end:
        # a write made there outside `writing()` would be lost without a word. Note it; the
        # request's end refuses it (500 and a log line, never a silent loss).
        if (
            context is not None
            and (context.isinsert or context.isupdate or context.isdelete)
            and not write_intent.get()
            and has_request_context()
            and not g.get("writes")
        ):
            g.lost_write = statement.split(None, 3)[:3]


def schema_current(app: Flask) -> bool:
    """Whether the database has every migration; checked until it is true, then remembered."""
    if not app.extensions["learn.schema_current"]:
        try:
            app.extensions["learn.schema_current"] = migrate.schema_is_current(
                app.extensions["learn.engine"]
            )
        except OperationalError:
            raise  # unreachable, not behind: the 503 page says so, not "run learn db upgrade"
        except SQLAlchemyError:
            return False
    return app.extensions["learn.schema_current"]


def init_extensions(app: Flask) -> None:
    csrf.init_app(app)
    if app.config["RATELIMIT_STORAGE_URI"] == "learn+database://":
        from learn import rate_limits

        uri = rate_limits.storage_uri_for(app.extensions["learn.engine"])
        app.config["RATELIMIT_STORAGE_URI"] = uri
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    # Templates call gettext dozens of times a page; flask-babel finds the locale and its
    # catalogue again on each call. Find them once per request (same catalogue, same result).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations().ugettext(s),
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().unpgettext(c, s, p, n),
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_signed_in_user)
    if app.config["LEARN_PROXY_COUNT"]:
        n = app.config["LEARN_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)

    @app.context_processor
    def _template_globals():
        return {"current_locale": select_locale(), "languages": app.config["LANGUAGES"]}


def session_limits() -> sessions.SessionLimits:
    """The idle and absolute limits of signed-in sessions, from the settings."""
    from flask import current_app

    config = current_app.config
    return sessions.SessionLimits(
        idle=config["LEARN_SESSION_IDLE"],
        staff_max=config["LEARN_SESSION_MAX_STAFF"],
        learner_max=config["LEARN_SESSION_MAX_LEARNER"],
    )


def load_signed_in_user(token: str):
    """Flask-Login's loader: the user of the live session whose token the cookie carries (one
    read by primary key), or None. The session's "last seen" is written at most once a minute:
    in the request's own transaction when it writes anyway, else in a short `writing()` block."""
    found = sessions.find_session(db(), token, session_limits())
    if found is None:
        return None
    if sessions.needs_touch(found):
        if g.get("writes") or write_intent.get():
            sessions.touch(db(), found)
        else:
            with writing():
                sessions.touch(db(), found)
    return found.user


def _request_translations():
    """flask-babel's catalogue for this request's locale, looked up once per request."""
    if not g:  # no application context: flask-babel's answer (no translation)
        return get_translations()
    found = g.get("_learn_translations")
    if found is None:
        found = g._learn_translations = get_translations()
    return found


def init_content(app: Flask) -> None:
    from learn import content

    content.init_app(app)


def select_locale() -> str:
    """The user's saved choice, then the session's, then the browser's, then French."""
    languages = ("fr", "en")
    user = current_user if request else None
    if user is not None and getattr(user, "is_authenticated", False) and user.locale in languages:
        return user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages, default="fr") or "fr"


def init_request_cycle(app: Flask) -> None:
    @app.before_request
    def _begin():
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or secrets.token_hex(8)
        g.started = time.perf_counter()
        view = app.view_functions.get(request.endpoint)
        g.writes = (
            request.method in WRITE_METHODS and not getattr(view, "writes_in_blocks", False)
        ) or getattr(view, "records_audit", False)
        write_intent.set(g.writes)
        if has_control_characters(request.path):
            abort(400)
        if _holds_control_characters(request.args, multiline=False) or (
            request.method in WRITE_METHODS
            and not getattr(view, "checks_own_text", False)
            and _holds_control_characters(request.form, multiline=True)
        ):
            raise ControlCharacters()
        if request.endpoint in ("main.healthz", "static"):
            return None
        if not schema_current(app):
            return render_template("errors/schema.html"), 503
        return None

    @app.after_request
    def _finish(response):
        if "db" in g:
            if response.status_code < 400 and g.get("writes"):
                g.db.commit()
            else:
                g.db.rollback()
        if g.get("lost_write") and response.status_code < 400:
            raise RuntimeError(f"write outside a write transaction, rolled back: {g.lost_write}")
        # The user as this request loaded it, if it did: /healthz and static files must not need
        # the database (which may be down) just to set these headers.
        user = g.get("_login_user")
        if user is not None and getattr(user, "is_authenticated", False):
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        headers["X-Request-ID"] = g.get("request_id", "")
        if app.config["LEARN_HTTPS"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response

    @app.teardown_request
    def _close(exc):
        write_intent.set(False)
        session_ = g.pop("db", None)
        if session_ is not None:
            if exc is not None:
                session_.rollback()
            session_.close()


class ControlCharacters(BadRequest):
    """A field or the address holds a character no one types (see learn/forms.py)."""


def _holds_control_characters(values, multiline: bool) -> bool:
    """The rule of learn/forms.py over every field of a request, form class or not: fields
    read straight from `request.form` (help messages, workshop answers, quiz answers) are held
    to it here. In a form, line breaks and tabs pass (a text area sends them; a form class
    refuses them in its one-line fields, with a message beside the field); in the query string
    (search boxes, `next`) nothing is typed on several lines."""
    return any(
        has_control_characters(key) or has_control_characters(value, multiline=multiline)
        for key, value in values.items(multi=True)
    )


def _error_page(code: int, title: str, message: str):
    wants_json = request.accept_mimetypes.best == "application/json"
    if wants_json:
        return jsonify(error=title, message=message, request_id=g.get("request_id")), code
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title,
            message=message,
            request_id=g.get("request_id"),
        ),
        code,
    )


def init_error_pages(app: Flask) -> None:
    messages = {
        400: (
            lambda: _("The request could not be understood"),
            lambda: _("Something in the form or the address was not right. Go back and try again."),
        ),
        403: (
            lambda: _("Access refused"),
            lambda: _("Your account does not give access to this page."),
        ),
        404: (
            lambda: _("Page not found"),
            lambda: _("This page does not exist or is not available to you."),
        ),
        405: (
            lambda: _("Action not allowed"),
            lambda: _("This page cannot be used this way."),
        ),
        413: (
            lambda: _("Too large"),
            lambda: _("What you sent is too large. Send a smaller file or a shorter text."),
        ),
        429: (
            lambda: _("Too many attempts"),
            lambda: _("Too many attempts in a short time. Wait a few minutes, then try again."),
        ),
        500: (
            lambda: _("Something went wrong"),
            lambda: _(
                "An error stopped this page. Nothing you sent was half-saved. Try again; "
                "if it happens again, give this number to your trainer."
            ),
        ),
        503: (
            lambda: _("Parcours is not available"),
            lambda: _(
                "The database cannot be reached right now. Nothing was lost. Try again in "
                "a few minutes."
            ),
        ),
    }

    def page(code: int):
        title, message = messages.get(code, messages[500])
        return _error_page(code, title(), message())

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        if isinstance(exc, ControlCharacters):
            return _error_page(
                400,
                _("Invisible characters in what you sent"),
                _(
                    "What you typed holds invisible characters (control or direction "
                    "characters, often copied from another program). Go back, type the text "
                    "again without copying it, and send it."
                ),
            )
        if exc.code == 400 and getattr(exc, "description", "").startswith("The CSRF"):
            return _error_page(
                400,
                _("The form has expired"),
                _(
                    "For your safety, the form could not be accepted. Reload the page, then send "
                    "it again."
                ),
            )
        return page(exc.code if exc.code in messages else 500)

    @app.errorhandler(NotFound)
    def _not_found(_exc):
        return page(404)

    @app.errorhandler(Forbidden)
    def _forbidden(_exc):
        return page(403)

    @app.errorhandler(OperationalError)
    def _database_down(exc):
        log.error(
            "database error [%s]: %s (%s)",
            g.get("request_id"),
            exc.__class__.__name__,
            describe_database_error(exc),
        )
        # The page must not ask the database again (for the signed-in user, say): it is down.
        g._login_user = login_manager.anonymous_user()
        session_ = g.pop("db", None)
        if session_ is not None:
            with contextlib.suppress(SQLAlchemyError):
                session_.close()
        return page(503)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unexpected error [%s]", g.get("request_id"))
        return page(500)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
    from learn.admin.views import bp as admin_bp
    from learn.auth.views import bp as auth_bp
    from learn.learner.views import bp as learner_bp
    from learn.main.views import bp as main_bp
    from learn.reading.views import bp as reading_bp
    from learn.trainer.views import bp as trainer_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(trainer_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(learner_bp)
    app.register_blueprint(reading_bp)


def database_status(app: Flask) -> dict:
    """Database reachable and schema current, for /healthz."""
    engine = app.extensions["learn.engine"]
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return {
            "ok": False,
            "schema_current": False,
            "error": exc.__class__.__name__,
            "reason": describe_database_error(exc),
        }
    try:
        current = schema_current(app)
    except OperationalError as exc:
        return {
            "ok": False,
            "schema_current": False,
            "error": exc.__class__.__name__,
            "reason": describe_database_error(exc),
        }
    return {"ok": True, "schema_current": current}


_DATABASE_TROUBLES = (
    (("unable to open database file",), "the database file cannot be opened (missing?)"),
    (
        ("moved or replaced",),
        "the database file was moved or replaced while Parcours ran: put it back, or restart",
    ),
    (("readonly database", "read-only"), "the database file is read-only"),
    (("database is locked",), "the database is locked by another process"),
    (("disk i/o error", "disk is full", "database or disk is full"), "the disk failed or is full"),
    (("malformed",), "the database file is damaged"),
    (("password authentication failed", "authentication"), "the database refused the login"),
    (("does not exist",), "the database does not exist on the server"),
    (("timeout", "timed out"), "the database server did not answer in time"),
    (
        ("connection refused", "could not connect", "connection to server", "connection failed"),
        "the database server cannot be reached",
    ),
    (
        ("server closed the connection", "terminating connection", "connection is closed"),
        "the connection to the database server was lost",
    ),
)


def describe_database_error(exc: BaseException) -> str:
    """Why the database cannot be used, in one fixed sentence: the driver's message is matched,
    never repeated (it may name hosts, users or paths)."""
    message = str(getattr(exc, "orig", None) or exc).lower()
    for needles, reason in _DATABASE_TROUBLES:
        if any(needle in message for needle in needles):
            return reason
    return "the database cannot be used"
