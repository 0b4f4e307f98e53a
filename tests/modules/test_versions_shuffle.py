"""Content versions, changed questions and deterministic shuffling."""

from __future__ import annotations

import hashlib

from learn.modules import (
    apply_order,
    attempt_order,
    changed_questions,
    display_options,
    question_fingerprint,
    shuffled_options,
    shuffled_questions,
    shuffled_right_sides,
)

from .conftest import EASY, FILES, STD, break_file, find, line_of


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
        shown = [o.id for o in display_options(q4, seed)]
        assert shown != ["a", "b", "c"] and sorted(shown) == ["a", "b", "c"]


def test_matching_right_sides_are_mixed(tree):
    q5 = variant(tree).question("q5")
    for seed in range(100):
        ids = [oid for oid, _ in shuffled_right_sides(q5, seed)]
        assert ids != ["a", "b", "c"] and sorted(ids) == ["a", "b", "c"]
    assert shuffled_right_sides(q5, 1) == shuffled_right_sides(q5, 1)


def test_single_and_multiple_options_are_mixed_per_attempt(tree):
    v = variant(tree)
    for qid in ("q1", "q2"):
        question = v.question(qid)
        orders = {tuple(o.id for o in display_options(question, f"7:m:{seq}")) for seq in range(12)}
        assert len(orders) > 1, qid  # another attempt, another order
        assert all(sorted(order) == ["a", "b", "c"] for order in orders)
        assert display_options(question, "7:m:1") == display_options(question, "7:m:1")
    assert [o.id for o in display_options(v.question("q1"), "7:m:1")] != [
        o.id for o in display_options(v.question("q1"), "7:m:2")
    ]


def test_true_false_and_matching_left_sides_keep_the_written_order(tree):
    v = variant(tree)
    for seed in range(20):
        assert [o.id for o in display_options(v.question("q3"), seed)] == ["a", "b"]
        assert [o.id for o in display_options(v.question("q5"), seed)] == ["a", "b", "c"]


def test_a_fixed_question_keeps_its_order(tree):
    break_file(tree, STD, "::: question q1 single", "::: question q1 single fixed")
    text = break_file(
        tree,
        EASY,
        "::: question q1 single",
        "::: question q1 single fixed",
        FILES[EASY],
    )
    q1 = variant(tree).question("q1")
    assert q1.fixed and not variant(tree).question("q2").fixed
    for seed in range(30):
        assert [o.id for o in display_options(q1, seed)] == ["a", "b", "c"]
    assert attempt_order([q1], "7:m:1")[0] == ["q1", ["a", "b", "c"]]
    assert not [p for p in tree.load().problems if p.is_error], text


def test_fixed_only_for_single_and_multiple(tree):
    text = break_file(tree, STD, "::: question q3 truefalse", "::: question q3 truefalse fixed")
    find(
        tree.load().problems,
        tree.path(STD),
        line_of(text, "::: question q3"),
        "'fixed' keeps the written order of the options of a single or multiple question",
    )


def test_fixed_is_the_same_in_every_variant(tree):
    text = break_file(
        tree, EASY, "::: question q2 multiple", "::: question q2 multiple fixed", FILES[EASY]
    )
    find(
        tree.load().problems,
        tree.path(EASY),
        line_of(text, "::: question q2"),
        "this question is 'fixed', but question 'q2' of",
    )


def test_attempt_order_mixes_questions_only_when_the_quiz_says_shuffle(tree):
    v = variant(tree)
    ids = [q.id for q in v.questions]
    for seed in range(10):
        assert [qid for qid, _ in attempt_order(v.questions, seed)] == ids
    mixed = {tuple(qid for qid, _ in attempt_order(v.questions, s, True)) for s in range(10)}
    assert len(mixed) > 1 and all(sorted(m) == sorted(ids) for m in mixed)
    order = dict(attempt_order(v.questions, "7:m:3"))
    assert order["q1"] == [o.id for o in display_options(v.question("q1"), "7:m:3")]
    assert order["q5"] == [oid for oid, _ in shuffled_right_sides(v.question("q5"), "7:m:3")]
    assert order["q6"] == []  # a text question has no options


def test_apply_order_follows_the_stored_order(tree):
    v = variant(tree)
    stored = [["q2", ["c", "a", "b"]], ["q1", ["b", "c", "a"]], ["gone", ["a"]]]
    shown = apply_order(v.questions, stored)
    assert [q.id for q, _ in shown] == ["q2", "q1", "q3", "q4", "q5", "q6"]
    assert [o.id for o in shown[0][1]] == ["c", "a", "b"]
    assert [o.id for o in shown[1][1]] == ["b", "c", "a"]
    # an option added since comes last; one removed since is left out
    assert [o.id for o in apply_order(v.questions, [["q1", ["c", "z"]]])[0][1]] == ["c", "a", "b"]
    for malformed in (None, "x", [1, ["q1"]], [["q1", "abc"]], {"q1": ["b"]}):
        shown = apply_order(v.questions, malformed)
        assert [q.id for q, _ in shown][:2] == ["q1", "q2"], malformed
        assert [o.id for o in shown[0][1]] == ["a", "b", "c"], malformed


def test_easy_and_standard_fingerprints_may_differ_but_ids_match(tree):
    catalog = tree.load()
    std = catalog.variant("ecoute-1", "fr", "standard")
    easy_text = FILES[EASY].replace("Quels gestes montrent une écoute ?", "Quels gestes ?")
    tree.write(EASY, easy_text)
    easy = tree.load().variant("ecoute-1", "fr", "easy")
    assert set(std.question_versions) == set(easy.question_versions)
