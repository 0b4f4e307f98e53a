"""The layers import one way: the content engine (learn/modules), the services, the models and
the translation seam (learn/i18n.py) import no Flask, so each runs and is tested without an app."""

from __future__ import annotations

import subprocess
import sys

import pytest

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
    "package", ["learn.modules", "learn.services", "learn.models", "learn.i18n"]
)
def test_the_layer_imports_no_flask(package):
    found = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL.format(package=package)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "[]"
