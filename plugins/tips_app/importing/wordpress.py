"""Reading a WordPress export (WXR 1.0 to 1.2, Tools > Export) into items.

The namespaces change with the WXR version (``wordpress.org/export/1.0/`` to
``1.2/``), so elements are found by their local name within the WordPress
family of namespaces.

Dates: ``post_date_gmt`` is the moment a post was published; ``post_date`` is
the same moment on the old blog's clock, and the only date of a draft (whose
GMT field WordPress leaves at zero). The old blog's offset is learnt from the
posts that carry both.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from .entries import (
    ATTACHMENT,
    DRAFT,
    MENU_ITEM,
    OTHER,
    PAGE,
    POST,
    PUBLISHED,
    TRASH,
    Comment,
    Export,
    Item,
)
from .xml_input import ParsedXml

WP_FAMILY = "http://wordpress.org/export/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
KIND_OF_TYPE = {"post": POST, "page": PAGE, "attachment": ATTACHMENT, "nav_menu_item": MENU_ITEM}
DRAFT_STATUSES = {"draft", "pending", "private", "auto-draft"}
COMMENT_STATUSES = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash"}
_COMMENT_START_RE = re.compile(r"<wp:comment[\s>]")  # the prefix every WXR version uses


def is_wxr(root: Element) -> bool:
    channel = root.find("channel")
    return (
        root.tag == "rss"
        and channel is not None
        and any(_local(child.tag, WP_FAMILY) == "wxr_version" for child in channel)
    )


def _local(tag: str, family: str) -> str | None:
    """The local name of a tag in a namespace starting with ``family``."""
    if tag.startswith("{" + family):
        return tag.rsplit("}", 1)[1]
    return None


def _wp(element: Element, name: str) -> str:
    for child in element:
        if _local(child.tag, WP_FAMILY) == name:
            return (child.text or "").strip()
    return ""


def _wp_all(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag, WP_FAMILY) == name]


def _naive(value: str) -> datetime.datetime | None:
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _gmt(value: str) -> datetime.datetime | None:
    naive = _naive(value)
    return naive.replace(tzinfo=datetime.UTC) if naive else None


def _offset(channel: Element) -> datetime.timezone | None:
    """The old blog's UTC offset, the most common among posts with both dates."""
    offsets: Counter[datetime.timedelta] = Counter()
    for element in channel.iter("item"):
        local, gmt = _naive(_wp(element, "post_date")), _naive(_wp(element, "post_date_gmt"))
        if local and gmt:
            offsets[local - gmt] += 1
    if not offsets:
        return None
    return datetime.timezone(offsets.most_common(1)[0][0])


def read_wordpress(parsed: ParsedXml, path: str, fallback_zone: datetime.tzinfo) -> Export:
    channel = parsed.root.find("channel")
    assert channel is not None  # is_wxr said so
    version = _wp(channel, "wxr_version") or "1.0"
    base_url = (_wp(channel, "base_blog_url") or channel.findtext("link") or "").rstrip("/")
    zone = _offset(channel) or fallback_zone
    authors = {
        _wp(a, "author_login"): _wp(a, "author_display_name") or _wp(a, "author_login")
        for a in _wp_all(channel, "author")
    }
    lines = parsed.item_lines()
    comment_lines = parsed.lines_of(_COMMENT_START_RE)
    items = []
    for index, element in enumerate(channel.findall("item")):
        line = lines[index] if index < len(lines) else 1
        item = _item(element, line, authors, zone)
        # Each comment's own line: those between this item's start and the next's.
        end = lines[index + 1] if index + 1 < len(lines) else float("inf")
        own = [n for n in comment_lines if line <= n < end]
        if len(own) == len(item.comments):
            for comment, comment_line in zip(item.comments, own, strict=True):
                comment.line = comment_line
        items.append(item)
    return Export(
        path=path,
        format=f"WordPress WXR {version}",
        title=(channel.findtext("title") or "").strip(),
        base_url=base_url,
        items=items,
        feed_paths=("/feed/", "/feed/atom/", "/comments/feed/"),
    )


def _item(element: Element, line: int, authors: dict[str, str], zone: datetime.tzinfo) -> Item:
    post_type = _wp(element, "post_type")
    wp_status = _wp(element, "status")
    date = _gmt(_wp(element, "post_date_gmt"))
    if date is None:
        local = _naive(_wp(element, "post_date"))
        date = local.replace(tzinfo=zone) if local else None
    login = (element.findtext(f"{{{DC_NS}}}creator") or "").strip()
    item = Item(
        source_id=f"wordpress:{_wp(element, 'post_id')}",
        kind=KIND_OF_TYPE.get(post_type, OTHER),
        line=line,
        title=(element.findtext("title") or "").strip(),
        html=element.findtext(f"{{{CONTENT_NS}}}encoded") or "",
        excerpt=next(
            (
                c.text or ""
                for c in element
                if _local(c.tag, WP_FAMILY) and c.tag.endswith("}encoded")
            ),
            "",
        ),
        date=date,
        slug=unquote(_wp(element, "post_name")),
        author=authors.get(login, login),
        link=(element.findtext("link") or "").strip(),
        post_id=_wp(element, "post_id"),
        attachment_url=_wp(element, "attachment_url"),
        type_name=post_type or "unknown",
    )
    if wp_status == "trash":
        item.status = TRASH
    elif wp_status in DRAFT_STATUSES:
        item.status, item.status_reason = DRAFT, f"WordPress status '{wp_status}'"
    elif _wp(element, "post_password"):
        item.status, item.status_reason = DRAFT, "password-protected in WordPress"
    else:
        item.status = PUBLISHED
    for category in element.findall("category"):
        domain, nicename = category.get("domain", ""), category.get("nicename", "")
        name = (category.text or "").strip()
        if domain == "category":
            item.categories.append((nicename or name, name))
        elif domain == "post_tag":
            item.tags.append(name)
        elif domain == "language":  # Polylang
            item.lang = nicename
        elif domain == "post_translations":  # Polylang
            item.translation_group = nicename
    item.comments = [_comment(c, zone) for c in _wp_all(element, "comment")]
    return item


def _comment(element: Element, zone: datetime.tzinfo) -> Comment:
    date = _gmt(_wp(element, "comment_date_gmt"))
    if date is None:
        local = _naive(_wp(element, "comment_date"))
        date = local.replace(tzinfo=zone) if local else None
    approved = _wp(element, "comment_approved")
    return Comment(
        author=_wp(element, "comment_author") or "?",
        date=date,
        html=_wp(element, "comment_content"),
        status=COMMENT_STATUSES.get(approved, "pending"),
        kind=_wp(element, "comment_type") or "comment",
    )


def old_path(link: str) -> str:
    """The path and query of an old permalink: ``/2011/02/smile/``, ``/?p=12``."""
    parts = urlsplit(link)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path
