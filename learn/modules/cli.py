"""`python -m learn.modules check [--strict] [PATH]` (also `learn content check`): list every
problem; `python -m learn.modules stats [PATH]` (also `learn content stats`): quiz figures."""

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
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
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
