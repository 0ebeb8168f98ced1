"""Pelican's writer, writing every file atomically.

A page is written to a temporary file beside it and moved into place, so an
interrupted build never leaves a half-written page behind for a server or a
later build to trust (the temporary files: partial_files.py).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections import ChainMap
from contextlib import contextmanager
from typing import IO

from pelican.plugins import signals
from pelican.writers import FileOverwriteFailedError, Writer

from .errors import BuildError
from .partial_files import SUFFIX, partial_prefix

logger = logging.getLogger(__name__)


class PageClash(BuildError, FileOverwriteFailedError):
    """Two pages of one build have one file name (the check should have said so)."""


@contextmanager
def atomic_open(path: str, mode: str = "w", encoding: str | None = "utf-8"):
    """Open ``path`` for writing; it appears, whole, only when the block ends."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    # Hidden, and named for its run: see partial_files.py.
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


class AtomicWriter(Writer):
    """Writes atomically and, in our builds, skips pages whose render key is
    unchanged (see render_cache.py)."""

    def __init__(self, output_path: str, settings: dict | None = None):
        super().__init__(output_path, settings=settings)
        self.render_cache = (settings or {}).get("TIPS_RENDER_CACHE")

    def write_file(self, name, template, context, *args, **kwargs):
        key = kwargs.pop("render_key", None)
        if self.render_cache is not None and name:
            tip = "article" in kwargs
            if key is None:
                content = kwargs.get("article") or kwargs.get("page")
                key = getattr(content, "render_key", None)
            if self.render_cache.unchanged(name, key, tip):
                # The file on disk is current: tell listeners (the sitemap) as if
                # it had just been written.
                path = os.path.join(self.output_path, name)
                local = ChainMap({"output_file": name}, kwargs, context)
                signals.content_written.send(path, context=local)
                return
            if key is None:
                self.render_cache.written(name, tip)
        return super().write_file(name, template, context, *args, **kwargs)

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> IO[str]:
        # A second write to one file is two pages claiming one URL. Pelican's
        # writer skips it quietly when the first was a tip or page (they are
        # written with "override"), losing the other page: here it is an error.
        if filename in self._written_files:
            raise PageClash(f'Two pages were written to "{filename}": each page needs its own URL')
        self._written_files.add(filename)
        return atomic_open(filename, "w", encoding)
