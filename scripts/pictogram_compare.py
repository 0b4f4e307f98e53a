"""Compare two open pictogram sets on the concepts the easy-read modules need (docs/pictograms.md).

Prints the coverage of OpenMoji (npm `openmoji`) and Twemoji (npm `@twemoji/svg`) and writes a
contact sheet of both at 48 px (an HTML page; `--png` renders it with Chromium). Needs both npm
packages in .cache/pictos:
    npm install --no-save --prefix .cache/pictos openmoji@17.0.0 @twemoji/svg@15.0.0
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / ".cache" / "pictos" / "node_modules"
OPENMOJI = MODULES / "openmoji" / "color" / "svg"
TWEMOJI = MODULES / "@twemoji" / "svg"

# (concept, the nearest code point sequence, or an OpenMoji extra in the private-use area E000-)
CONCEPTS = [
    ("gloves", "1F9E4"), ("gardening gloves", "E342"), ("broom", "1F9F9"), ("bucket", "1FAA3"),
    ("late", "23F0"), ("clock", "1F552"), ("calendar", "1F4C5"), ("hourglass", "231B"),
    ("customer", "1F6CD"), ("shop", "1F3EA"), ("team", "1F9D1-200D-1F91D-200D-1F9D1"),
    ("manager", "1F9D1-200D-1F4BC"), ("phone", "1F4F1"), ("message", "1F4AC"),
    ("email", "1F4E7"), ("safety shoes", "1F97E"), ("helmet", "26D1"), ("vest", "1F9BA"),
    ("goggles", "1F97D"), ("mask", "1F637"), ("hearing", "1F442"), ("speak", "1F5E3"),
    ("question", "2753"), ("idea", "1F4A1"), ("money", "1F4B6"), ("warning", "26A0"),
    ("forbidden", "1F6AB"), ("fire", "1F525"), ("first aid", "E140"), ("wash hands", "E0B2"),
    ("soap", "1F9FC"), ("backache", "E321"), ("box", "1F4E6"), ("ladder", "1FA9C"),
    ("noise", "1F50A"), ("truck", "1F69A"), ("bus", "1F68C"), ("bin", "1F5D1"),
    ("recycling", "267B"), ("seedling", "1F331"), ("tree", "1F333"), ("lawn mower", "E343"),
    ("wheelbarrow", "E344"), ("tools", "1F6E0"), ("key", "1F511"), ("cook", "1F9D1-200D-1F373"),
    ("coffee break", "2615"), ("sleep", "1F634"), ("happy", "1F642"), ("angry", "1F620"),
    ("sad", "1F622"), ("stress", "1F630"), ("thinking", "1F914"), ("agreement", "1F91D"),
    ("good", "1F44D"), ("done", "2705"), ("wrong", "274C"), ("instructions", "1F4CB"),
    ("computer", "1F4BB"), ("learn", "1F4D6"), ("goal", "1F3AF"), ("help", "1F64B"),
    ("look", "1F441"), ("rules", "2696"),
]  # fmt: skip


def openmoji_file(code: str) -> Path | None:
    """The colour SVG of OpenMoji for a code (with or without FE0F)."""
    for candidate in (code, code + "-FE0F"):
        path = OPENMOJI / f"{candidate}.svg"
        if path.is_file():
            return path
    return None


def twemoji_file(code: str) -> Path | None:
    """Twemoji's SVG for a code: lower case, FE0F dropped except inside some sequences."""
    if code.startswith("E"):  # private use: OpenMoji's own extras, no Twemoji counterpart
        return None
    low = code.lower()
    for candidate in (low, low.replace("-fe0f", ""), low + "-fe0f"):
        path = TWEMOJI / f"{candidate}.svg"
        if path.is_file():
            return path
    return None


def sheet(rows: list[tuple[str, Path | None, Path | None]]) -> str:
    """An HTML contact sheet: each concept with both sets at 48 px, also on a dark plate."""
    cells = []
    for concept, om, tw in rows:
        pics = []
        for path in (om, tw):
            if path is None:
                pics.append('<span class="none">—</span><span class="none">—</span>')
            else:
                uri = path.as_uri()
                pics.append(
                    f'<img src="{uri}" width="48" height="48" alt="">'
                    f'<span class="dark"><img src="{uri}" width="48" height="48" alt=""></span>'
                )
        cells.append(f"<div class=c><b>{html.escape(concept)}</b>{''.join(pics)}</div>")
    style = (
        "body{font:14px sans-serif;margin:8px;background:#fdf6e3}"
        ".g{display:grid;grid-template-columns:repeat(4,1fr);gap:6px}"
        ".c{display:grid;grid-template-columns:7em 52px 52px 52px 52px;align-items:center}"
        ".dark{background:#1e1e1e;display:inline-block;width:48px;height:48px}"
        ".none{text-align:center;color:#999}"
        "h1{font-size:16px}"
    )
    return (
        f"<!doctype html><meta charset=utf-8><style>{style}</style>"
        "<h1>Each concept: OpenMoji (cream, dark) then Twemoji (cream, dark), 48 px</h1>"
        f"<div class=g>{''.join(cells)}</div>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / ".cache" / "pictos" / "sheet.html"))
    parser.add_argument("--png", help="also render the sheet to this PNG with Chromium")
    args = parser.parse_args()
    rows = [(concept, openmoji_file(code), twemoji_file(code)) for concept, code in CONCEPTS]
    total = len(rows)
    print(f"OpenMoji: {sum(1 for _, om, _ in rows if om)}/{total}")
    print(f"Twemoji:  {sum(1 for _, _, tw in rows if tw)}/{total}")
    for concept, om, tw in rows:
        if not (om and tw):
            print(f"  {concept}: openmoji={'yes' if om else 'no'} twemoji={'yes' if tw else 'no'}")
    out = Path(args.out)
    out.write_text(sheet(rows), encoding="utf-8")
    if args.png:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1500, "height": 800})
            page.goto(out.as_uri())
            page.screenshot(path=args.png, full_page=True)
            browser.close()


if __name__ == "__main__":
    main()
