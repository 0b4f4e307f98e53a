"""Hold the current Catalog and reload it when a file under the tree changes (no thread)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .catalog import Catalog, load_catalog


def tree_snapshot(root: Path) -> frozenset[tuple[str, int, int]]:
    """(path, mtime in ns, size) of every file under root: any edit, addition or removal shows."""
    found = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            full = os.path.join(folder, name)
            try:
                stat = os.stat(full)
            except OSError:
                continue
            found.add((full, stat.st_mtime_ns, stat.st_size))
    return frozenset(found)


class CatalogHolder:
    """`.get()` returns the current catalog; with reload on, it first checks (at most once per
    `interval` seconds) whether a file changed, and reloads if so."""

    def __init__(
        self,
        path: str | os.PathLike,
        reload: bool = False,
        asset_url_prefix: str = "/content-assets",
        module_url_prefix: str = "/modules",
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        workers: int = 1,
    ):
        self.path = Path(path)
        self.reload = reload
        self.asset_url_prefix = asset_url_prefix
        self.module_url_prefix = module_url_prefix
        self.interval = interval
        self.clock = clock
        self.workers = workers
        self.loads = 0
        self._lock = threading.Lock()
        self._catalog: Catalog | None = None
        self._snapshot: frozenset = frozenset()
        self._checked = 0.0

    def _load(self) -> None:
        snapshot = tree_snapshot(self.path) if self.reload else frozenset()
        self._catalog = load_catalog(
            self.path, self.asset_url_prefix, self.module_url_prefix, workers=self.workers
        )
        self._snapshot = snapshot
        self._checked = self.clock()
        self.loads += 1

    def get(self) -> Catalog:
        """The current catalog, reloaded first if reload is on and a file changed."""
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    self._load()
        elif (
            self.reload
            and self.clock() - self._checked >= self.interval
            and self._lock.acquire(blocking=False)  # False: another request is checking
        ):
            try:
                self._checked = self.clock()
                if tree_snapshot(self.path) != self._snapshot:
                    self._load()
            finally:
                self._lock.release()
        return self._catalog

    def refresh(self) -> Catalog:
        """Reload now, whatever the files say."""
        with self._lock:
            self._load()
        return self._catalog
