"""Check what a file points to: images, links, glossary marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .render import GLOSS_PATTERN, is_asset_name, term_key

Line = tuple[int, str]

IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
LINK_RE = re.compile(
    r"(?<![!\[])\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)"
)
REFDEF_RE = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?([^\s>]+)>?")
AUTOLINK_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
GLOSS_RE = re.compile(GLOSS_PATTERN)
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
WEB_SCHEMES = ("http:", "https:", "mailto:")


@dataclass
class Refs:
    """What the lines point to, once checked."""

    assets: set[str] = field(default_factory=set)
    module_links: list[tuple[int, str, str]] = field(default_factory=list)  # (line, id, anchor)
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def _link(refs: Refs, line: int, target: str, folder: Path, sections: set[str]) -> None:
    lowered = target.strip().lower()
    if not target:
        refs.problems.append((line, "error", "this link has no address between the brackets ()"))
    elif target.startswith("#"):
        if target[1:] not in sections:
            refs.problems.append(
                (
                    line,
                    "error",
                    f"the link '{target}' does not lead to a part of "
                    "this module: use the id of a '## ... {#id}' heading",
                )
            )
    elif lowered.startswith("module:"):
        module_id, _, anchor = target[len("module:") :].partition("#")
        refs.module_links.append((line, module_id, anchor))
    elif lowered.startswith(WEB_SCHEMES):
        if lowered.startswith("http:"):
            refs.problems.append((line, "warning", f"use https:// rather than http:// ({target})"))
    elif SCHEME_RE.match(target):
        refs.problems.append(
            (
                line,
                "error",
                f"the link '{target[:40]}' is not allowed: links go "
                "to https://, mailto:, #part or module:id",
            )
        )
    elif not is_asset_name(target):
        refs.problems.append(
            (
                line,
                "error",
                f"the link '{target[:40]}' is not allowed: link to a "
                "module with module:<id>, or to a file of this folder by its name",
            )
        )
    elif not (folder / target).is_file():
        refs.problems.append((line, "error", f"the file '{target}' is not in the module's folder"))
    else:
        refs.assets.add(target)


def _image(refs: Refs, line: int, alt: str, src: str, folder: Path) -> None:
    if not alt.strip():
        refs.problems.append(
            (
                line,
                "error",
                "the image has no alternative text: describe what "
                "it shows between the brackets, ![like this](photo.jpg)",
            )
        )
    if not src:
        refs.problems.append((line, "error", "the image has no file name between the brackets ()"))
    elif SCHEME_RE.match(src) or src.startswith("//"):
        refs.problems.append(
            (
                line,
                "error",
                f"the image '{src[:40]}' is a web address: put the "
                "file in the module's folder and give its name",
            )
        )
    elif not is_asset_name(src):
        refs.problems.append(
            (
                line,
                "error",
                f"the image '{src[:40]}' must be a file of the "
                "module's folder, given by its name only (no '/' or '..')",
            )
        )
    elif not (folder / src).is_file():
        refs.problems.append(
            (line, "error", f"the image file '{src}' is not in the module's folder")
        )
    else:
        refs.assets.add(src)


def check_refs(lines: list[Line], folder: Path, sections: set[str], glossary: set[str]) -> Refs:
    """Images, links and glossary marks of these lines; `glossary` holds term keys."""
    refs = Refs()
    for n, raw in lines:
        if "[" not in raw and "<" not in raw:
            continue
        for m in GLOSS_RE.finditer(raw):
            term = (m.group(2) or m.group(1)).strip()
            if term_key(term) not in glossary:
                hint = ""
                if m.group(2) and term_key(m.group(1)) in glossary:
                    hint = (
                        f" (in [[shown words|term]] the term comes second: did you mean "
                        f"[[{m.group(2).strip()}|{m.group(1).strip()}]]?)"
                    )
                refs.problems.append(
                    (
                        n,
                        "error",
                        f"'{term}' is marked as a glossary word but "
                        f"the glossary block does not define it{hint}",
                    )
                )
        scrubbed = GLOSS_RE.sub("", raw)
        for m in IMAGE_RE.finditer(scrubbed):
            _image(refs, n, m.group(1), m.group(2), folder)
        scrubbed = IMAGE_RE.sub("", scrubbed)
        for m in LINK_RE.finditer(scrubbed):
            _link(refs, n, m.group(2), folder, sections)
        if m := REFDEF_RE.match(scrubbed):
            _link(refs, n, m.group(2), folder, sections)
        for m in AUTOLINK_RE.finditer(scrubbed):
            _link(refs, n, m.group(1), folder, sections)
    return refs
