"""`bootstrap.py test` installs once: a second run with nothing changed goes straight to pytest,
and a change to the package's build files (or asking for other extras) installs again."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from learn.config import PROJECT_ROOT


@pytest.fixture
def bootstrap(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("bootstrap", PROJECT_ROOT / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = tmp_path / "checkout"
    root.mkdir()
    for name in ("pyproject.toml", "setup.py"):
        shutil.copy(PROJECT_ROOT / name, root / name)
    venv_dir = tmp_path / "venv"
    (venv_dir / "bin").mkdir(parents=True)
    (venv_dir / "bin" / "python").write_text("")  # the venv exists: no venv.create
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(module, "ROOT", root)
    monkeypatch.setattr(module, "VENV", venv_dir)
    monkeypatch.setattr(module, "BIN", venv_dir / "bin")
    monkeypatch.setattr(module, "run", lambda *args: calls.append(args))
    return module, root, calls


def installs(calls) -> int:
    return sum(1 for args in calls if "-e" in args)


def test_a_second_run_with_nothing_changed_does_not_reinstall(bootstrap):
    module, root, calls = bootstrap
    module.ensure_venv("[test]")
    assert installs(calls) == 1
    module.ensure_venv("[test]")
    module.ensure_venv("")  # the test extras include what serving needs
    assert installs(calls) == 1
    (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text() + "\n# changed\n")
    module.ensure_venv("[test]")
    assert installs(calls) == 2


def test_serving_first_then_testing_installs_the_test_extras(bootstrap):
    module, _root, calls = bootstrap
    module.ensure_venv("")
    module.ensure_venv("[test]")
    assert [args[-1] for args in calls if "-e" in args] == [".", ".[test]"]
