"""One digest of what a cached result was made from: plain values and files.

The content store (parsed files), the render cache (pages) and the preview
each keep results across runs and must notice when what they were made of
changed. They all ask this one function, so "changed" means the same thing
everywhere: a file's bytes (not its modification time) and its path, and the
values as data.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

# Files that are made from others (compiled catalogs and code) or are being written.
IGNORED_SUFFIXES = (".pyc", ".mo", ".tmp")
IGNORED_FOLDERS = ("__pycache__",)
_PLAIN = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """``value`` as JSON-able data, leaving out what cannot be compared across
    runs (live objects count by their type alone)."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    return type(value).__name__


def _files(path: str, suffixes: tuple[str, ...] | None) -> Iterable[str]:
    if os.path.isfile(path):
        yield path
        return
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if d not in IGNORED_FOLDERS)
        for name in sorted(filenames):
            if name.endswith(IGNORED_SUFFIXES) or (suffixes and not name.endswith(suffixes)):
                continue
            yield os.path.join(dirpath, name)


def fingerprint(
    values: Any = None, paths: Iterable[str] = (), suffixes: tuple[str, ...] | None = None
) -> str:
    """A digest of ``values`` (as ``plain`` data) and of every file at or under
    ``paths`` (only names ending in ``suffixes`` when given). A missing path
    counts as empty."""
    digest = hashlib.sha256(json.dumps(plain(values), sort_keys=True).encode())
    for root in paths:
        for path in _files(root, suffixes):
            with open(path, "rb") as handle:
                data = handle.read()
            digest.update(f"\0{path}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()
