"""Images loaded from another host: a third-party request on every page view.

Imported posts keep remote images when they could not be fetched (or with
``DOWNLOAD=0``); `make check` names each one left, so none stays unnoticed.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .problems import WARNING, Problem
from .source_file import SourceFile

# ![alt](https://...) and <img ... src="https://...">
_REMOTE_IMAGE_RE = re.compile(
    r"!\[[^\]]*\]\(\s*<?(?P<md>https?://[^\s)>]+)|<img\b[^>]*?\bsrc\s*=\s*[\"']?(?P<html>https?://[^\s\"'>]+)",
    re.IGNORECASE,
)


def remote_image_problems(source: SourceFile) -> list[Problem]:
    problems = []
    for match in _REMOTE_IMAGE_RE.finditer(source.body):
        address = match["md"] or match["html"]
        line = source.body_line + source.body.count("\n", 0, match.start())
        problems.append(
            Problem(
                source.path,
                line,
                f"this image is loaded from {urlsplit(address).netloc} on every page view (a "
                "third-party request): save it in content/images/ and link it with {static}",
                WARNING,
            )
        )
    return problems
