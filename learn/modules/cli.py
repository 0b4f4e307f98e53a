"""`python -m learn.modules check [--strict] [PATH]` (also `learn content check`): list every
problem; `python -m learn.modules stats [PATH]` (also `learn content stats`): quiz figures;
`python -m learn.modules stamp FILE...` (also `learn content stamp`): record in each translation
the current version of its source file."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from .catalog import load_catalog
from .model import Problem


def find_root(path: str | os.PathLike) -> Path:
    """The content root holding `path`: the nearest folder with softskills/ or entrepreneurship/."""
    target = Path(path)
    start = target if target.is_dir() else target.parent
    for candidate in (start, *start.parents):
        if (candidate / "softskills").is_dir() or (candidate / "entrepreneurship").is_dir():
            return candidate
    return start


def _within(file: str, target: Path) -> bool:
    path = Path(file)
    return path == target or target in path.parents


def check_path(path: str | os.PathLike) -> tuple[list[Problem], int]:
    """(problems, number of files checked) for a content folder or file, checked in its tree."""
    target = Path(path)
    root = find_root(target)
    catalog = load_catalog(root, workers=min(os.cpu_count() or 1, 4))
    if target == root:
        return list(catalog.problems), len(catalog.files)
    problems = [p for p in catalog.problems if _within(p.path, target)]
    return problems, sum(1 for f in catalog.files if _within(f, target))


def check(path: str | os.PathLike) -> list[Problem]:
    """Every problem of the content at `path` (a folder or one file)."""
    return check_path(path)[0]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def stamp_main(paths: list[str]) -> int:
    """`learn content stamp FILE...`: record the current version of each translation's source
    (the `source_version` line; the rest of the file is left byte for byte). Exit status 1 when
    a file could not be stamped."""
    from .catalog import find_files, parse_files
    from .translations import stamp

    missing = [p for p in paths if not Path(p).is_file()]
    for path in missing:
        print(f"{path}: no such file", file=sys.stderr)
    failed = bool(missing)
    by_root: dict[Path, list[Path]] = {}
    for path in paths:
        if path not in missing:
            by_root.setdefault(find_root(path), []).append(Path(path))
    for root, targets in by_root.items():
        files = parse_files(find_files(root), "/content-assets", "/modules", 1)
        for done in stamp(targets, files):
            if done.error:
                failed = True
                print(f"{done.path}: not stamped: {done.error}", file=sys.stderr)
            elif done.old == done.new:
                print(f"{done.path}: source_version {done.new} is up to date ({done.source})")
            else:
                old = done.old or "(empty)"
                print(f"{done.path}: source_version {old} -> {done.new} ({done.source})")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (1 when there is an error)."""
    parser = argparse.ArgumentParser(prog="python -m learn.modules", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="check content files and list every problem")
    check_cmd.add_argument("path", nargs="?", default="content", help="folder or file (content)")
    check_cmd.add_argument(
        "--strict", action="store_true", help="count warnings as errors (exit status 1)"
    )
    stats_cmd = commands.add_parser(
        "stats", help="figures about the quizzes (guesser, keys, words)"
    )
    stats_cmd.add_argument("path", nargs="?", default="content", help="content folder (content)")
    stamp_cmd = commands.add_parser(
        "stamp", help="write the current version of a translation's source into the translation"
    )
    stamp_cmd.add_argument("files", nargs="+", help="translated content files")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command == "stamp":
        return stamp_main(args.files)
    if not Path(args.path).exists():
        print(f"{args.path}: no such file or folder", file=sys.stderr)
        return 2
    if args.command == "stats":
        from .stats import all_variants, format_stats

        root = find_root(args.path)
        variants = all_variants(root, workers=min(os.cpu_count() or 1, 4))
        target = Path(args.path)
        for line in format_stats([v for v in variants if _within(v.path, target)]):
            print(line)
        return 0
    problems, files = check_path(args.path)
    if args.strict:
        problems = [replace(p, severity="error") for p in problems]
    for problem in problems:
        print(problem.format())
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    print(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'file')}")
    return 1 if errors else 0
