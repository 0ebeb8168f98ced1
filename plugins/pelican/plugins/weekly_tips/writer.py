"""Pelican's writer, writing every file atomically, and only when its inputs changed.

A page is written to a temporary file beside it and moved into place, so an
interrupted build never leaves a half-written page behind for a server or a
later build to trust (tips_core/safe_write.py).

A page's render key is derived here, for every page alike, from what its
render receives: the template and the page's variables (render_cache.key_of).
The template sees those variables and the settings (in the site fingerprint),
nothing else of the site's context, so a template cannot show what its key
does not cover.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import IO

from pelican.plugins import signals
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from tips_core.build_context import current_build
from tips_core.errors import BuildError
from tips_core.safe_write import atomic_open

from .sitemap import CONTEXT_KEY as SITEMAP_KEY

logger = logging.getLogger(__name__)


class PageClash(BuildError, FileOverwriteFailedError):
    """Two pages of one build have one file name (the check should have said so)."""


def template_context(context: dict) -> dict:
    """What every template may read of the site's context: the settings, which
    the site fingerprint covers (not the tips, pages and lists Pelican keeps
    there: a page gets what it shows as its own variables). The sitemap's
    record of written pages goes along for the ``content_written`` signal."""
    kept = {k: v for k, v in context.items() if k.isupper()}
    if SITEMAP_KEY in context:
        kept[SITEMAP_KEY] = context[SITEMAP_KEY]
    return kept


class AtomicWriter(Writer):
    """Writes atomically and, in our builds, skips pages whose render key is
    unchanged (see render_cache.py)."""

    def __init__(self, output_path: str, settings: dict | None = None):
        super().__init__(output_path, settings=settings)
        self.render_cache = current_build().render_cache
        self._contexts: dict[int, tuple[dict, dict]] = {}
        self._claimed: set[str] = set()  # the files of deferred pages

    def _template_context(self, context: dict) -> dict:
        # Generators share one context: narrowed once per build, not per page.
        known = self._contexts.get(id(context))
        if known is None or known[0] is not context:
            known = (context, template_context(context))
            self._contexts[id(context)] = known
        return known[1]

    def write_file(self, name, template, context, *args, **kwargs):
        context = self._template_context(context)
        if self.render_cache is None or not name:
            return super().write_file(name, template, context, *args, **kwargs)
        # Rendered later, on all cores, if its key changed (render_cache.flush):
        # the page is claimed now, and listeners (the sitemap) are told now.
        # Pelican's own write checks that the name stays inside the output.
        path = os.path.normpath(os.path.join(self.output_path, name))
        if path in self._claimed:
            raise PageClash(f'Two pages were written to "{path}": each page needs its own URL')
        self._claimed.add(path)
        key_parts = (getattr(template, "name", template), name, args, kwargs)
        render = functools.partial(self._write_claimed, name, template, context, *args, **kwargs)
        self.render_cache.defer(name, key_parts, render, tip="article" in kwargs)
        # The page's variables and the sitemap's record (its only listener), not a
        # copy of every setting per page.
        local = dict(kwargs, output_file=name)
        local[SITEMAP_KEY] = context.get(SITEMAP_KEY)
        signals.content_written.send(path, context=local)

    def _write_claimed(self, name, template, context, *args, **kwargs) -> None:
        """Write a page claimed in write_file (so no other page of the build has
        its file): rendered once by a build, again by `make serve` when its text
        changed (render_cache.render_text)."""
        self._written_files.discard(sanitised_join(self.output_path, name))
        Writer.write_file(self, name, template, context, *args, **kwargs)

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> IO[str]:
        # A second write to one file is two pages claiming one URL. Pelican's
        # writer skips it quietly when the first was a tip or page (they are
        # written with "override"), losing the other page: here it is an error.
        if filename in self._written_files:
            raise PageClash(f'Two pages were written to "{filename}": each page needs its own URL')
        self._written_files.add(filename)
        return atomic_open(filename, "w", encoding)
