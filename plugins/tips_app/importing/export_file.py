"""Which export a file is, told apart by its content (never by its name)."""

from __future__ import annotations

import datetime
import re
from collections import Counter

from .blogger import ATOM, is_blogger_backup, read_blogger
from .entries import Export
from .wordpress import is_wxr, read_wordpress
from .xml_input import ParsedXml, UnusableExport, parse_xml, read_export_text

WORDPRESS_HOW = "in WordPress, Tools > Export > All content"
BLOGGER_HOW = "in Blogger, Settings > Manage blog > Back up content"
_HTML_RE = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)", re.IGNORECASE | re.DOTALL)


def read_export(path: str, fallback_zone: datetime.tzinfo) -> tuple[Export, ParsedXml]:
    """The export at ``path``; :class:`UnusableExport` (one line: which export to
    make) for any other kind of file."""
    text = read_export_text(path)
    if _HTML_RE.match(text):
        raise UnusableExport(
            f"{path}:1: error: this is a web page, not an export: make the export "
            f"{WORDPRESS_HOW}, or {BLOGGER_HOW}"
        )
    if not text.lstrip().startswith("<"):
        raise UnusableExport(
            f"{path}:1: error: this is not an XML export: make one {WORDPRESS_HOW}, "
            f"or {BLOGGER_HOW}"
        )
    parsed = parse_xml(path, text)
    root = parsed.root
    if is_wxr(root):
        return _unique_ids(read_wordpress(parsed, path, fallback_zone)), parsed
    if is_blogger_backup(root):
        return _unique_ids(read_blogger(parsed, path)), parsed
    if root.tag == f"{ATOM}feed":
        raise UnusableExport(
            f"{path}:1: error: this is a public Atom feed (Blogger's feed.atom holds only "
            f"recent posts, without drafts, pages or comments): make the full backup {BLOGGER_HOW}"
        )
    if root.tag in (
        "rss",
        "{http://purl.org/rss/1.0/}RDF",
        "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF",
    ):
        raise UnusableExport(
            f"{path}:1: error: this is an RSS feed, not a WordPress export (a feed holds only "
            f"recent posts, without drafts, pages or comments): make the export {WORDPRESS_HOW}"
        )
    raise UnusableExport(
        f"{path}:1: error: this XML file is neither a WordPress export nor a Blogger backup: "
        f"make the export {WORDPRESS_HOW}, or {BLOGGER_HOW}"
    )


def _unique_ids(export: Export) -> Export:
    """Exports repeat ids (a post copied by a plugin, an export edited by
    hand); the record needs one per item: the second gets ``#2``."""
    seen: Counter[str] = Counter()
    for item in export.items:
        seen[item.source_id] += 1
        if seen[item.source_id] > 1:
            item.source_id = f"{item.source_id}#{seen[item.source_id]}"
    return export
