"""The Catalog API, the hot-reload holder and the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from learn.modules import CatalogHolder, Localized, check, load_catalog, main

from .conftest import EASY, FILES, SS, STD, break_file, line_of

ROOT = Path(__file__).resolve().parents[2]


def test_courses_skills_and_modules(tree):
    catalog = tree.load()
    assert [c.id for c in catalog.courses] == ["softskills", "entrepreneurship"]
    assert catalog.course("softskills").module_ids == ("ecoute-1", "ecoute-2")
    assert catalog.course("entrepreneurship").title.get("en") == "Social entrepreneurship"
    skill = catalog.skill("ecoute")
    assert skill.title.get("en") == "Listening" and skill.why.get("en") == "Pour bien travailler."
    assert [lvl.level for lvl in skill.levels] == [1, 2, 3, 4]
    assert skill.level(2).behaviours_for("en")[0] == "Reformule une consigne"
    assert [m.id for m in catalog.modules_for_skill("ecoute")] == ["ecoute-1", "ecoute-2"]
    assert [m.id for m in catalog.course_modules("entrepreneurship")] == ["es-social"]
    assert catalog.modules["ecoute-2"].prerequisites == ("ecoute-1",)
    assert catalog.modules["es-social"].title("en") == catalog.variant("es-social", "en").title


def test_variant_fallbacks(tree):
    catalog = tree.load()
    assert catalog.variant("es-social", "en", "easy").key == ("en", "easy")
    assert catalog.variant("ecoute-1", "en", "easy").key == ("fr", "easy")
    assert catalog.variant("ecoute-1", "es", "standard").key == ("fr", "standard")
    assert catalog.variant("nope") is None
    tree.remove(EASY)
    catalog = tree.load()
    assert catalog.variant("ecoute-1", "fr", "easy") is None  # the standard has an error now


def test_an_error_in_one_language_keeps_the_other_served(tree):
    break_file(tree, "entrepreneurship/social.en.md", "lang: en", "lang: en\ntitel: x",
               FILES["entrepreneurship/social.en.md"])  # fmt: skip
    catalog = tree.load()
    assert catalog.is_valid("es-social", "fr") and not catalog.is_valid("es-social", "en")
    assert catalog.variant("es-social", "en").lang == "fr"


def test_placements_and_guides(tree):
    catalog = tree.load()
    placement = catalog.placement("ecoute", "en")
    assert placement.kind == "placement" and [q.level for q in placement.questions] == [1, 2, 3]
    assert catalog.placements["ecoute"][("fr", "standard")] is placement
    assert catalog.guide("ecoute").sections[0].id == "presenter"
    assert "ecoute-placement" not in catalog.modules


def test_localized():
    text = Localized.of({"fr": "Bonjour", "en": "Hello"})
    assert text.get("en") == "Hello" and text.get("de") == "Bonjour" and text.get() == "Bonjour"
    assert Localized.of("Salut").get("en") == "Salut" and Localized.of(None).get("fr") == ""
    assert Localized.of({"en": "Only"}).get("fr") == "Only" and "en" in text and text["fr"]


def test_data_classes_are_frozen(tree):
    variant = tree.load().variant("ecoute-1")
    with pytest.raises(AttributeError):
        variant.title = "x"
    with pytest.raises(TypeError):
        variant.glossary["x"] = "y"


def test_check_a_subfolder_uses_the_whole_tree(tree):
    problems = check(tree.root / SS)
    assert all(p.path.startswith(str(tree.root / SS)) for p in problems)
    assert not [p for p in problems if p.is_error]  # module: links to other files resolve
    break_file(tree, STD, "lang: fr", "lang: xx")
    assert [p.line for p in check(tree.root / STD) if p.is_error] == [line_of(FILES[STD], "lang:")]


def test_hot_reload_picks_up_an_edited_file(tree):
    now = [100.0]
    holder = CatalogHolder(tree.root, reload=True, clock=lambda: now[0])
    first = holder.get()
    assert holder.get() is first and holder.loads == 1
    text = FILES[STD].replace('title: "Écouter : comprendre une consigne"', 'title: "Nouveau"')
    tree.write(STD, text)
    os.utime(tree.root / STD, ns=(1, 1))  # a different mtime even on coarse file systems
    now[0] += 0.5
    assert holder.get() is first  # checked at most once a second
    now[0] += 0.6
    second = holder.get()
    assert second is not first and second.variant("ecoute-1").title == "Nouveau"
    now[0] += 5
    assert holder.get() is second and holder.loads == 2  # nothing changed since


def test_hot_reload_sees_new_and_deleted_files(tree):
    now = [0.0]
    holder = CatalogHolder(tree.root, reload=True, clock=lambda: now[0])
    holder.get()
    tree.remove(f"{SS}/guide.fr.md")
    now[0] += 2
    assert holder.get().guide("ecoute") is None


def test_no_reload_when_off(tree):
    holder = CatalogHolder(tree.root, reload=False)
    first = holder.get()
    tree.write(STD, FILES[STD].replace("level: 1", "level: 9"))
    assert holder.get() is first
    assert holder.refresh() is not first


def test_cli_output_and_exit_code(tree, capsys):
    assert main(["check", str(tree.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"0 errors, 2 warnings in {len(FILES)} files"
    assert out[0] == f"{tree.path('softskills/skills.yaml')}:5: warning: the programme has 20 " \
        "soft skills; skills.yaml lists 1"  # fmt: skip
    text = break_file(tree, STD, "minutes: 15", "minutes: quinze")
    assert main(["check", str(tree.root)]) == 1
    out = capsys.readouterr().out.splitlines()
    line = line_of(text, "minutes:")
    message = "'minutes' must be a whole number of at least 1, not 'quinze'"
    assert f"{tree.path(STD)}:{line}: error: {message}" in out
    assert out[-1].startswith("1 error, 2 warnings in ")


def test_cli_on_one_file_and_on_a_missing_path(tree, capsys):
    assert main(["check", tree.path(STD)]) == 0
    assert capsys.readouterr().out.strip() == "0 errors, 0 warnings in 1 file"
    assert main(["check", str(tree.root / "nope")]) == 2
    assert main(["frobnicate"]) == 2


def test_python_dash_m(tree):
    tree.write(STD, FILES[STD].replace("minutes: 15", "minutes: 0"))
    run = subprocess.run(
        [sys.executable, "-m", "learn.modules", "check", str(tree.root)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert run.returncode == 1
    assert run.stdout.splitlines()[-1].startswith("1 error, ")


def test_load_catalog_of_a_missing_folder(tmp_path):
    catalog = load_catalog(tmp_path / "nope")
    assert catalog.problems[0].message == "the content folder does not exist"
    assert not catalog.modules


def test_the_engine_imports_nothing_of_the_app():
    import ast

    for file in (ROOT / "learn" / "modules").glob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("flask", "werkzeug", "learn")), (file.name, name)
