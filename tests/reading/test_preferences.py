"""Reading preferences: only values of the allowlist are kept, the preset is the research's."""

from __future__ import annotations

import re

import pytest

from learn.config import PROJECT_ROOT
from learn.reading import preferences
from learn.reading.preferences import CHOICES, DEFAULTS, InvalidChoice, ReadingPrefs


def test_defaults_are_the_preset_with_the_mode_off():
    assert DEFAULTS.mode is False
    assert {name: getattr(DEFAULTS, name) for name in preferences.PRESET} == preferences.PRESET
    assert int(DEFAULTS.size) >= 18 and int(DEFAULTS.line_length) <= 70
    assert DEFAULTS.theme == "cream" and DEFAULTS.font == "system"


def test_the_choices_cover_the_table():
    assert len(CHOICES["size"]) >= 4 and max(map(int, CHOICES["size"])) >= 32
    assert min(map(int, CHOICES["size"])) >= 18
    assert set(CHOICES["theme"]) >= {"cream", "blue", "grey", "dark"}
    assert set(CHOICES["font"]) == {"system", "atkinson", "lexend", "opendyslexic"}
    assert CHOICES["ruler"] == ("1", "3", "5")
    assert min(map(float, CHOICES["rate"])) == 0.5 and max(map(float, CHOICES["rate"])) == 2
    assert max(map(int, CHOICES["line_length"])) <= 70
    assert min(map(float, CHOICES["line_height"])) >= 1.5


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "text",
        [],
        {"size": "1000", "theme": "red", "font": "Comic Sans", "mode": "yes"},
        {"size": 24, "theme": "</style><script>", "spacing": None},
    ],
)
def test_stored_values_outside_the_allowlist_fall_back_to_the_defaults(stored):
    assert preferences.from_stored(stored) == DEFAULTS


def test_stored_values_are_read_back():
    prefs = ReadingPrefs(mode=True, size="32", theme="dark", font="lexend", syllables="colour")
    assert preferences.from_stored(prefs.as_dict()) == prefs
    assert preferences.from_stored({"mode": True, "theme": "blue", "extra": 1}) == ReadingPrefs(
        mode=True, theme="blue"
    )


def test_a_partial_form_changes_only_what_it_sends():
    current = ReadingPrefs(mode=True, theme="dark")
    new = preferences.parse_form({"rate": "1.5"}, current, complete=False)
    assert new == ReadingPrefs(mode=True, theme="dark", rate="1.5")


def test_a_complete_form_without_the_box_turns_the_mode_off():
    current = ReadingPrefs(mode=True)
    new = preferences.parse_form({"size": "24"}, current, complete=True)
    assert new.mode is False and new.size == "24"
    assert preferences.parse_form({"mode": "on"}, current, complete=True).mode is True


def test_every_wrong_value_is_named():
    with pytest.raises(InvalidChoice) as caught:
        preferences.parse_form(
            {"size": "17", "theme": "dark", "font": "url(x)", "mode": "maybe"}, DEFAULTS, True
        )
    assert caught.value.fields == ["size", "font", "mode"]


def test_the_preset_keeps_the_tools():
    current = ReadingPrefs(
        size="32", theme="dark", font="opendyslexic", syllables="split", ruler="5"
    )
    new = preferences.with_preset(current)
    assert new.mode is True and new.size == "20" and new.theme == "cream" and new.font == "system"
    assert new.syllables == "split" and new.ruler == "5"


def test_html_attributes_name_every_setting():
    names = [name for name, _value in ReadingPrefs(mode=True).html_attributes()]
    assert names[0] == "data-rm" and len(names) == len(CHOICES) + 1
    assert ReadingPrefs(mode=True, syllables="split").syllables_shown
    assert not ReadingPrefs(mode=False, syllables="split").syllables_shown


def test_every_font_choice_has_its_files_and_its_licence():
    css = (PROJECT_ROOT / "static" / "css" / "reading.css").read_text(encoding="utf-8")
    declared = set(re.findall(r'url\("\.\./(fonts/[^"]+)"\)', css))
    assert set(preferences.FONT_FILES) == set(CHOICES["font"])
    shipped = {file for files in preferences.FONT_FILES.values() for file in files}
    assert shipped == declared
    for file in shipped:
        path = PROJECT_ROOT / "static" / file
        assert path.read_bytes()[:4] == b"wOF2", file
        assert "SIL OPEN FONT LICENSE" in (path.parent / "OFL.txt").read_text().upper()
    assert ReadingPrefs(mode=True, font="lexend").font_files == preferences.FONT_FILES["lexend"]
    assert ReadingPrefs(mode=False, font="lexend").font_files == ()
    assert ReadingPrefs(mode=True, font="system").font_files == ()
    # Preloaded: the regular weight only.
    assert ReadingPrefs(mode=True, font="lexend").font_preloads == (
        "fonts/lexend/lexend-latin-400-normal.woff2",
    )
    assert ReadingPrefs(mode=False, font="lexend").font_preloads == ()
    assert ReadingPrefs(mode=True, font="system").font_preloads == ()
