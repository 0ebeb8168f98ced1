"""The one walk of content/, with the one rule for hidden files.

Pelican skips every file or folder whose name starts with ``.`` (its
``IGNORE_FILES = ["**/.*"]``): such a file is *hidden*. The check reads only
what Pelican reads; the address check warns about hidden Markdown, so the walk
lists hidden files too, marked, rather than each caller walking by its own rule.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

CONTENT_EXTENSIONS = (".md", ".markdown")


@dataclass(frozen=True)
class ContentFile:
    path: str  # content_path joined with the file's path under it
    hidden: bool  # its name or one of its folders' (under content/) starts with '.'

    @property
    def markdown(self) -> bool:
        return self.path.endswith(CONTENT_EXTENSIONS)


def is_hidden(relpath: str) -> bool:
    """Whether Pelican skips the file at ``relpath`` (relative to content/)."""
    return any(part.startswith(".") for part in relpath.split(os.sep))


def walk_content(content_path: str) -> Iterator[ContentFile]:
    """Every file under ``content_path``, hidden ones included and marked, in a
    stable order (folders and files sorted by name)."""
    for dirpath, dirnames, filenames in os.walk(content_path):
        dirnames.sort()
        rel = os.path.relpath(dirpath, content_path)
        hidden_dir = rel != os.curdir and is_hidden(rel)
        for name in sorted(filenames):
            yield ContentFile(os.path.join(dirpath, name), hidden_dir or name.startswith("."))
