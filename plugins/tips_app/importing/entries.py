"""What the importer reads from any export: items of a few kinds, one shape.

The WordPress and Blogger readers each turn their format into these values;
everything after (series, conversion, files, report) reads only these.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

POST = "post"
PAGE = "page"
ATTACHMENT = "attachment"
COMMENT = "comment"
MENU_ITEM = "menu item"
OTHER = "other"
KINDS = (POST, PAGE, ATTACHMENT, COMMENT, MENU_ITEM, OTHER)

APPROVED = "approved"
PUBLISHED = "published"
DRAFT = "draft"
TRASH = "trash"


@dataclass
class Comment:
    """A reader's comment: only what the archive shows, never an e-mail or IP."""

    author: str
    date: datetime.datetime | None
    html: str
    status: str  # approved, pending, spam, trash
    kind: str  # comment, pingback, trackback
    line: int = 0  # where the export has it, when known (Blogger's are entries)


@dataclass
class Item:
    source_id: str  # "wordpress:176", "blogger:post-1858599377741856733"
    kind: str
    line: int  # where the item starts in the export
    title: str = ""
    html: str = ""
    excerpt: str = ""
    status: str = PUBLISHED  # published, draft, trash
    status_reason: str = ""  # why a draft: "WordPress status 'pending'", ...
    date: datetime.datetime | None = None  # aware, or None when the export has none
    slug: str = ""
    author: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (nicename, name)
    tags: list[str] = field(default_factory=list)
    link: str = ""  # the old permalink
    post_id: str = ""  # WordPress ?p= id, for links written as ?p=123
    comments: list[Comment] = field(default_factory=list)
    attachment_url: str = ""
    type_name: str = ""  # the export's own name of the kind (custom post types)
    lang: str = ""  # Polylang's language, when the export carries one
    translation_group: str = ""  # Polylang's translation group


@dataclass
class Export:
    path: str
    format: str  # "WordPress WXR 1.1", "Blogger backup"
    title: str
    base_url: str  # the old blog's address, without a trailing slash
    items: list[Item]
    feed_paths: tuple[str, ...] = ()  # the old blog's feed addresses
    orphan_comments: list[Comment] = field(default_factory=list)
