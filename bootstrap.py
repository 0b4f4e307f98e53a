#!/usr/bin/env python3
"""Set up Parcours in a virtual environment, then serve it or test it.

    python3 bootstrap.py serve    # install, upgrade the database, load demo data, serve on :8000
    python3 bootstrap.py test     # install the test extras, run the whole test suite

Only Python 3.11+ is needed: the script makes `.venv` (PEP 668 systems refuse global installs).
Extra arguments after `test` go to pytest; after `serve`, to `learn serve`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("LEARN_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def run(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, check=True, cwd=ROOT)  # noqa: S603 (our own fixed commands)


def install_stamp(extra: str) -> str:
    """What the installation depends on: the package's build files and the extras asked for."""
    digest = hashlib.sha256(extra.encode())
    for name in ("pyproject.toml", "setup.py"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv(extra: str) -> None:
    """Make .venv and install Parcours in it (editable), unless the same installation is there:
    a second `bootstrap.py test` runs the tests at once."""
    if sys.version_info < (3, 11):  # noqa: UP036 (this script may be run by an older Python)
        sys.exit("Parcours needs Python 3.11 or newer.")
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    stamp, wanted = VENV / ".parcours-installed", install_stamp(extra)
    installed = stamp.read_text().split() if stamp.exists() else []
    if wanted in installed:
        print(f"+ {VENV.name} is up to date (delete {stamp} to reinstall)", flush=True)
        return
    run(str(BIN / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(str(BIN / "python"), "-m", "pip", "install", "--quiet", "-e", f".{extra}")
    # "[test]" includes what "" installs: both stamps are then satisfied.
    stamp.write_text(" ".join({wanted, install_stamp(""), *installed}))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"serve", "test"}:
        print(__doc__)
        return 2
    if argv[0] == "serve":
        ensure_venv("")
        run(str(BIN / "learn"), "serve", "--demo", *argv[1:])
        return 0
    ensure_venv("[test]")
    try:
        run(str(BIN / "python"), "-m", "pytest", *argv[1:])
    except subprocess.CalledProcessError as exc:
        return exc.returncode
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
