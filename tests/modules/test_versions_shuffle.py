"""Content versions, changed questions and deterministic shuffling."""

from __future__ import annotations

import hashlib

from learn.modules import (
    changed_questions,
    display_options,
    question_fingerprint,
    shuffled_options,
    shuffled_questions,
    shuffled_right_sides,
)

from .conftest import EASY, FILES, STD, break_file


def variant(tree):
    return tree.load().variant("ecoute-1", "fr")


def test_version_is_the_hash_of_the_file(tree):
    data = (tree.root / STD).read_bytes()
    assert variant(tree).version == hashlib.sha256(data).hexdigest()[:16]


def test_question_versions_are_stored_per_question(tree):
    v = variant(tree)
    assert set(v.question_versions) == {q.id for q in v.questions}
    assert v.question_versions["q1"] == question_fingerprint(v.questions[0])


def test_changed_questions(tree):
    before = variant(tree)
    text = break_file(tree, STD, "[ ] Vous attendez.", "[ ] Vous attendez la fin.")
    text = break_file(tree, STD, "    > Oui.\n[x] Poser", "    > Bien vu.\n[x] Poser", text)
    text = break_file(tree, STD, "::: question q6 text", "::: question q7 text", text)
    after = tree.load().modules["ecoute-1"].variants[("fr", "standard")]  # not served: out of step
    assert after.version != before.version
    # q1's option changed; q2's feedback only (not a change of the question); q6 -> q7
    assert changed_questions(before, after) == {"q1", "q6", "q7"}
    assert changed_questions(dict(before.question_versions), after) == {"q1", "q6", "q7"}
    assert changed_questions(before, before) == set()


def test_fingerprint_ignores_feedback_and_explanation(tree):
    before = variant(tree)
    break_file(tree, STD, "explanation: L'ordre compte.", "explanation: L'ordre compte vraiment.")
    assert changed_questions(before, variant(tree)) == set()


def test_shuffles_are_deterministic_and_keep_ids(tree):
    v = variant(tree)
    q1 = v.question("q1")
    assert shuffled_options(q1, 42) == shuffled_options(q1, 42)
    assert sorted(o.id for o in shuffled_options(q1, 42)) == ["a", "b", "c"]
    orders = {tuple(o.id for o in shuffled_options(q1, seed)) for seed in range(40)}
    assert len(orders) > 1
    assert shuffled_questions(v.questions, "attempt-7") == shuffled_questions(
        v.questions, "attempt-7"
    )
    assert {q.id for q in shuffled_questions(v.questions, 3)} == {q.id for q in v.questions}


def test_ordering_is_always_shown_mixed(tree):
    q4 = variant(tree).question("q4")
    for seed in range(200):
        shown = [o.id for o in display_options(q4, seed, shuffle=False)]
        assert shown != ["a", "b", "c"] and sorted(shown) == ["a", "b", "c"]


def test_matching_right_sides_are_mixed(tree):
    q5 = variant(tree).question("q5")
    for seed in range(100):
        ids = [oid for oid, _ in shuffled_right_sides(q5, seed)]
        assert ids != ["a", "b", "c"] and sorted(ids) == ["a", "b", "c"]
    assert shuffled_right_sides(q5, 1) == shuffled_right_sides(q5, 1)


def test_no_shuffle_keeps_the_authored_order(tree):
    q1 = variant(tree).question("q1")
    assert [o.id for o in display_options(q1, 9, shuffle=False)] == ["a", "b", "c"]
    q3 = variant(tree).question("q3")
    assert [o.id for o in display_options(q3, 9, shuffle=True)] == ["a", "b"]


def test_easy_and_standard_fingerprints_may_differ_but_ids_match(tree):
    catalog = tree.load()
    std = catalog.variant("ecoute-1", "fr", "standard")
    easy_text = FILES[EASY].replace("Quels gestes montrent une écoute ?", "Quels gestes ?")
    tree.write(EASY, easy_text)
    easy = tree.load().variant("ecoute-1", "fr", "easy")
    assert set(std.question_versions) == set(easy.question_versions)
