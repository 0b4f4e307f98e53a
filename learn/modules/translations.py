"""Translated files: the source file each translation follows, whether that source changed since
the translation was made, and `learn content stamp`, which records the source's current version.

A translation says `translation: {status, from, source_version}` in its front matter. Its source
is the file in the language `from` with the same id and variant (a placement questionnaire or a
guide: the same kind, skill or course, and variant). `source_version` is the first 12 hex digits
of the SHA-256 of the source file's bytes, as `learn content stamp FILE` writes it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .frontmatter import split_front_matter
from .parse import ParsedFile

VERSION_LENGTH = 12
SOURCE_VERSION_LINE_RE = re.compile(r"(\bsource_version\s*:\s*)([\"']?)([^\s,}\"'#]*)([\"']?)")


def source_version(data: bytes) -> str:
    """The version a translation records of its source: 12 hex digits of the bytes' SHA-256."""
    return hashlib.sha256(data).hexdigest()[:VERSION_LENGTH]


def _key(fm, lang: str) -> tuple:
    """What a file and its source have in common, in the language `lang`."""
    if fm.kind == "module":
        return ("module", fm.id, lang, fm.variant)
    return (fm.kind, fm.skill or fm.course, lang, fm.variant)


def _described(fm, lang: str) -> str:
    variant = "easy-read" if fm.variant == "easy" else "standard"
    if fm.kind == "module":
        return f"no {variant} file of '{fm.id}' in '{lang}'"
    return f"no {variant} {fm.kind} of '{fm.skill or fm.course}' in '{lang}'"


def _expected_name(path: str, lang: str, source: str) -> str:
    file = Path(path)
    name = file.name.replace(f".{lang}.", f".{source}.", 1)
    return str(file.with_name(name)) if name != file.name else ""


def _index(files: list[ParsedFile]) -> dict[tuple, ParsedFile]:
    found: dict[tuple, ParsedFile] = {}
    for pf in files:
        if pf.variant is not None and pf.fm is not None:
            found.setdefault(_key(pf.fm, pf.variant.lang), pf)
    return found


def check_translations(checker, files: list[ParsedFile]) -> None:
    """An error when a translation's source file does not exist; a warning when the source has
    changed since the translation's `source_version` was stamped."""
    index = _index(files)
    for pf in files:
        fm = pf.fm
        if pf.variant is None or fm is None or fm.translation is None:
            continue
        translation = fm.translation
        lang = pf.variant.lang
        if translation.source == lang:
            checker.error(
                pf,
                fm.lines.at("translation", "from"),
                f"'from' is the language this file is translated from, not its own ('{lang}')",
            )
            continue
        source = index.get(_key(fm, translation.source))
        if source is None:
            expected = _expected_name(pf.path, lang, translation.source)
            checker.error(
                pf,
                fm.lines.at("translation", "from"),
                f"translated from '{translation.source}', but there is "
                f"{_described(fm, translation.source)}"
                + (f" (expected {expected})" if expected else ""),
            )
            continue
        now = source.variant.version[:VERSION_LENGTH]
        if now != translation.source_version:
            checker.warning(
                pf,
                fm.lines.at("translation", "source_version"),
                f"the source {source.path} changed since this translation was made "
                f"(source_version {translation.source_version}, now {now}): bring the "
                f"translation up to date, then run: learn content stamp {pf.path}",
            )


@dataclass(frozen=True)
class Stamped:
    """What `stamp` did to one file: `error` is set when it could not stamp it."""

    path: str
    old: str = ""
    new: str = ""
    source: str = ""
    error: str = ""


def _translated_from(pf: ParsedFile) -> str | None:
    """The `from` of a file's `translation` key, read even when the key has another problem."""
    try:
        text = pf.file.read_text(encoding="utf-8").removeprefix("\ufeff")
        yaml_text = split_front_matter(text.replace("\r\n", "\n"))[0]
        data = yaml.safe_load(yaml_text or "") or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    translation = data.get("translation") if isinstance(data, dict) else None
    source = translation.get("from") if isinstance(translation, dict) else None
    return str(source) if source else None


def stamp_file(pf: ParsedFile, index: dict[tuple, ParsedFile]) -> Stamped:
    """Write the current version of the source of the translation `pf` into its
    `source_version` line; every other byte of the file stays as it was."""
    fm = pf.fm
    if fm is None or not (fm.id and fm.lang and fm.variant and fm.kind):
        return Stamped(pf.path, error="its front matter cannot be read (run learn content check)")
    source_lang = _translated_from(pf)
    if source_lang is None:
        return Stamped(
            pf.path,
            error="it has no 'translation' key with 'from' (translation: {status: machine, "
            "from: fr, source_version: 000000000000})",
        )
    if ("translation", "source_version") not in fm.lines.lines:
        return Stamped(pf.path, error="its 'translation' has no 'source_version' to stamp")
    source = index.get(_key(fm, source_lang))
    if source is None or source_lang == fm.lang:
        return Stamped(pf.path, error=f"its source does not exist: {_described(fm, source_lang)}")
    new = source_version(source.file.read_bytes())
    data = pf.file.read_bytes()
    lines = data.split(b"\n")
    number = fm.lines.at("translation", "source_version") - 1
    text = lines[number].decode("utf-8")
    match = SOURCE_VERSION_LINE_RE.search(text)
    if match is None:
        return Stamped(pf.path, error=f"line {number + 1} does not hold 'source_version: ...'")
    old = match.group(3)
    written = new
    if new.isdigit() and not match.group(2):  # YAML would read digits alone as a number
        written = f'"{new}"'
    text = text[: match.start(3)] + written + text[match.end(3) :]
    lines[number] = text.encode("utf-8")
    if old != new:
        pf.file.write_bytes(b"\n".join(lines))
    return Stamped(pf.path, old, new, source.path)


def stamp(targets: list[Path], files: list[ParsedFile]) -> list[Stamped]:
    """Stamp each target file, found among the parsed files of its content tree."""
    by_file = {pf.file.resolve(): pf for pf in files}
    index = _index(files)
    done = []
    for target in targets:
        pf = by_file.get(target.resolve())
        if pf is None:
            done.append(Stamped(str(target), error="not a content file of this tree"))
        else:
            done.append(stamp_file(pf, index))
    return done
