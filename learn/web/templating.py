"""What every template may use, registered in one place: filters, globals and context
processors. Each helper lives beside its users; only its registration is here."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from flask import Flask, Response, current_app, request
from flask_login import current_user

from learn import i18n


def localtime(moment, timezone: str):
    """A UTC timestamp in the given time zone, for display."""
    return moment.astimezone(ZoneInfo(timezone or "Europe/Paris")) if moment else moment


def organisation_timezone() -> str:
    """The time zone every time is shown in: the signed-in person's organisation's."""
    organisation = getattr(current_user, "organisation", None)
    return getattr(organisation, "timezone", None) or i18n.DEFAULT_TIMEZONE


def when(moment, time: bool = True, timezone: str | None = None) -> str:
    """The one date filter: `{{ d|when }}`, `{{ dt|when }}` (in the organisation's time zone),
    `{{ dt|when(time=False) }}` for its local date; the language's one format (learn/i18n.py)."""
    return i18n.format_when(moment, timezone or organisation_timezone(), time=time)


def site_address() -> str:
    """The address printed on sign-in cards: LEARN_PUBLIC_URL, else the one this request came to
    (behind a proxy, right once LEARN_PROXY_COUNT trusts its headers)."""
    return current_app.config.get("LEARN_PUBLIC_URL") or request.host_url.rstrip("/")


# Whitespace between two tags that holds a line break: the templates' indentation and the lines
# their block tags leave. In the page's normal flow any run of whitespace shows as one space, so
# one line break shows the same. <pre> and <textarea> keep theirs: the text between them is left
# as it is, up to the `>` that closes them.
_BETWEEN_TAGS = re.compile(r">[ \t\r\n]*\n[ \t\r\n]*(?=<|\Z)")
_KEPT = re.compile(r"<(pre|textarea)\b.*?</\1\s*(?=>)", re.IGNORECASE | re.DOTALL)


def squeeze_html(html: str) -> str:
    """The page with each run of whitespace between two tags that holds a line break made one
    line break (a third of a dashboard's bytes: HTML is sent uncompressed, docs/operating.md)."""
    parts: list[str] = []
    start = 0
    for kept in _KEPT.finditer(html):
        parts.append(_BETWEEN_TAGS.sub(">\n", html[start : kept.start()]))
        parts.append(kept.group(0))
        start = kept.end()
    parts.append(_BETWEEN_TAGS.sub(">\n", html[start:]))
    return "".join(parts)


def init_squeeze(app: Flask) -> None:
    """Squeeze every HTML page's whitespace (registered before the headers, so it runs after
    every other `after_request`: the transaction has ended)."""

    @app.after_request
    def squeeze(response: Response) -> Response:
        if (
            response.mimetype == "text/html"
            and not response.direct_passthrough
            and not response.is_streamed
        ):
            response.set_data(squeeze_html(response.get_data(as_text=True)))
        return response


def init_app(app: Flask) -> None:
    """Register the templates' filters, globals and context processors."""
    from learn.admin.views import audit_helpers
    from learn.modules import question_type
    from learn.reading.views import reading_context, syllables_filter
    from learn.services import closing, quizzes, reports
    from learn.trainer.tables import cell_text
    from learn.web.i18n import in_lang, lang_attr, locale_context
    from learn.web.site_header import site_header

    # Filters.
    app.add_template_filter(cell_text, "cell_text")  # a report cell as text
    app.add_template_filter(reports.percent, "percent")  # rounded as every report rounds it
    app.add_template_filter(reports.minutes, "minutes")
    app.add_template_filter(localtime, "localtime")
    app.add_template_filter(when, "when")  # every date and time shown
    app.add_template_filter(i18n.format_clock, "clock")  # a time of day alone ("14:05")
    app.add_template_filter(i18n.of_name, "of_name")  # « de Marie », « d'Amina »
    app.add_template_filter(i18n.that_name, "that_name")  # « que Marie », « qu'Amina »
    app.add_template_filter(in_lang, "in_lang")  # content text in a UI sentence, with its lang
    app.add_template_filter(syllables_filter, "syllables")  # the reader's syllable view
    app.add_template_filter(closing.closed_mark, "closed_mark")  # "left on 31/01/2027"
    app.add_template_filter(closing.reason_label, "closure_reason")  # why a learner left
    # Globals: question templates find their type's macros through it (templates/questions/).
    app.add_template_global(question_type, "question_type")
    # Sign-in cards (trainer/_card.html), printed by trainers and by admins for their staff.
    app.add_template_global(site_address, "site_address")
    # ` lang="fr"` on an element whose content text is in another language than the page's.
    app.add_template_global(lang_attr, "lang_attr")
    # The score and each answer's verdict, worded once for the learner's and the trainer's pages.
    app.add_template_global(quizzes.score_text, "attempt_score")
    app.add_template_global(quizzes.answer_verdict, "answer_verdict")
    # The site's header, rendered once per language, kind of account and reading mode.
    app.add_template_global(site_header, "site_header")
    # Context processors.
    app.context_processor(locale_context)  # current_locale, languages
    app.context_processor(audit_helpers)  # describe_audit, is_erased, table_label
    app.context_processor(reading_context)  # the reader's settings
