"""The layers import one way: the content engine (learn/modules), the services, the models and
the translation seam (learn/i18n.py) import no Flask, so each runs and is tested without an app;
and learn's modules import each other without a cycle."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from learn.config import PROJECT_ROOT

IMPORT_ALL = """
import importlib, pkgutil, sys
import {package} as package
names = [package.__name__]
if hasattr(package, "__path__"):
    names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    if not name.endswith("__main__"):
        importlib.import_module(name)
print(sorted(k for k in sys.modules if k == "flask" or k.startswith(("flask.", "flask_"))))
"""


@pytest.mark.parametrize(
    "package",
    ["learn.modules", "learn.services", "learn.models", "learn.i18n", "learn.credentials"],
)
def test_the_layer_imports_no_flask(package):
    found = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL.format(package=package)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "[]"


def module_imports() -> dict[str, set[str]]:
    """Each module of learn -> the modules of learn it imports at module level."""
    modules = {}
    for path in (PROJECT_ROOT / "learn").rglob("*.py"):
        parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:  # module level only
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets |= {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {known(t) for t in targets if t.startswith("learn")} - {None, name}
    return graph


def test_learns_modules_import_each_other_without_a_cycle():
    """A blueprint package imports its page modules, never the reverse (learn/trainer/)."""
    graph = module_imports()
    assert "learn.trainer.blueprint" in graph["learn.trainer.views"]
    done, on_path, cycles = set(), [], []

    def visit(name):
        on_path.append(name)
        for target in sorted(graph[name]):
            if target in on_path:
                cycles.append(on_path[on_path.index(target) :] + [target])
            elif target not in done:
                visit(target)
        on_path.pop()
        done.add(name)

    for name in sorted(graph):
        if name not in done:
            visit(name)
    assert cycles == []
