"""Production builds replace output/ only with a complete site.

`make site` and `make publish` build into a staging folder, a copy of the
last complete site (so the build stays incremental), and move it into place
only when every step has succeeded: pages, feeds, emails' web versions and the
search index. A build that fails, or is killed, leaves output/ as the previous
complete site, never half of the new one, and a deploy step that runs after a
failure finds nothing new to deploy.
"""

from __future__ import annotations

import logging
import os
import shutil

logger = logging.getLogger(__name__)


class Staging:
    """The staging folder of one build of ``output``: ``.output.staging`` beside
    it (the same file system, so moving it into place is a rename)."""

    def __init__(self, output: str):
        self.output = os.path.abspath(output)
        parent, name = os.path.split(self.output)
        self.path = os.path.join(parent, f".{name}.staging")
        self._previous = os.path.join(parent, f".{name}.previous")

    def prepare(self, copy: bool = True) -> str:
        """A fresh copy of the current site to build into (an empty folder when
        the build starts from scratch: ``copy=False``); return its path."""
        self.discard()
        if copy and os.path.isdir(self.output):
            # Real copies, not hard links: Pelican copies static files into
            # place by rewriting them, which would change the live site too.
            shutil.copytree(self.output, self.path, symlinks=True)
        else:
            os.makedirs(self.path)
        return self.path

    def publish(self) -> None:
        """Put the staged site in place of output/ (two renames: no copying)."""
        shutil.rmtree(self._previous, ignore_errors=True)
        if os.path.isdir(self.output):
            os.rename(self.output, self._previous)
        try:
            os.rename(self.path, self.output)
        except OSError:
            if os.path.isdir(self._previous) and not os.path.exists(self.output):
                os.rename(self._previous, self.output)  # put the old site back
            raise
        shutil.rmtree(self._previous, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
