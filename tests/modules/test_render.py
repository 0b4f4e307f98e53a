"""Rendering: HTML conventions, the sanitiser and the attack corpus in every place text goes."""

from __future__ import annotations

import pytest

from learn.modules import load_catalog, sanitize_html
from learn.modules.parse import parse_file
from learn.modules.render import Renderer

from .conftest import EASY, SS, STD, break_file
from .xss_corpus import BODY_PAYLOADS, PAYLOADS, unsafe_html


def all_html(variant) -> list[str]:
    """Every HTML string a variant holds."""
    out = [variant.html, variant.intro_html, variant.glossary_html, variant.activity_html]
    out += [s.html for s in variant.sections]
    out += [item.text_html for item in variant.selfcheck]
    for q in variant.questions:
        out += [q.text_html, q.explanation_html, q.correct_feedback_html, q.incorrect_feedback_html]
        for o in q.options:
            out += [o.text_html, o.feedback_html, o.right_html]
    if variant.workshop:
        out.append(variant.workshop.intro_html)
        for p in variant.workshop.prompts:
            out += [p.text_html, p.hint_html]
    return out


def module_with(payload: str) -> str:
    """A module with `payload` in every place a line of text can go."""
    return f"""---
id: piege
title: "Piège"
lang: fr
variant: standard
course: entrepreneurship
minutes: 15
objectives:
  - id: o1
    text: Un objectif.
  - id: o2
    text: Un autre.
quiz:
  mode: practice
  pass: 80%
---

{payload}

## {payload} {{#partie}}

{payload}

!!! note "{payload}"
    {payload}

::: glossary
terme: {payload}
:::

::: activity
{payload}
:::

::: workshop ws-piege
{payload}
[prompt p1] {payload}
    > {payload}
:::

::: question q1 single
{payload}
[x] {payload}
    > {payload}
[ ] Autre
    > {payload}
explanation: {payload}
:::

::: question q2 matching
{payload}
[=] {payload} => droite
[=] gauche => {payload}
correct: {payload}
incorrect: {payload}
explanation: {payload}
:::

::: selfcheck
[o1] {payload}
[o2] Je peux.
:::
"""


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


def test_corpus_is_large_enough():
    assert len(PAYLOADS) + len(BODY_PAYLOADS) >= 50


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised_everywhere(payload, tmp_path, renderer):
    folder = tmp_path / "entrepreneurship"
    folder.mkdir()
    file = folder / "piege.fr.md"
    file.write_text(module_with(payload), encoding="utf-8")
    (folder / "photo.png").write_bytes(b"x")
    parsed = parse_file(file, str(file), renderer)
    assert parsed.variant is not None, [p.format() for p in parsed.problems]
    for html in all_html(parsed.variant):
        assert unsafe_html(html) == [], html


@pytest.mark.parametrize("payload", PAYLOADS + BODY_PAYLOADS)
def test_payload_through_the_renderer_and_the_sanitiser(payload, renderer):
    for html in (renderer.block(payload), renderer.inline(payload), sanitize_html(payload)):
        assert unsafe_html(html) == [], html


def test_sanitiser_keeps_what_content_needs():
    html = (
        '<h2 id="part">T</h2><p><strong>b</strong> <a href="https://x.example/">l</a>'
        ' <a href="/modules/m#p">m</a> <img src="/content-assets/m/a.png" alt="a"></p>'
        '<div class="admonition note"><p class="admonition-title">N</p></div>'
        '<dl class="glossary"><dt>t</dt><dd id="gloss-t">d</dd></dl>'
        "<table><tr><th>a</th></tr><tr><td>b</td></tr></table>"
    )
    clean = sanitize_html(html)
    for kept in ('id="part"', 'href="https://x.example/"', 'src="/content-assets/m/a.png"',
                 'class="admonition note"', 'id="gloss-t"', "<table>", "<strong>"):  # fmt: skip
        assert kept in clean
    assert 'rel="noopener noreferrer"' in clean


def test_sanitiser_drops_unlisted_classes_and_ids():
    clean = sanitize_html('<p id="x" class="evil">a</p><div class="admonition evil">b</div>')
    assert 'id="x"' not in clean and "evil" not in clean


