"""Pictograms in the text: the `:pic: name` mark, its alternative text, the checker's problems,
the sanitiser's one allowed form, and the shipped set itself."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from learn.modules import sanitize_html
from learn.modules.model import LANGS
from learn.modules.pictograms import default_names_file, load_pictograms
from learn.modules.render import Renderer

from .conftest import EASY, STD, break_file, find, line_of

ROOT = Path(__file__).resolve().parents[2]
BROOM_FR = '<img alt="balai" class="pic" height="48" src="/static/pictos/broom.svg" width="48">'


def section_html(tree, part: str = "au-travail") -> str:
    variant = tree.load().variant("ecoute-1", "fr", "easy")
    assert variant.variant == "easy"
    return next(s.html for s in variant.sections if s.id == part)


@pytest.fixture
def renderer() -> Renderer:
    r = Renderer()
    r.easy = True
    return r


def test_a_mark_at_the_start_of_a_line_renders_the_picture_with_its_french_name(renderer):
    out = renderer.sanitize(renderer.markdown(":pic: broom Prenez le balai."))
    assert out == f"<p>{BROOM_FR}Prenez le balai.</p>"


def test_the_alternative_text_is_in_the_file_language(renderer):
    renderer.lang = "en"
    assert 'alt="broom"' in renderer.inline(":pic: broom Take the broom.")


@pytest.mark.parametrize(
    ("lang", "alt"), [("de", "Besen"), ("it", "scopa"), ("de", "Arbeits·handschuhe")]
)
def test_a_german_or_italian_page_has_the_picture_s_name_in_its_language(renderer, lang, alt):
    renderer.lang = lang
    name = "gloves" if "·" in alt else "broom"
    assert f'alt="{alt}"' in renderer.inline(f":pic: {name} Text.")


def test_a_language_without_a_name_falls_back_to_french(renderer):
    renderer.lang = "xx"
    assert 'alt="balai"' in renderer.inline(":pic: broom Text.")


def test_a_decorative_picture_has_an_empty_alternative_text(renderer):
    out = renderer.inline(":pic: gloves decorative Mettez vos gants.")
    assert out.startswith('<img alt="" class="pic"') and out.endswith(">Mettez vos gants.")


def test_a_list_item_and_a_question_option_can_start_with_a_picture(renderer):
    out = renderer.block("- :pic: late Vous êtes en retard.\n- :pic: phone Vous appelez.")
    assert out.count('class="pic"') == 2 and 'alt="en retard"' in out
    assert 'alt="téléphone"' in renderer.inline(":pic: phone Vous appelez.")


def test_a_mark_in_code_is_left_as_text(renderer):
    assert "<img" not in renderer.inline("Écrivez `:pic: broom` au début de la ligne.")


def test_a_module_part_holds_the_picture(tree):
    break_file(tree, EASY, "Le chef parle.", ":pic: listen Le chef parle.")
    html = section_html(tree)
    assert 'alt="écouter" class="pic" height="48" src="/static/pictos/listen.svg"' in html
    assert not [p for p in tree.load().problems if "pictogram" in p.message]


@pytest.mark.parametrize(("lang", "alt"), [("de", "zuhören"), ("it", "ascoltare")])
def test_a_german_or_italian_module_shows_the_name_in_its_language(tree, lang, alt):
    for rel in (STD, EASY):
        text = (tree.root / rel).read_text(encoding="utf-8").replace("lang: fr", f"lang: {lang}")
        if rel == EASY:
            text = text.replace("Le chef parle.", ":pic: listen Le chef parle.")
        tree.write(rel.replace(".fr.", f".{lang}."), text)
    variant = tree.load().variant("ecoute-1", lang, "easy")
    assert variant.lang == lang
    html = next(s.html for s in variant.sections if s.id == "au-travail")
    assert f'alt="{alt}" class="pic"' in html


def test_an_unknown_name_is_an_error_with_the_nearest_names(tree):
    text = break_file(tree, EASY, "Le chef parle.", ":pic: brom Le chef parle.")
    problem = find(tree.load().problems, tree.path(EASY), line_of(text, ":pic:"), "brom")
    assert problem.message.startswith('unknown pictogram "brom" (nearest: broom')


def test_an_unknown_name_in_a_question_is_an_error(tree):
    text = break_file(
        tree, STD, "[x] Vous reformulez la consigne.", "[x] :pic: talk Vous reformulez."
    )
    find(tree.load().problems, tree.path(STD), line_of(text, ":pic:"), 'unknown pictogram "talk"')


def test_a_picture_may_start_an_option_a_feedback_or_follow_a_heading(tree):
    text = break_file(
        tree, STD, "[x] Vous reformulez la consigne.", "[x] :pic: speak Vous reformulez."
    )
    text = break_file(
        tree, STD, "Samia reformule la consigne.", ":pic: listen Samia reformule.", source=text
    )
    text = break_file(
        tree, STD, "    > Vous perdez du temps.", "    > :pic: late Trop tard.", source=text
    )
    text = break_file(
        tree, STD, "### Un exemple\n", "### Un exemple\n:pic: idea Une idée.\n", source=text
    )
    assert ":pic: idea" in text
    assert not [p for p in tree.load().problems if "pictogram" in p.message]


def test_a_mark_without_a_name_is_an_error(tree):
    text = break_file(tree, EASY, "Le chef parle.", ":pic:\nLe chef parle.")
    find(tree.load().problems, tree.path(EASY), line_of(text, ":pic:"), "needs the name")


def test_a_mark_after_the_start_of_the_sentence_is_an_error(tree):
    text = break_file(tree, EASY, "Le chef parle.", "Le chef :pic: speak parle.")
    find(tree.load().problems, tree.path(EASY), line_of(text, ":pic:"), "start of the line")


def test_two_pictures_for_one_sentence_are_a_warning(tree):
    text = break_file(tree, EASY, "Le chef parle.", ":pic: speak :pic: listen Le chef parle.")
    found = find(
        tree.load().problems, tree.path(EASY), line_of(text, ":pic:"), "more than one", "warning"
    )
    assert found.severity == "warning"


def test_in_a_standard_text_a_picture_inside_a_paragraph_is_a_warning(tree):
    text = break_file(
        tree, STD, "Samia reformule la consigne.", "Samia écoute.\n:pic: speak Elle reformule."
    )
    find(
        tree.load().problems,
        tree.path(STD),
        line_of(text, ":pic:"),
        "inside a paragraph",
        "warning",
    )


def test_the_mark_does_not_count_as_words_of_the_sentence(tree):
    words = "Un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze."
    break_file(tree, EASY, "Le chef parle.", f":pic: listen {words}")
    assert not [p for p in tree.load().problems if "words" in p.message]


@pytest.mark.parametrize(
    "html",
    [
        '<img class="pic" src="/evil.svg" alt="x" width="48" height="48">',
        '<img class="pic" src="https://example.org/static/pictos/a.svg" alt="" width="48" '
        'height="48">',
        '<img class="pic" src="/static/pictos/broom.svg" alt="x" width="4800" height="48">',
        '<img class="pic" src="/static/pictos/broom.svg" alt="x" width="48">',
        '<img class="big" src="photo.png" alt="x" width="48" height="48" onerror="alert(1)">',
        '<img src="/static/pictos/../../x.svg" alt="x" class="pic" width="48" height="48">',
    ],
)
def test_the_sanitiser_allows_no_other_img_form(html):
    out = sanitize_html(html)
    assert "class=" not in out and "width" not in out and "height" not in out
    assert "onerror" not in out


def test_the_sanitiser_keeps_the_pictogram_form_unchanged():
    assert sanitize_html(BROOM_FR) == BROOM_FR
    assert sanitize_html(sanitize_html(BROOM_FR)) == BROOM_FR


def test_an_author_cannot_dress_an_image_up_as_a_pictogram(renderer):
    renderer.module_id = "m"
    out = renderer.sanitize(renderer.markdown("![Une photo](photo.png){: .pic width=48 height=48}"))
    assert 'class="pic"' not in out and "width" not in out


def test_every_listed_picture_is_shipped_with_its_names_and_a_known_source():
    data = yaml.safe_load(default_names_file().read_text(encoding="utf-8"))
    names = data["pictograms"]
    assert len(load_pictograms().by_name) == len(names) >= 60
    for name, entry in names.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", name)
        assert all(entry[lang] for lang in LANGS) and entry["category"]
        assert entry["source"] in data["sources"]
        svg = ET.parse(default_names_file().parent / f"{name}.svg").getroot()  # noqa: S314
        assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox")
    shipped = {p.stem for p in default_names_file().parent.glob("*.svg")}
    assert shipped == set(names)


def test_shipped_pictures_hold_no_comment_metadata_or_script():
    for path in default_names_file().parent.glob("*.svg"):
        text = path.read_text(encoding="utf-8")
        for unwanted in ("<!--", "<metadata", "<script", "inkscape", "sodipodi", "href"):
            assert unwanted not in text, f"{path.name}: {unwanted}"
        assert len(text.encode()) < 20_000


def test_the_licence_file_names_every_picture():
    licence = (default_names_file().parent / "LICENCE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in licence and "public domain" in licence
    for name in load_pictograms().by_name:
        assert f"| {name}.svg |" in licence


def test_the_copy_script_optimises_an_svg():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from pictograms import optimise
    finally:
        sys.path.pop(0)
    source = (
        b'<?xml version="1.0"?><!-- made by hand --><svg xmlns="http://www.w3.org/2000/svg" '
        b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="10pt" height="10pt" '
        b'inkscape:version="1"><metadata>x</metadata><g id="unused"><path d="M0 0h1"/></g></svg>'
    )
    out = optimise(source).decode()
    assert out == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g><path d="M0 0h1" />'
        "</g></svg>\n"
    )


def test_the_shipped_pictures_are_what_the_script_writes():
    if not (ROOT / ".cache" / "pictos" / "node_modules" / "openmoji").is_dir():
        pytest.skip("the npm package is not in .cache/pictos (run scripts/pictograms.py)")
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "scripts" / "pictograms.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout


def test_content_stats_count_pictograms_per_easy_read_part(tree):
    from learn.modules.stats import all_variants, pictogram_lines, pictograms_per_part

    break_file(tree, EASY, "Le chef parle.", ":pic: listen Le chef parle.")
    variants = all_variants(tree.root)
    assert sorted(pictograms_per_part(variants)) == [0] * 7 + [1]
    (line,) = pictogram_lines(variants)
    assert line.startswith("Pictograms per easy-read part: min 0, median 0, max 1 over 8 parts")
    assert line.endswith("1 part with one or more; 3 of 4 easy-read modules without any")
