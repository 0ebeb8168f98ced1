"""One Atom feed per language, holding only that language's tips."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from html import escape
from typing import Any

from feedgenerator import Atom1Feed, get_tag_uri

from tips_core.safe_write import atomic_open

FEED_MAX_ITEMS = 20
# Atom needs an <updated>; feedgenerator gives a feed without entries the wall
# clock, so every build would write it anew. A feed of no tips never changed.
EMPTY_FEED_UPDATED = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class LanguageFeed(Atom1Feed):
    def latest_post_date(self) -> datetime.datetime:
        return super().latest_post_date() if self.items else EMPTY_FEED_UPDATED


def language_feed(
    tips: Sequence[Any],
    *,
    lang: str,
    title: str,
    home_url: str,
    feed_url: str,
    siteurl: str,
    subtitle: str = "",
) -> LanguageFeed:
    """The feed of ``tips`` (newest first), with absolute links in the content."""
    feed = LanguageFeed(
        title=title,
        link=home_url,
        feed_url=feed_url,
        description=subtitle,
        subtitle=subtitle or None,
        language=lang,
    )
    for tip in tips[:FEED_MAX_ITEMS]:
        link = f"{siteurl}/{tip.url}"
        feed.add_item(
            title=f"{tip.model.week_label}: {tip.title}",
            link=link,
            unique_id=get_tag_uri(link, tip.date),
            # Atom's <summary type="html"> is read as HTML: the summary is text.
            description=escape(tip.model.summary, quote=False),
            content=tip.get_content(siteurl),
            categories=list(tip.tags) or None,
            author_name=str(tip.author),
            pubdate=tip.date,
            updateddate=getattr(tip, "modified", None),
        )
    return feed


def write_feed(feed: Atom1Feed, path: str) -> None:
    with atomic_open(path, "w", "utf-8") as handle:
        feed.write(handle, "utf-8")
