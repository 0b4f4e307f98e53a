"""French punctuation stays with its word: no-break spaces before : ; ! ? » and after «, in the
text of French content only — never inside a tag, an attribute, or code."""

from __future__ import annotations

from learn.modules.render import NBSP, NNBSP, Renderer, french_spacing


def test_spaces_before_marks_and_inside_guillemets_become_no_break():
    text = "<p>Attention : « oui » ; vraiment ? Bravo !</p>"
    assert french_spacing(text) == (
        f"<p>Attention{NBSP}: «{NNBSP}oui{NNBSP}» ; vraiment{NNBSP}? Bravo{NNBSP}!</p>".replace(
            " ;", f"{NNBSP};"
        )
    )


def test_attributes_tags_and_code_are_left_alone():
    text = (
        '<p><a href="/x?a=1 ;b" title="Titre : sous-titre">lien ?</a> '
        "<code>a = b ? c : d</code> et <pre>x ; y</pre> fin !</p>"
    )
    out = french_spacing(text)
    assert 'href="/x?a=1 ;b"' in out and 'title="Titre : sous-titre"' in out
    assert "<code>a = b ? c : d</code>" in out and "<pre>x ; y</pre>" in out
    assert f"lien{NNBSP}?" in out and f"fin{NNBSP}!" in out


def test_a_space_after_a_closing_tag_is_kept_with_the_mark():
    assert (
        french_spacing("<strong>Consigne</strong> : lire")
        == f"<strong>Consigne</strong>{NBSP}: lire"
    )


def test_a_url_or_a_time_without_space_is_unchanged():
    text = "<p>https://example.org/a?b=c 10:30 Ah!</p>"
    assert french_spacing(text) == text


def test_the_renderer_types_french_and_leaves_english():
    renderer = Renderer()
    renderer.lang = "fr"
    assert renderer.inline("Vrai ou faux ?") == f"Vrai ou faux{NNBSP}?"
    assert renderer.block("Une *règle* : écouter.") == f"<p>Une <em>règle</em>{NBSP}: écouter.</p>"
    coded = renderer.block("Un code `a : b` ici !")
    assert coded == f"<p>Un code <code>a : b</code> ici{NNBSP}!</p>"
    renderer.lang = "en"
    assert renderer.inline("True or false ?") == "True or false ?"
