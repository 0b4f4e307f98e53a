"""The reading mode: the settings page, the one-step switch in the header of every page, and what
every page needs to apply the reader's settings before its first paint."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from learn import content
from learn.auth.forms import EmptyForm
from learn.auth.views import safe_next
from learn.reading import preferences
from learn.reading.preferences import CHOICES, InvalidChoice, ReadingPrefs
from learn.reading.syllables import mark_syllables, splitter
from learn.web.i18n import select_locale
from learn.web.transactions import db

bp = Blueprint("reading", __name__, url_prefix="/reading")
SESSION_KEY = "reading"

FIELD_LABELS = {
    "mode": _l("Reading mode"),
    "size": _l("Text size"),
    "spacing": _l("Space between letters and words"),
    "line_height": _l("Space between lines"),
    "line_length": _l("Line length"),
    "theme": _l("Background colour"),
    "font": _l("Font"),
    "syllables": _l("Syllables"),
    "ruler": _l("Reading ruler"),
    "rate": _l("Reading-aloud speed"),
    "pictures": _l("Show pictures"),
}
CHOICE_LABELS = {
    "size": {
        "18": _l("Large (18 px)"),
        "20": _l("Larger (20 px, recommended)"),
        "24": _l("Very large (24 px)"),
        "28": _l("Huge (28 px)"),
        "32": _l("Biggest (32 px)"),
    },
    "spacing": {
        "wide": _l("Wide (recommended)"),
        "wider": _l("Wider"),
        "widest": _l("Widest"),
    },
    "line_height": {
        "1.5": _l("1.5 lines (recommended)"),
        "1.75": _l("1.75 lines"),
        "2": _l("Double"),
    },
    "line_length": {
        "45": _l("Short lines (45 characters)"),
        "60": _l("Medium lines (60 characters, recommended)"),
        "70": _l("Long lines (70 characters)"),
    },
    "theme": {
        "cream": _l("Cream (recommended)"),
        "blue": _l("Pastel blue"),
        "grey": _l("Grey"),
        "dark": _l("Dark"),
    },
    "font": {
        "system": _l("Plain font of this device (recommended)"),
        "atkinson": _l("Atkinson Hyperlegible"),
        "lexend": _l("Lexend"),
        "opendyslexic": _l("OpenDyslexic"),
    },
    "syllables": {
        "off": _l("Not shown"),
        "split": _l("Separated by a dot"),
        "colour": _l("In two colours"),
    },
    "ruler": {"1": _l("1 line"), "3": _l("3 lines"), "5": _l("5 lines")},
    "rate": {
        "0.5": _l("Very slow (× 0.5)"),
        "0.75": _l("Slow (× 0.75)"),
        "1": _l("Normal (× 1)"),
        "1.25": _l("Fast (× 1.25)"),
        "1.5": _l("Faster (× 1.5)"),
        "2": _l("Very fast (× 2)"),
    },
    "pictures": {"on": _l("Shown beside the text (recommended)"), "off": _l("Hidden")},
}


def _stored() -> tuple[dict | None, str]:
    """The saved preferences and where they come from: account, session, or nothing saved."""
    if current_user.is_authenticated:
        saved = current_user.reading_preferences
        return saved, "account" if saved else "account-new"
    saved = session.get(SESSION_KEY)
    return saved, "session" if saved else "browser"


def current_prefs() -> tuple[ReadingPrefs, str]:
    """This request's preferences (read once) and their source."""
    if "reading_prefs" not in g:
        try:
            saved, source = _stored()
        except SQLAlchemyError:  # a page that explains the database is down still renders
            saved, source = None, "browser"
        g.reading_prefs = (preferences.from_stored(saved), source)
    return g.reading_prefs


def html_attributes() -> list[tuple[str, str]]:
    """The attributes of <html> that apply the settings (CSS in static/css/reading.css)."""
    prefs, source = current_prefs()
    return [*prefs.html_attributes(), ("data-rm-from", source)]


def syllables_filter(fragment: str, lang: str | None = None) -> str:
    """Content HTML with its syllables marked when the reader's syllable view is on. The input is
    the content sanitiser's output, and so is the result (it only adds fixed, attribute-free
    spans around escaped text): templates keep `|safe` after it."""
    prefs, _source = current_prefs()
    if not lang or not prefs.syllables_shown:
        return fragment
    exceptions = content.catalog().syllables.get(lang)
    return mark_syllables(str(fragment), lang, exceptions)


