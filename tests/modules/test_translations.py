"""Translated files: which one learners are served (never a `machine` translation), the check
that a translation's source exists and has not changed since, and `learn content stamp`."""

from __future__ import annotations

import hashlib
import re

from learn.modules.cli import main

from .conftest import FILES, GUIDE, PLACEMENT, SS, find, line_of

DE = f"{SS}/level-1.de.md"
DE_EASY = f"{SS}/level-1.de.easy.md"


def version_of(tree, rel: str) -> str:
    return hashlib.sha256((tree.root / rel).read_bytes()).hexdigest()[:12]


def german(source: str, status: str, version: str, title: str = "Zuhören") -> str:
    """A file of the fixture as a German translation (the text stays French: enough here)."""
    text = source.replace("lang: fr\n", "lang: de\n").replace(
        "variant:",
        f"translation: {{status: {status}, from: fr, source_version: {version}}}\nvariant:",
        1,
    )
    return re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.M)


def write_german(tree, standard: str, easy: str) -> None:
    rel_fr, rel_easy = f"{SS}/level-1.fr.md", f"{SS}/level-1.fr.easy.md"
    tree.write(DE, german(FILES[rel_fr], standard, version_of(tree, rel_fr), "Zuhören"))
    tree.write(DE_EASY, german(FILES[rel_easy], easy, version_of(tree, rel_easy), "Leicht"))


# --- serving ------------------------------------------------------------------------------------


def test_a_machine_translation_is_skipped_for_learners_and_given_as_a_preview(tree):
    write_german(tree, "machine", "machine")
    catalog = tree.load()
    mine = [p.format() for p in catalog.problems if p.path in (tree.path(DE), tree.path(DE_EASY))]
    assert catalog.errors == 0 and not mine, mine
    assert catalog.variant("ecoute-1", "de", "standard").lang == "fr"
    assert catalog.variant("ecoute-1", "de", "easy").key == ("fr", "easy")
    preview = catalog.variant("ecoute-1", "de", "standard", preview=True)
    assert preview.key == ("de", "standard") and not preview.for_learners
    assert catalog.modules["ecoute-1"].title("de") == catalog.modules["ecoute-1"].title("fr")


def test_the_other_variant_in_the_learner_s_language_comes_before_french(tree):
    write_german(tree, "machine", "reviewed")
    catalog = tree.load()
    assert catalog.variant("ecoute-1", "de", "standard").key == ("de", "easy")
    assert catalog.modules["ecoute-1"].title("de") == "Leicht"
    write_german(tree, "validated", "machine")
    catalog = tree.load()
    assert catalog.variant("ecoute-1", "de", "easy").key == ("de", "standard")
    assert catalog.modules["ecoute-1"].title("de") == "Zuhören"


def test_a_machine_placement_or_guide_is_a_preview_only(tree):
    for rel, text in ((f"{SS}/placement.de.md", PLACEMENT), (f"{SS}/guide.de.md", GUIDE)):
        source = rel.replace(".de.", ".fr.")
        tree.write(rel, german(text, "machine", version_of(tree, source)))
    catalog = tree.load()
    assert catalog.errors == 0, [p.format() for p in catalog.problems]
    assert catalog.placement("ecoute", "de").lang == "fr"
    assert catalog.placement("ecoute", "de", preview=True).lang == "de"
    assert catalog.guide("ecoute", "de").lang == "fr"
    assert catalog.guide("ecoute", "de", preview=True).lang == "de"


# --- check --------------------------------------------------------------------------------------


def test_a_translation_whose_source_changed_is_reported_with_how_to_restamp(tree):
    write_german(tree, "reviewed", "reviewed")
    before = version_of(tree, f"{SS}/level-1.fr.md")
    tree.write(f"{SS}/level-1.fr.md", FILES[f"{SS}/level-1.fr.md"] + "\nUne phrase de plus.\n")
    problems = tree.load().problems
    text = (tree.root / DE).read_text(encoding="utf-8")
    warning = find(problems, tree.path(DE), line_of(text, "source_version"), "changed", "warning")
    assert tree.path(f"{SS}/level-1.fr.md") in warning.message and before in warning.message
    assert f"learn content stamp {tree.path(DE)}" in warning.message
    assert not [p for p in problems if p.path == tree.path(DE_EASY)]  # its source is unchanged


