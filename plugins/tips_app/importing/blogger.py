"""Reading a Blogger backup (Settings > Back up content) into items.

A backup is one Atom feed mixing the template, settings, posts, pages and
comments; each entry says its kind in a ``kind#...`` category. Blogger's
public feed (``feed.atom``) looks alike but holds no kinds and only recent
posts: it is refused by :mod:`.export_file` with the export to make instead.
"""

from __future__ import annotations

import datetime
from xml.etree.ElementTree import Element

from .entries import COMMENT, DRAFT, OTHER, PAGE, POST, PUBLISHED, Comment, Export, Item
from .xml_input import ParsedXml

ATOM = "{http://www.w3.org/2005/Atom}"
APP = "{http://purl.org/atom/app#}"
THR = "{http://purl.org/syndication/thread/1.0}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
KINDS = {"post": POST, "page": PAGE, "comment": COMMENT}


def entry_kind(entry: Element) -> str | None:
    for category in entry.findall(f"{ATOM}category"):
        if category.get("scheme") == KIND_SCHEME:
            return (category.get("term") or "").removeprefix(KIND_PREFIX)
    return None


def is_blogger_backup(root: Element) -> bool:
    return root.tag == f"{ATOM}feed" and any(
        entry_kind(e) in ("settings", "template") for e in root.findall(f"{ATOM}entry")
    )


def _date(value: str | None) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _text(entry: Element, name: str) -> str:
    return (entry.findtext(f"{ATOM}{name}") or "").strip()


def _link(entry: Element, rel: str = "alternate") -> str:
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel") == rel and link.get("type", "text/html") == "text/html":
            return (link.get("href") or "").strip()
    return ""


def read_blogger(parsed: ParsedXml, path: str) -> Export:
    root = parsed.root
    lines = parsed.item_lines()
    items: list[Item] = []
    comments: list[tuple[str, Comment]] = []
    for index, entry in enumerate(root.findall(f"{ATOM}entry")):
        line = lines[index] if index < len(lines) else 1
        kind = entry_kind(entry) or "unknown"
        author = (entry.findtext(f"{ATOM}author/{ATOM}name") or "").strip()
        if kind == "comment":
            reply = entry.find(f"{THR}in-reply-to")
            comment = Comment(
                author=author or "?",
                date=_date(entry.findtext(f"{ATOM}published")),
                html=entry.findtext(f"{ATOM}content") or "",
                status="approved",  # a backup holds only the comments on the blog
                kind="comment",
                line=line,
            )
            comments.append(((reply.get("ref") if reply is not None else "") or "", comment))
            continue
        entry_id = _text(entry, "id")
        item = Item(
            source_id=f"blogger:{entry_id.rsplit('.', 1)[-1]}",
            kind=KINDS.get(kind, OTHER),
            line=line,
            title=_text(entry, "title"),
            html=entry.findtext(f"{ATOM}content") or "",
            date=_date(entry.findtext(f"{ATOM}published")),
            author=author,
            link=_link(entry),
            type_name=kind,
            tags=[
                (c.get("term") or "").strip()
                for c in entry.findall(f"{ATOM}category")
                if c.get("scheme") == LABEL_SCHEME
            ],
        )
        item.slug = item.link.rsplit("/", 1)[-1].removesuffix(".html") if item.link else ""
        if (entry.findtext(f"{APP}control/{APP}draft") or "").strip() == "yes":
            item.status, item.status_reason = DRAFT, "a draft in Blogger"
        else:
            item.status = PUBLISHED
        item.post_id = entry_id
        items.append(item)
    by_id = {item.post_id: item for item in items}
    orphans = []
    for ref, comment in comments:
        if ref in by_id:
            by_id[ref].comments.append(comment)
        else:
            orphans.append(comment)
    base = _link(root).rstrip("/")
    return Export(
        path=path,
        format="Blogger backup",
        title=_text(root, "title"),
        base_url=base,
        items=items,
        feed_paths=("/feeds/posts/default", "/feeds/posts/default?alt=rss"),
        orphan_comments=orphans,
    )
