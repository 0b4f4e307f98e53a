"""learn/i18n.py, the one translation seam: English outside a request, the request's locale in
one, `using_locale`'s when set; and every string the services and models mark through it is
found by the documented `pybabel extract` (keywords: the defaults and `-k _l`) and translated."""

from __future__ import annotations

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from learn import i18n
from learn.config import PROJECT_ROOT
from learn.i18n import _, _l, ngettext, using_locale

KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}  # the README's `pybabel extract -k _l`


def marked_strings(folder: str) -> set[str]:
    """The messages `pybabel extract` finds in a folder of learn (singular forms)."""
    found = extract_from_dir(
        PROJECT_ROOT / "learn" / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
    )
    return {message[0] if isinstance(message, tuple) else message for _f, _l, message, *_ in found}


def test_outside_a_request_strings_stay_in_english_unless_a_locale_is_chosen():
    assert _("Erased learner") == "Erased learner"
    with using_locale("fr"):
        assert _("Erased learner") == "Apprenant effacé"
        assert str(_l("Erased learner")) == "Apprenant effacé"
    lazy = _l("Erased learner")
    assert str(lazy) == "Erased learner"  # translated when shown, not when made
    with using_locale("fr"):
        assert str(lazy) == "Apprenant effacé"
    assert ngettext("%(num)d day", "%(num)d days", 3) == "3 days"


def test_in_a_request_strings_follow_the_requests_locale(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert _("Erased learner") == "Apprenant effacé"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert _("Erased learner") == "Erased learner"
        with using_locale("fr"):
            assert _("Erased learner") == "Apprenant effacé"


def test_every_string_of_the_services_and_models_is_extracted_and_in_french():
    marked = marked_strings("services") | marked_strings("models")
    assert "Erased learner" in marked  # models/people.py
    assert "Many people use this password, so it is easy to guess: choose another one." in marked
    french = i18n._catalogue("fr")
    # A plural message is in the catalogue under (singular, form).
    missing = sorted(
        m for m in marked if m not in french._catalog and (m, 0) not in french._catalog
    )
    assert missing == []
