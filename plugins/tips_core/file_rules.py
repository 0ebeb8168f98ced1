"""The rules a file answers by itself: raw HTML and remote images.

They look at one file's text and nothing else, so they run where the file is
parsed (on all cores for a new site or checkout) and their answer is kept
with the parse in the content store: a rebuild, or a new `make check`,
searches only the files that changed. The store's fingerprint covers this
module and the two it calls, so a change to a rule empties the store.
"""

from __future__ import annotations

from .problems import Problem
from .raw_html import raw_html_problems
from .remote_images import remote_image_problems
from .source_file import TIP, SourceFile

RULE_MODULES = ("file_rules.py", "raw_html.py", "remote_images.py")


def own_problems(source: SourceFile) -> list[Problem]:
    """The problems of a parsed file by itself (none for one that did not parse)."""
    if not source.ok:
        return []
    emailed = source.kind == TIP and source.fields["newsletter"]
    return raw_html_problems(source, emailed) + remote_image_problems(source)
