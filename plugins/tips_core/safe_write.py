"""Writing a file so that it appears whole or not at all.

The file is written to a hidden temporary file beside it and moved into place,
so an interrupted run never leaves a half-written page, email or cache for a
server or a later run to trust (the temporary files: partial_files.py).
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager

from .partial_files import SUFFIX, partial_prefix


@contextmanager
def atomic_open(path: str, mode: str = "w", encoding: str | None = "utf-8"):
    """Open ``path`` for writing; it appears, whole, only when the block ends."""
    folder = os.path.dirname(path) or "."
    # Hidden, and named for its run: see partial_files.py.
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=partial_prefix(path), suffix=SUFFIX)
    except FileNotFoundError:  # a new folder (most writes go to an existing one)
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=partial_prefix(path), suffix=SUFFIX)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as handle:
            yield handle
            handle.flush()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
