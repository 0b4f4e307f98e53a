"""Copy the pictograms listed in static/pictos/names.yaml from their packages into static/pictos/.

    python scripts/pictograms.py          # install the pinned packages if needed, copy, optimise
    python scripts/pictograms.py --check  # exit 1 if a shipped file differs from what it writes

The packages are installed into .cache/pictos (npm for OpenMoji, pip for the GHS pictograms); only
the listed files are copied. Each SVG is optimised through ElementTree: comments, metadata and
editor data dropped, ids dropped when nothing refers to them, the size left to the viewBox, and
OpenMoji's 72-unit grid cropped to the area its drawings use (4 to 68), so they read larger at
48 px. It also writes static/pictos/LICENCE.md, the attribution of every picture.
"""

from __future__ import annotations

import argparse
import subprocess  # noqa: S404 (runs npm and pip with fixed arguments)
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PICTOS = ROOT / "static" / "pictos"
NAMES = PICTOS / "names.yaml"
CACHE = ROOT / ".cache" / "pictos"
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
KEEP_NAMESPACES = {SVG, XLINK}
DROP_TAGS = {"metadata", "title", "desc", "script", "foreignObject"}
OPENMOJI_VIEWBOX = "4 4 64 64"  # the 72 grid less its empty margin


def install(sources: dict) -> dict[str, Path]:
    """The folder of each source's SVGs, installing its pinned package into .cache/pictos."""
    folders = {}
    for key, source in sources.items():
        registry, spec = source["package"].split(" ", 1)
        if registry == "npm":
            name = spec.rsplit("@", 1)[0]
            base = CACHE / "node_modules" / name
            if not _installed_npm(base, spec):
                cmd = ["npm", "install", "--no-save", "--prefix", str(CACHE), spec]
                subprocess.run(cmd, check=True)  # noqa: S603
        elif registry == "PyPI":
            base = CACHE / "pypi" / spec.replace("==", "-")
            if not base.is_dir():
                download = CACHE / "downloads"
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(download)]
                subprocess.run([*cmd, spec], check=True)  # noqa: S603
                name, version = spec.split("==")
                wheel = next(download.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
                with zipfile.ZipFile(wheel) as archive:
                    archive.extractall(base)
        else:
            raise SystemExit(f"{key}: unknown registry {registry!r} (npm or PyPI)")
        folders[key] = base / source["folder"]
    return folders


def _installed_npm(base: Path, spec: str) -> bool:
    package = base / "package.json"
    if not package.is_file():
        return False
    import json

    return json.loads(package.read_text())["version"] == spec.rsplit("@", 1)[1]


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _referenced(ident: str, text: str) -> bool:
    return f"#{ident}" in text.replace(f'id="{ident}"', "")


def optimise(data: bytes, viewbox: str | None = None) -> bytes:
    """The SVG without comments, metadata, editor data and unused ids; sized by its viewBox."""
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(data)  # noqa: S314 (files of pinned packages, not user input)
    text = data.decode("utf-8", "replace")
    for parent in list(root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str):
                parent.remove(child)
                continue
            namespace, name = _local(child.tag)
            if namespace not in KEEP_NAMESPACES or name in DROP_TAGS:
                parent.remove(child)
    for el in root.iter():
        for attr in list(el.attrib):
            namespace, _ = _local(attr)
            foreign = bool(namespace) and namespace not in KEEP_NAMESPACES
            if foreign or (attr == "id" and not _referenced(el.attrib[attr], text)):
                del el.attrib[attr]
    if root.get("viewBox") is None and root.get("width") and root.get("height"):
        width, height = (float(root.get(k, "0").rstrip("ptx")) for k in ("width", "height"))
        root.set("viewBox", f"0 0 {width:g} {height:g}")
    for attr in ("width", "height", "version", "x", "y", "enable-background"):
        root.attrib.pop(attr, None)
    if viewbox:
        root.set("viewBox", viewbox)
    for el in root.iter():
        if el.text is not None and not el.text.strip():
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None
    return ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def licence(sources: dict, pictograms: dict) -> str:
    """static/pictos/LICENCE.md: each source, its licence, and the pictures taken from it."""
    lines = [
        "# Pictograms: sources and licences",
        "",
        "Written by scripts/pictograms.py from names.yaml; do not edit by hand.",
        "The pictures are the sources' drawings, unmodified (metadata removed, margins cropped).",
        "",
    ]
    for key, source in sources.items():
        names = sorted(n for n, p in pictograms.items() if p["source"] == key)
        lines += [
            f"## {source['title']}",
            "",
            f"- Author: {source['author']} ({source['url']})",
            f"- Licence: {source['licence']} ({source['licence_url']})",
            f"- Taken from: {source['package']}, folder {source['folder']}",
            "",
            "| picture | file in the source |",
            "|---|---|",
            *(f"| {n}.svg | {pictograms[n]['file']}.svg |" for n in names),
            "",
        ]
    return "\n".join(lines)


def build(check: bool = False) -> int:
    """Copy and optimise every listed picture (or, with check, compare); 0 when all is well."""
    data = yaml.safe_load(NAMES.read_text(encoding="utf-8"))
    sources, pictograms = data["sources"], data["pictograms"]
    folders = install(sources)
    wanted = {f"{name}.svg" for name in pictograms}
    outputs = {"LICENCE.md": licence(sources, pictograms).encode()}
    for name, entry in pictograms.items():
        source = folders[entry["source"]] / f"{entry['file']}.svg"
        viewbox = OPENMOJI_VIEWBOX if entry["source"] == "openmoji" else None
        outputs[f"{name}.svg"] = optimise(source.read_bytes(), viewbox)
    stale = [p.name for p in PICTOS.glob("*.svg") if p.name not in wanted]
    differ = [
        n
        for n, b in outputs.items()
        if not (PICTOS / n).is_file() or (PICTOS / n).read_bytes() != b
    ]
    if check:
        for name in differ + stale:
            print(f"static/pictos/{name}: out of date (run python scripts/pictograms.py)")
        return 1 if differ or stale else 0
    for name, content in outputs.items():
        (PICTOS / name).write_bytes(content)
    for name in stale:
        (PICTOS / name).unlink()
    print(f"{len(pictograms)} pictograms written to static/pictos ({len(stale)} removed)")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    raise SystemExit(build(check=parser.parse_args().check))


if __name__ == "__main__":
    main()
