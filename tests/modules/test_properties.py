"""Property tests: whatever the text of a file, loading ends in a catalog or in problems, never in
another exception (and never in the "internal error" safety net)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learn.modules import grade, load_catalog
from learn.modules.parse import parse_file
from learn.modules.render import Renderer

from .conftest import FILES, MODULE, PLACEMENT, SKILLS_YAML, SS

MARKUP = list("\n\n\n:::[]x>-#{}*_!|=<>&\"'\t ") + ["::: question q1 single\n", ":::\n", "---\n",
          "[x] ", "[ ] ", "    > ", "explanation: ", "[[", "]]", "](", "{#", "level=", "[=] ",
          " => ", "[accept] ", "[prompt p] ", "::: glossary\n", "## T {#t}\n", "![a](b.png)",
          "module:", "javascript:", "&#", "\r", "\x00", "\ufeff", "é", "ŒÆ"]  # fmt: skip
TEXT = st.lists(st.sampled_from(MARKUP) | st.text(max_size=8), max_size=60).map("".join)
RENDERER = Renderer()
WORKDIR = Path(tempfile.mkdtemp(prefix="parcours-props-"))
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_text(text: str | bytes):
    file = WORKDIR / "softskills" / "x" / "level-1.fr.md"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    parsed = parse_file(file, str(file), RENDERER)
    internal = [p for p in parsed.problems if "internal error" in p.message]
    assert internal == []
    assert all(p.line >= 1 for p in parsed.problems)
    return parsed


@st.composite
def mutated(draw, source: str):
    """A valid file with a few random edits: insertions, deletions, line swaps."""
    text = source
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "swap", "replace-line"]))
        at = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:at] + draw(TEXT) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 80)) :]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i] = draw(TEXT)
            text = "\n".join(lines)
    return text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_a_problem_not_a_crash(text):
    parse_text(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_markup_soup_is_a_problem_not_a_crash(text):
    parse_text(
        "---\nid: x\ntitle: t\nlang: fr\nvariant: standard\ncourse: softskills\n---\n" + text
    )


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_a_problem_not_a_crash(data):
    parse_text(data)


@settings(max_examples=200, deadline=None)
@given(mutated(MODULE))
def test_a_mutated_module_is_a_problem_not_a_crash(text):
    parse_text(text)


@settings(max_examples=100, deadline=None)
@given(mutated(PLACEMENT))
def test_a_mutated_placement_is_a_problem_not_a_crash(text):
    parse_text(text)


@SLOW
@given(mutated(MODULE), mutated(SKILLS_YAML))
def test_a_mutated_tree_loads_into_a_catalog(module_text, skills_text):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        for rel, text in FILES.items():
            file = root / rel
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8")
        (root / f"{SS}/level-1.fr.easy.md").write_text(module_text, encoding="utf-8")
        (root / "softskills/skills.yaml").write_text(skills_text, encoding="utf-8")
        catalog = load_catalog(root)
        assert not [p for p in catalog.problems if "internal error" in p.message]
        for module in catalog.modules.values():
            for variant in module.variants.values():
                for question in variant.questions:
                    grade(question, "a")  # a built question can always be graded


ANSWERS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.binary(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(ANSWERS)
def test_any_answer_is_graded_without_exception(answer):
    parsed = parse_text(MODULE)
    for question in parsed.variant.questions:
        result = grade(question, answer)
        assert 0.0 <= result.score <= 1.0
        assert result.error or result.feedback is not None
