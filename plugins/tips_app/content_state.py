"""What a build's pages are made of besides the text of tips and pages.

A page's render key is derived from everything its render receives
(render_cache.py), and deriving the keys of 16,000 pages was a third of a
build after one edit. Most of that is needed only to learn that nothing a
page shows changed. :func:`content_state` digests all that every key holds
apart from the text of the tips and pages it shows: which files there are and
their front matter, the site model (what the clock makes of it: published,
scheduled, due), the ISO week (the menus' "This week"), the images, data and
theme files, the versions that turn text into HTML. When that digest is the
last build's, a page that shows the text of none of the files whose bytes
changed since has the last build's key (``RenderCache.note_content``), and is
neither signed nor rendered again.

Text that links a file with ``{attach}`` is the exception: Pelican moves the
file next to the tip that links it, and other pages link it where it moved.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

import markdown
import pelican

from tips_core.build_context import BuildContext
from tips_core.content_check import ContentReport
from tips_core.content_files import walk_content
from tips_core.content_store import file_digest
from tips_core.link_check import ATTACH_RE
from tips_core.weeks import IsoWeek


@dataclass(frozen=True)
class ContentState:
    digest: str  # all that every render key holds but the text of tips and pages
    files: dict[str, str]  # each tip's and page's file: the digest of its bytes
    attaching: frozenset[str]  # the files whose text links a file with {attach}
    inputs: dict[str, str]  # other_inputs(), taken before Pelican reads them


def content_state(
    context: BuildContext, report: ContentReport, settings: dict[str, Any]
) -> ContentState:
    """The state of a checked and modelled build's content (see the module)."""
    model = context.model
    assert model is not None
    inputs = other_inputs(settings)
    parts = (
        pelican.__version__,  # resolves the links in the text
        markdown.__version__,  # converts it (the content store's fingerprint covers it too)
        repr(sorted((s.path, s.kind, repr(s.fields), repr(s.lines)) for s in report.sources)),
        # Every field of every tip and page, by its repr: a field added later is
        # in it too (a repr that holds an address changes each build: no reuse).
        repr((model.tips, model.pages)),
        IsoWeek.of(context.now.date()).code,
        repr(sorted(inputs.items())),
    )
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:  # each part's text as it is (a repr of the whole would copy it)
        digest.update(part.encode())
        digest.update(b"\0")
    files = {}
    for source in report.sources:
        entry = context.store.entry(source.path)
        files[os.path.abspath(source.path)] = entry.digest if entry is not None else ""
    attaching = frozenset(
        os.path.abspath(s.path)
        for s in report.sources
        if "attach" in s.body and ATTACH_RE.search(s.body)
    )
    return ContentState(digest.hexdigest(), files, attaching, inputs)


def other_inputs(settings: dict[str, Any]) -> dict[str, str]:
    """The digest of each file a build reads besides the content files the
    check reads and what the site fingerprint covers: images and data files
    under content/ (redirects, comment archives) and the theme's files. By
    their bytes, not their times: a fresh checkout (CI) gives every file a new
    time. Hidden files are not read by the build (content_files.py); compiled
    catalogs (.mo) are made by the build from the .po files the site
    fingerprint covers (a first build compiles them after this is taken)."""
    found = [f.path for f in walk_content(settings["PATH"]) if not f.hidden and not f.markdown]
    theme = walk_content(settings["THEME"])
    found += [f.path for f in theme if not f.hidden and not f.path.endswith(".mo")]
    return {path: file_digest(path) for path in found}  # "" if gone meanwhile
