"""The reading mode's fonts are subset to the characters of French, English, German and Italian
(scripts/subset_fonts.py, issue 22), except OpenDyslexic (its licence reserves its name for the
unmodified font): every letter and punctuation mark that the shipped content and the interface's
catalogues use is in each font (a missing one would be drawn in another font in the middle of a
word), the stylesheet's unicode-range announces the same characters, and the subsets stay small."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
FONTS = sorted((ROOT / "static" / "fonts").rglob("*.woff2"))
spec = importlib.util.spec_from_file_location("subset_fonts", ROOT / "scripts" / "subset_fonts.py")
subset_fonts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(subset_fonts)


def used_characters() -> set[str]:
    texts = [
        *(ROOT / "content").rglob("*.md"),
        *(ROOT / "content").rglob("*.yaml"),
        *(ROOT / "learn" / "translations").rglob("*.po"),
    ]
    found = set()
    for path in texts:
        found |= set(path.read_text(encoding="utf-8"))
    # Letters and punctuation must be in the font; symbols (arrows, emoji) may fall back.
    return {c for c in found if unicodedata.category(c)[0] in "LP"}


def test_there_are_six_font_files():
    assert len(FONTS) == 6


@pytest.mark.parametrize("path", FONTS, ids=lambda p: p.name)
def test_each_font_has_every_letter_and_mark_the_texts_use(path):
    cmap = TTFont(path).getBestCmap()
    missing = sorted(c for c in used_characters() if ord(c) not in cmap)
    assert missing == [], f"{path.name} lacks {missing}: add them to scripts/subset_fonts.py"
    subset = {folder for _, folder, subset_it in subset_fonts.FAMILIES if subset_it}
    if path.parent.name in subset:
        assert path.stat().st_size < 16_000, path.name


def test_the_stylesheet_announces_the_subsets_range():
    css = (ROOT / "static" / "css" / "reading.css").read_text(encoding="utf-8")
    ranges = re.findall(r"unicode-range: ([^;]+);", css)
    assert len(ranges) == 4  # OpenDyslexic is shipped whole (its Reserved Font Name)
    assert set(ranges) == {subset_fonts.unicode_range(subset_fonts.CHARACTERS)}
    assert subset_fonts.with_font_faces(css) == css  # the rules are the script's own


def test_unicode_range_merges_runs():
    assert subset_fonts.unicode_range("abcx€") == "U+0061-0063, U+0078, U+20AC"
