"""The built wheel is Parcours whole: installed in a fresh virtual environment, away from the
checkout, `learn db upgrade`, `learn demo` and `learn serve` serve the shipped content and its
stylesheets. Slow (a build, a venv, a server); `-m "not wheel"` skips it (offline, the isolated
build needs the package index when the test venv's setuptools is too old to build)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from learn.config import PROJECT_ROOT

pytestmark = pytest.mark.wheel
SETUPTOOLS_NEEDED = 77  # PEP 639: `license` as an SPDX expression (pyproject.toml)
MIN_MODULES = 83
SHIPPED = ("static", "migrations", "content")
NOT_SOURCES = (".*", "build", "dist", "*.egg-info", "__pycache__", "instance", "node_modules")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/css/[^"]+)"')


def build_wheel(dist: Path) -> Path:
    """The wheel of a copy of the checkout (setuptools leaves build/ beside the sources, and a
    stale build/ would ship deleted files); without build isolation when setuptools can."""
    source = dist.parent / "source"
    shutil.copytree(PROJECT_ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist)]
    if int(version("setuptools").split(".")[0]) >= SETUPTOOLS_NEEDED:
        command.append("--no-build-isolation")
    subprocess.run([*command, str(source)], check=True, timeout=600)
    (wheel,) = dist.glob("parcours-*.whl")
    return wheel


def fresh_venv(where: Path, wheel: Path) -> Path:
    """A new venv holding only the wheel, borrowing the test venv's dependencies through a .pth
    line (a path line only: the .pth files there, such as the editable install's, are not run)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
        + [str(wheel)],
        check=True,
        timeout=300,
    )
    return where / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def shipped_files() -> set[str]:
    """Every file of the checkout the wheel must hold, as named inside it."""
    found = set()
    for folder, inside in (("learn", "learn"), *((name, f"learn/{name}") for name in SHIPPED)):
        for path in (PROJECT_ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                found.add(f"{inside}/{path.relative_to(PROJECT_ROOT / folder).as_posix()}")
    return found


def test_the_installed_wheel_serves_the_shipped_content(tmp_path):
    wheel = build_wheel(tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        missing = shipped_files() - set(archive.namelist())
    assert not missing, sorted(missing)[:10]
    bin_dir = fresh_venv(tmp_path / "venv", wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LEARN_") and key not in ("DATABASE_URL", "REDIS_URL", "PYTHONPATH")
    }
    env |= {"LEARN_ENV": "development", "LEARN_INSTANCE_PATH": str(tmp_path / "instance")}

    def learn(*args: str, **kwargs):
        return subprocess.run(
            [bin_dir / "learn", *args], cwd=elsewhere, env=env, timeout=300, **kwargs
        )

    found = subprocess.run(
        [bin_dir / "python", "-c", "import learn; print(learn.__file__)"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert Path(found).is_relative_to(tmp_path / "venv")  # not the checkout
    learn("db", "upgrade", check=True)
    learn("demo", "--password", "wheel-demo-password", check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [bin_dir / "learn", "serve", "--port", str(port), "--workers", "1"],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                status, body = get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the installed Parcours did not start")
        health = json.loads(body)
        assert status == 200, health
        assert health["content"]["modules"] >= MIN_MODULES
        status, page = get(base + "/sign-in")
        assert status == 200
        stylesheets = STYLESHEET.findall(page)
        assert stylesheets
        for href in stylesheets:
            status, css = get(base + href.replace("&amp;", "&"))
            assert status == 200 and "{" in css
    finally:
        server.terminate()
        server.wait(timeout=20)