def test_a_translation_without_its_source_file_is_an_error(tree):
    tree.write(
        "entrepreneurship/social.it.md",
        german(FILES["entrepreneurship/social.fr.md"], "reviewed", "0123456789ab")
        .replace("lang: de", "lang: it")
        .replace("from: fr", "from: de"),
    )
    tree.write(
        "entrepreneurship/social.it.easy.md",
        german(FILES["entrepreneurship/social.fr.easy.md"], "reviewed", "0123456789ab").replace(
            "lang: de", "lang: it"
        ),
    )
    catalog = tree.load()
    text = (tree.root / "entrepreneurship/social.it.md").read_text(encoding="utf-8")
    error = find(
        catalog.problems,
        tree.path("entrepreneurship/social.it.md"),
        line_of(text, "translation:"),
        "translated from 'de', but there is no standard file of 'es-social' in 'de'",
    )
    assert "social.de.md" in error.message
    assert "it" not in catalog.modules["es-social"].servable_langs


def test_a_file_cannot_be_translated_from_its_own_language(tree):
    tree.write(
        DE,
        german(FILES[f"{SS}/level-1.fr.md"], "reviewed", "0123456789ab").replace(
            "from: fr", "from: de"
        ),
    )
    tree.write(DE_EASY, german(FILES[f"{SS}/level-1.fr.easy.md"], "reviewed", "0123456789ab"))
    find(
        tree.load().problems,
        tree.path(DE),
        line_of(FILES[f"{SS}/level-1.fr.md"], "variant:"),
        "not its own ('de')",
    )


# --- stamp --------------------------------------------------------------------------------------


def test_stamp_writes_the_source_version_and_keeps_every_other_byte(tree, capsys):
    write_german(tree, "reviewed", "reviewed")
    tree.write(f"{SS}/level-1.fr.md", FILES[f"{SS}/level-1.fr.md"] + "\nUne phrase de plus.\n")
    before = (tree.root / DE).read_bytes().replace(b"\n", b"\r\n")  # Windows line ends, kept
    tree.write(DE, before)
    new = version_of(tree, f"{SS}/level-1.fr.md")
    assert new.encode() not in before
    assert main(["stamp", tree.path(DE)]) == 0
    after = (tree.root / DE).read_bytes()
    old = before.split(b"source_version: ")[1][:12]
    assert after == before.replace(b"source_version: " + old, b"source_version: " + new.encode())
    assert f"{old.decode()} -> {new}" in capsys.readouterr().out
    assert not [p for p in tree.load().problems if p.path == tree.path(DE)]
    assert main(["stamp", tree.path(DE)]) == 0 and "up to date" in capsys.readouterr().out


def test_stamp_fills_a_placeholder_and_refuses_a_file_that_is_not_a_translation(tree, capsys):
    write_german(tree, "machine", "machine")
    text = (tree.root / DE).read_text(encoding="utf-8")
    tree.write(DE, text.replace(version_of(tree, f"{SS}/level-1.fr.md"), '""'))
    assert tree.errors()  # an empty source_version is an error until stamped
    assert main(["stamp", tree.path(DE), tree.path(f"{SS}/level-1.fr.md")]) == 1
    err = capsys.readouterr().err
    assert "level-1.fr.md: not stamped: it has no 'translation' key" in err
    assert f'source_version: "{version_of(tree, f"{SS}/level-1.fr.md")}"' in (
        tree.root / DE
    ).read_text(encoding="utf-8")
    assert not tree.errors()
    assert main(["stamp", tree.path("nowhere.de.md")]) == 1
