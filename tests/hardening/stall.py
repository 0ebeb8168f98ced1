"""A Pelican plugin for tests: stall in the middle of writing one file.

Listed in PLUGINS by a test's settings file, it makes every ``atomic_open`` of
the project (pages, feeds, the sitemap, .eml files, records) stop halfway
through writing the file whose path matches ``STALL_ON`` (a regular
expression): half the data is written and flushed, ``STALL_MARKER`` is
created, and the process sleeps until the test kills it. Nothing else changes.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
import time

from tips_core import safe_write as writer

_original = writer.atomic_open


class _HalfWriter:
    def __init__(self, handle, marker: str):
        self._handle = handle
        self._marker = marker

    def write(self, data):
        self._handle.write(data[: max(1, len(data) // 2)])
        self._handle.flush()
        os.fsync(self._handle.fileno())
        with open(self._marker, "w") as marker:
            marker.write(str(os.getpid()))
        time.sleep(3600)  # until SIGKILL

    def __getattr__(self, name):
        return getattr(self._handle, name)


@contextlib.contextmanager
def _stalling_open(path: str, mode: str = "w", encoding: str | None = "utf-8"):
    with _original(path, mode, encoding) as handle:
        if re.search(os.environ["STALL_ON"], path):
            yield _HalfWriter(handle, os.environ["STALL_MARKER"])
        else:
            yield handle


# Every module that writes through atomic_open, imported now so all are patched.
WRITERS = (
    "tips_app.build_guard",
    "tips_core.content_store",
    "pelican.plugins.weekly_tips.feeds",
    "tips_core.render_cache",
    "pelican.plugins.weekly_tips.sitemap",
    "pelican.plugins.tip_newsletter.backends.outbox",
    "pelican.plugins.tip_newsletter.generator",
    "pelican.plugins.tip_newsletter.ledger",
)


def register() -> None:
    if "STALL_ON" not in os.environ:
        return
    for name in WRITERS:
        importlib.import_module(name)
    for module in list(sys.modules.values()):
        if getattr(module, "atomic_open", None) is _original:
            module.atomic_open = _stalling_open
