"""The audit log reads as sentences: every action key the code records has its sentence, in
French and English, naming who did it and the learner concerned."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from learn.config import PROJECT_ROOT
from learn.i18n import using_locale
from learn.services import audit

# audit.record(db, actor, "area.verb", ...) — the action key is the third argument.
RECORDED = re.compile(r"\brecord\(\s*[\w().]+,\s*[\w().]+,\s*\"([a-z][a-z_]*(?:\.[a-z][a-z_]*)+)\"")


def recorded_actions() -> set[str]:
    """Every action key passed to audit.record in learn/."""
    found = set()
    for path in (PROJECT_ROOT / "learn").rglob("*.py"):
        found |= set(RECORDED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_action_recorded_in_the_code_has_a_sentence():
    used = recorded_actions()
    assert {"learner.view", "learner.export", "learner.erase", "report.export"} <= used
    missing = sorted(used - set(audit.SENTENCES))
    assert missing == [], f"add a sentence to learn/services/audit.py SENTENCES for: {missing}"
    assert {action for action, _key, _value in audit.DETAILED_SENTENCES} <= set(audit.SENTENCES)


def person(name: str | None):
    return SimpleNamespace(display_name=name) if name else None


def entry(action: str, actor="Marie Dupont", target="Amina Diallo", **details):
    event = SimpleNamespace(action=action, details=details, actor_role="trainer")
    return audit.Entry(event, person(actor), person(target))


@pytest.mark.parametrize(
    ("language", "report", "learner_view", "erased"),
    [
        (
            "fr",
            "Marie Dupont a exporté le rapport du groupe",
            "Marie Dupont a ouvert la fiche d'Amina Diallo",
            "La ligne de commande a effacé les données de Jean Petit",
        ),
        (
            "en",
            "Marie Dupont exported the group report",
            "Marie Dupont opened the record of Amina Diallo",
            "The command line erased the data of Jean Petit",
        ),
    ],
)
def test_entries_read_as_sentences(language, report, learner_view, erased):
    with using_locale(language):
        assert audit.describe(entry("report.export", target=None, report="matrix")) == report
        assert audit.describe(entry("learner.view")) == learner_view
        command_line = entry("learner.erase", actor=None, target="Jean Petit", reason="retention")
        command_line.event.actor_role = None
        assert audit.describe(command_line) == erased
        for action in audit.SENTENCES:  # every sentence fills in, none is left as a key
            assert audit.describe(entry(action)) != action
        for action, key, value in audit.DETAILED_SENTENCES:
            assert (
                "Amina" in audit.describe(entry(action, **{key: value}))
                or action == "report.export"
            )
