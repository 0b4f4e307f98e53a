"""Subset the reading mode's fonts to the characters Parcours's four languages need.

    python scripts/subset_fonts.py          # writes static/fonts/*/*.woff2, reading.css rules
    python scripts/subset_fonts.py --check  # exits 1 if a file differs from a new subset

The sources are the Fontsource npm packages (pinned below), installed into .cache/fonts with npm;
fontTools' subsetter (a dependency of WeasyPrint, already installed) keeps the glyphs of CHARACTERS
and every OpenType feature, and writes WOFF2 (with the `brotli` package). The @font-face rules
between the two marker comments of static/css/reading.css are rewritten with the same
`unicode-range`, so a character outside it falls back to the next font of the stack instead of
showing an empty box. tests/reading/test_font_subset.py fails if the shipped content or the
interface catalogues use a letter a font lacks.

Measured (2026-12-07): Atkinson Hyperlegible 17,208 → 14,396 bytes and 17,524 → 14,708; Lexend
14,476 → 11,240 and 14,808 → 11,332. OpenDyslexic (115,280 and 120,356 bytes) would be 26,936 and
27,144, but is not subset (its Reserved Font Name, below).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess  # noqa: S404 (runs npm with fixed arguments)
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "fonts"
FONTS = ROOT / "static" / "fonts"
CSS = ROOT / "static" / "css" / "reading.css"
VERSION = "5.3.0"
# (CSS family, folder = Fontsource package name, subset?). OpenDyslexic is not subset: its
# licence declares a Reserved Font Name, and a subset is a Modified Version of the font, which
# may not keep that name (OFL 1.1, condition 3) without the author's permission; its Fontsource
# file is shipped as published.
FAMILIES = (
    ("Atkinson Hyperlegible", "atkinson-hyperlegible", True),
    ("Lexend", "lexend", True),
    ("OpenDyslexic", "opendyslexic", False),
)
WEIGHTS = (400, 700)

# Printable ASCII; the letters of French, English, German and Italian (with Spanish's few, for
# names); their quotation marks, dashes, no-break and narrow no-break spaces (French spacing),
# the middle dot (German easy-read, « Leichte Sprache », and French inclusive writing), the euro.
CHARACTERS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "\u00a0¡§©ª«®°±²³·¹º»¼½¾¿×÷"
    + "ÀÁÂÄÆÇÈÉÊËÌÍÎÏÑÒÓÔÖÙÚÛÜàáâäæçèéêëìíîïñòóôöùúûüÿßŒœŸẞ"
    + "\u2009\u200b\u2010\u2011\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026"
    + "\u202f\u20ac\u2122\u2212"
)
BEGIN = "/* fonts: written by scripts/subset_fonts.py (do not edit by hand) */"
END = "/* end of fonts */"


def unicode_range(text: str) -> str:
    """The CSS unicode-range of the characters: runs of consecutive code points merged."""
    points = sorted({ord(c) for c in text})
    runs: list[list[int]] = []
    for point in points:
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in runs)


def file_name(folder: str, weight: int) -> str:
    return f"{folder}-latin-{weight}-normal.woff2"


def install() -> Path:
    """The Fontsource packages, pinned, in .cache/fonts/node_modules/@fontsource."""
    base = CACHE / "node_modules" / "@fontsource"
    wanted = [f"@fontsource/{folder}@{VERSION}" for _, folder, _ in FAMILIES]
    have = all(
        (base / folder / "package.json").is_file()
        and json.loads((base / folder / "package.json").read_text())["version"] == VERSION
        for _, folder, _ in FAMILIES
    )
    if not have:
        cmd = ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(CACHE)]
        subprocess.run([*cmd, *wanted], check=True)  # noqa: S603
    return base


def subset(source: Path) -> bytes:
    from fontTools import subset as subsetter
    from fontTools.ttLib import TTFont

    options = subsetter.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the copyright and licence names
    options.notdef_outline = True
    font = TTFont(source, recalcTimestamp=False)  # the same bytes on every run
    tool = subsetter.Subsetter(options)
    tool.populate(text=CHARACTERS)
    tool.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def font_faces() -> str:
    rules = [BEGIN]
    for family, folder, subset_it in FAMILIES:
        for weight in WEIGHTS:
            rules += [
                "@font-face {",
                f'  font-family: "{family}"; font-style: normal; font-weight: {weight}; '
                "font-display: swap;",
                f'  src: url("../fonts/{folder}/{file_name(folder, weight)}") format("woff2");',
            ]
            if subset_it:
                rules.append(f"  unicode-range: {unicode_range(CHARACTERS)};")
            rules.append("}")
    rules.append(END)
    return "\n".join(rules)


def with_font_faces(css: str) -> str:
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if not pattern.search(css):
        raise SystemExit(f"{CSS}: the marker comments are missing")
    return pattern.sub(lambda _m: font_faces(), css, count=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args()
    base = install()
    differ = []
    for _, folder, subset_it in FAMILIES:
        for weight in WEIGHTS:
            source = base / folder / "files" / file_name(folder, weight)
            target = FONTS / folder / file_name(folder, weight)
            data = subset(source) if subset_it else source.read_bytes()
            print(f"{target.relative_to(ROOT)}: {source.stat().st_size:,} → {len(data):,} bytes")
            if args.check:
                if not target.is_file() or target.read_bytes() != data:
                    differ.append(str(target.relative_to(ROOT)))
            else:
                target.write_bytes(data)
    css = CSS.read_text(encoding="utf-8")
    if args.check:
        if with_font_faces(css) != css:
            differ.append(str(CSS.relative_to(ROOT)))
    else:
        CSS.write_text(with_font_faces(css), encoding="utf-8")
    if differ:
        print("not as the subsetter writes them:", ", ".join(differ))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