def browser_font_files() -> dict[str, list[str]] | None:
    """For a page whose settings may come from the browser's copy (reading-boot.js), the URL of
    each font choice's preloaded file, so that the script can preload the one chosen; None
    otherwise."""
    if current_prefs()[1] not in ("browser", "account-new"):
        return None
    return {
        name: [url_for("static", filename=file) for file in files]
        for name, files in preferences.PRELOADED.items()
        if files
    }


def reading_context() -> dict:
    """What every page's template needs to apply the reader's settings (a context processor,
    registered in learn/web/templating.py)."""
    return {
        "reading": current_prefs()[0],
        "reading_attributes": html_attributes,
        "reading_browser_fonts": browser_font_files,
        "reading_choice_labels": CHOICE_LABELS,
    }


def _save(prefs: ReadingPrefs, prefers_easy_read: bool | None = None) -> None:
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        if prefers_easy_read is not None and prefers_easy_read != user.prefers_easy_read:
            # The new default wins over the variant last chosen by a link in this session.
            session.pop("variant", None)
        preferences.save_for_user(db(), user, prefs, prefers_easy_read)
    else:
        session[SESSION_KEY] = prefs.as_dict()
    g.reading_prefs = (prefs, "account" if current_user.is_authenticated else "session")


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _json_state(prefs: ReadingPrefs, status: int = 200, errors: list[str] | None = None):
    body = {
        "saved": status == 200,
        "prefs": prefs.as_dict(),
        "signed_in": current_user.is_authenticated,
        "message": _("Your reading settings are saved.") if status == 200 else "",
    }
    if errors:
        body["errors"] = errors
    return jsonify(body), status


def _settings_page(prefs: ReadingPrefs, errors: list[str] | None = None, status: int = 200):
    sample = {
        "title": _("A short text to try your settings"),
        "text": _(
            "At work, your team leader gives you an instruction. You listen until the end, "
            "then you say it again in your own words. This way, you check that you understood."
        ),
        "strong": _("Saying it again in your own words is called rephrasing."),
    }
    lang = select_locale()
    marker = splitter(lang, content.catalog().syllables.get(lang))
    marked = {key: marker.tokens(text) for key, text in sample.items()}
    return render_template(
        "reading/settings.html",
        prefs=prefs,
        form=EmptyForm(),
        choices=CHOICES,
        field_labels=FIELD_LABELS,
        choice_labels=CHOICE_LABELS,
        sample=marked,
        errors=errors or [],
        back=safe_next(request.values.get("next")),
        prefers_easy_read=current_user.is_authenticated and current_user.prefers_easy_read,
    ), status


@bp.route("", methods=["GET", "POST"])
def settings():
    prefs, _source = current_prefs()
    if request.method == "GET":
        return _settings_page(prefs)
    if not EmptyForm().validate_on_submit():
        return _settings_page(prefs, [_("The form has expired: send it again.")], 400)
    complete = request.form.get("complete") == "1"
    try:
        if request.form.get("action") == "preset":
            new = preferences.with_preset(prefs)
        else:
            new = preferences.parse_form(request.form, prefs, complete)
    except InvalidChoice as exc:
        errors = [
            _("This choice is not available: %(setting)s.", setting=FIELD_LABELS[name])
            for name in exc.fields
        ]
        if _wants_json():
            return _json_state(prefs, 400, errors)
        return _settings_page(prefs, errors, 400)
    easy = None
    if complete and current_user.is_authenticated:
        easy = request.form.get("easy_read") == "on"
    _save(new, easy)
    if _wants_json():
        return _json_state(new)
    flash(_("Your reading settings are saved."), "success")
    back = safe_next(request.form.get("next"))
    return redirect(url_for("reading.settings", next=back) if back else url_for("reading.settings"))


@bp.route("/mode", methods=["POST"])
def switch():
    """The header's one-step switch: reading mode on or off, the other settings kept."""
    prefs, _source = current_prefs()
    back = safe_next(request.form.get("next")) or url_for("main.home")
    if not EmptyForm().validate_on_submit():
        return redirect(back)
    try:
        new = preferences.parse_form({"mode": request.form.get("mode", "")}, prefs, False)
    except InvalidChoice:
        new = prefs
    _save(new)
    if _wants_json():
        return _json_state(new)
    return redirect(back)
