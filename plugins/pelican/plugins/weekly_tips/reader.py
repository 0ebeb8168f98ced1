"""Pelican's reader for our Markdown files: YAML front matter, Markdown body.

It replaces Pelican's own Markdown reader (whose ``Key: value`` metadata is
not our format). What it returns is cached by Pelican across builds, so it
holds plain data only; Pelican objects (Author) are made afterwards in the
``*_generator_context`` signal.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from markupsafe import Markup, escape
from pelican.readers import BaseReader

from tips_core.content_store import ContentStore
from tips_core.errors import ContentError
from tips_core.site_settings import TipsSettings
from tips_core.source_file import PAGE, TIP, Rules


class TipReader:
    """A Pelican reader (the interface of pelican.readers.BaseReader).

    Deliberately not a subclass of BaseReader: Pelican registers every direct
    subclass it can see, and it imports all installed pelican.plugins.*
    packages even when PLUGINS excludes them. A subclass would take over
    Markdown for any Pelican site in the same environment (the plain-Pelican
    baseline of `make bench`, for one); this class is used only when the
    plugin's readers_init handler installs it.
    """

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md", "markdown"]

    process_metadata = BaseReader.process_metadata

    def __init__(self, settings: dict[str, Any]):
        self.settings = settings
        tips = TipsSettings.from_pelican(settings)
        self._rules = Rules(tips.languages, tips.timezone, tips.series)
        self._content_path = os.path.abspath(settings["PATH"])
        self._page_roots = tuple(
            os.path.join(self._content_path, p) + os.sep for p in settings["PAGE_PATHS"]
        )
        # The build hands over its store, where every file was already parsed
        # and converted; Pelican run on its own gets a store of its own.
        self._store = settings.get("TIPS_CONTENT_STORE") or ContentStore(self._rules)

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        path = os.path.abspath(source_path)
        kind = PAGE if path.startswith(self._page_roots) else TIP
        source = self._store.read(path, kind)
        if not source.ok:
            raise ContentError(source.problems)
        html = self._store.html(path)
        metadata = dict(source.fields)
        summary = metadata.pop("summary", "")
        # Pelican treats `summary` as HTML: give it the escaped text, and keep the
        # text itself for titles, feeds, emails and share links.
        metadata["summary"] = Markup(escape(summary))
        metadata["summary_text"] = summary
        metadata["source_lines"] = dict(source.lines)
        metadata["source_stamp"] = self._store.entry(path).stamp
        return html, metadata