def test_sanitised_html_is_stable(tree):
    for variant in tree.load().modules["ecoute-2"].variants.values():
        for html in all_html(variant):
            assert sanitize_html(html) == html


def test_rendered_conventions(tree):
    catalog = load_catalog(tree.root, asset_url_prefix="/assets/", module_url_prefix="/m")
    v = catalog.variant("ecoute-2", "fr")
    assert [s.id for s in v.sections] == ["au-travail", "signes"]
    assert v.sections[0].html.startswith('<h2 id="au-travail">')
    assert '<section aria-labelledby="signes" class="part">' in v.html
    assert '<img alt="Une personne écoute son chef" src="/assets/ecoute-2/photo.png">' in v.html
    assert 'href="/m/ecoute-1#signes"' in v.html
    assert 'href="#signes"' in v.html
    gloss = 'aria-describedby="gloss-ecoute-active" class="gloss" href="#gloss-ecoute-active"'
    assert gloss in v.intro_html
    assert '<dd id="gloss-ecoute-active">' in v.glossary_html
    assert v.assets == frozenset({"photo.png"})
    assert catalog.asset_path("ecoute-2", "photo.png") == tree.root / SS / "photo.png"
    assert catalog.asset_path("ecoute-2", "../skills.yaml") is None
    assert '<div class="admonition note">' in v.html
    assert "<h3" in v.sections[0].html
    assert v.activity_html == "<p>Cette semaine, reformulez une consigne.</p>"
    assert v.sections[0].words > 5 and v.words == v.intro_words + sum(s.words for s in v.sections)


def test_raw_html_is_escaped_not_interpreted(renderer):
    assert renderer.block("Un <b>mot</b>.") == "<p>Un &lt;b&gt;mot&lt;/b&gt;.</p>"


def test_question_html_reveals_no_answer(tree):
    variant = tree.load().variant("ecoute-1", "fr")
    for question in variant.questions:
        shown = question.text_html + "".join(o.text_html + o.right_html for o in question.options)
        secrets = [o.feedback for o in question.options if o.feedback]
        secrets += [question.explanation, *question.accept]
        for secret in secrets:
            assert secret not in shown, (question.id, secret)
        assert "correct" not in shown and "[x]" not in shown


def test_module_html_holds_no_question(tree):
    variant = tree.load().variant("ecoute-1", "fr")
    assert "Vous reformulez la consigne" not in variant.html
    assert "explanation" not in variant.html


def test_heading_ids_of_blocks_do_not_collide_with_the_body(tree):
    text = break_file(tree, STD, "::: glossary", "::: activity\n### Un exemple\nFaites.\n:::\n\n"
                      "::: glossary")  # fmt: skip
    tree.write(EASY, text.replace("variant: standard", "variant: easy"))
    variant = tree.load().variant("ecoute-1", "fr")
    assert "<h3>Un exemple</h3>" in variant.activity_html
    assert 'id="un-exemple"' in variant.html


def test_prefixes_are_parameters(tree):
    catalog = load_catalog(tree.root, asset_url_prefix="https://cdn.example/c")
    assert 'src="https://cdn.example/c/ecoute-1/photo.png"' in catalog.variant("ecoute-1").html


def test_easy_read_keeps_one_sentence_a_line(tree):
    text = break_file(tree, EASY, "Samia reformule la consigne.", "Samia écoute.\nElle reformule.")
    tree.write(STD, text.replace("variant: easy", "variant: standard"))
    module = tree.load().modules["ecoute-1"]
    assert "Samia écoute.<br>\nElle reformule." in module.variants[("fr", "easy")].html
    assert "Samia écoute.\nElle reformule." in module.variants[("fr", "standard")].html


def test_a_table_scrolls_in_its_own_named_region_that_the_keyboard_reaches():
    from learn.modules.render import scrolling_tables

    found = scrolling_tables("<p>a</p><table><tr><td>x</td></tr></table>", "de")
    assert found == (
        '<p>a</p><div class="table-scroll" role="region" tabindex="0" aria-label="Tabelle">'
        "<table><tr><td>x</td></tr></table></div>"
    )
    assert 'aria-label="Tableau"' in scrolling_tables("<table></table>", "fr")
