"""Pelican's writer, writing every file atomically.

A page is written to a temporary file beside it and moved into place, so an
interrupted build never leaves a half-written page behind for a server or a
later build to trust (tips_core/safe_write.py).
"""

from __future__ import annotations

import logging
import os
from collections import ChainMap
from typing import IO

from pelican.plugins import signals
from pelican.writers import FileOverwriteFailedError, Writer

from tips_core.build_context import current_build
from tips_core.errors import BuildError
from tips_core.safe_write import atomic_open

logger = logging.getLogger(__name__)


class PageClash(BuildError, FileOverwriteFailedError):
    """Two pages of one build have one file name (the check should have said so)."""


class AtomicWriter(Writer):
    """Writes atomically and, in our builds, skips pages whose render key is
    unchanged (see render_cache.py)."""

    def __init__(self, output_path: str, settings: dict | None = None):
        super().__init__(output_path, settings=settings)
        self.render_cache = current_build().render_cache

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
