"""Pelican's reader for our Markdown files: YAML front matter, Markdown body.

It replaces Pelican's own Markdown reader (whose ``Key: value`` metadata is
not our format). Pelican objects (Author, Tag) are
made afterwards in the ``*_generator_context`` signal.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from markupsafe import Markup, escape
from pelican.readers import BaseReader

from tips_core.build_context import current_build
from tips_core.errors import BuildError
from tips_core.model import Page
from tips_core.source_file import PAGE, TIP


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
        self._build = current_build()

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """The converted body and the metadata of a file the build checked: its
        fields, and its value in the site model (``model``), which decides
        whether Pelican publishes it and where."""
        path = os.path.abspath(source_path)
        entry = self._build.model.entry(path)
        if entry is None:  # the check reads every content file: nothing else gets here
            raise BuildError(f"{path}: not among the checked content files")
        source = self._build.store.read(path, PAGE if isinstance(entry, Page) else TIP)
        metadata = dict(source.fields)
        # Pelican treats `summary` as HTML: give it the escaped text (the text
        # itself is the model's, for titles, feeds, emails and share links).
        metadata["summary"] = Markup(escape(entry.summary))
        metadata["model"] = entry
        # A scheduled tip is held back like a draft; live ones are placed where
        # the model says (Pelican would recompute both on every access).
        metadata["status"] = "published" if entry.live else "draft"
        if entry.live:
            metadata["url"] = entry.url
            metadata["save_as"] = entry.save_as
        return self._build.store.html(path), metadata
