"""What every template may use, registered in one place: filters, globals and context
processors. Each helper lives beside its users; only its registration is here."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Flask


def localtime(moment, timezone: str):
    """A UTC timestamp in the given time zone, for display."""
    return moment.astimezone(ZoneInfo(timezone or "Europe/Paris")) if moment else moment


def init_app(app: Flask) -> None:
    """Register the templates' filters, globals and context processors."""
    from learn.admin.views import audit_helpers
    from learn.modules import question_type
    from learn.reading.views import reading_context, syllables_filter
    from learn.services import quizzes, reports
    from learn.trainer.tables import cell_text
    from learn.web.i18n import in_lang, lang_attr, locale_context

    # Filters.
    app.add_template_filter(cell_text, "cell_text")  # a report cell as text
    app.add_template_filter(reports.percent, "percent")  # rounded as every report rounds it
    app.add_template_filter(reports.minutes, "minutes")
    app.add_template_filter(localtime, "localtime")
    app.add_template_filter(in_lang, "in_lang")  # content text in a UI sentence, with its lang
    app.add_template_filter(syllables_filter, "syllables")  # the reader's syllable view
    # Globals: question templates find their type's macros through it (templates/questions/).
    app.add_template_global(question_type, "question_type")
    # ` lang="fr"` on an element whose content text is in another language than the page's.
    app.add_template_global(lang_attr, "lang_attr")
    # The score and each answer's verdict, worded once for the learner's and the trainer's pages.
    app.add_template_global(quizzes.score_text, "attempt_score")
    app.add_template_global(quizzes.answer_verdict, "answer_verdict")
    # Context processors.
    app.context_processor(locale_context)  # current_locale, languages
    app.context_processor(audit_helpers)  # describe_audit, is_erased, table_label
    app.context_processor(reading_context)  # the reader's settings
