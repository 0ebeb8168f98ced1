"""The site seen per language: its tips by week, tag and author, newest first.

Pelican reads every file once and links translations by slug; this module
regroups what it read by language, so each language gets its own home, weeks,
archive, tags and feed without reading or rendering anything twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tips_core.site_settings import TipsSettings
from tips_core.weeks import IsoWeek


@dataclass
class LanguageIndex:
    lang: str
    tips: list[Any] = field(default_factory=list)  # newest first
    weeks: dict[IsoWeek, list[Any]] = field(default_factory=dict)  # newest first
    tags: dict[str, list[Any]] = field(default_factory=dict)
    authors: dict[str, list[Any]] = field(default_factory=dict)
    pages: list[Any] = field(default_factory=list)

    @property
    def latest(self) -> Any | None:
        return self.tips[0] if self.tips else None


def with_translations(originals: Iterable[Any]) -> list[Any]:
    """Pelican lists originals and hangs translations on them; flatten both."""
    every = []
    for content in originals:
        every.append(content)
        every.extend(content.translations)
    return every


def build_index(
    articles: Iterable[Any], pages: Iterable[Any], tips: TipsSettings
) -> dict[str, LanguageIndex]:
    """Group the published tips and pages that Pelican read by language, and link
    each tip to its neighbours in the same language (the week navigation).

    What a tip is (its week, URLs, language versions) comes from the site model
    (``tip.model``, tips_core.model); this only groups and orders."""
    index = {lang: LanguageIndex(lang) for lang in tips.languages}
    for tip in with_translations(articles):
        if tip.lang in index:
            index[tip.lang].tips.append(tip)
    for page in with_translations(pages):
        if page.lang in index:
            index[page.lang].pages.append(page)
    for lang_index in index.values():
        _index_language(lang_index)
    return index


def _index_language(lang_index: LanguageIndex) -> None:
    lang_index.tips.sort(key=lambda t: (t.date, t.slug), reverse=True)
    weeks: dict[IsoWeek, list[Any]] = defaultdict(list)
    tags: dict[str, list[Any]] = defaultdict(list)
    authors: dict[str, list[Any]] = defaultdict(list)
    newer = None
    for tip in lang_index.tips:
        tip.next_tip, tip.prev_tip = newer, None
        if newer is not None:
            newer.prev_tip = tip
        newer = tip
        weeks[tip.model.week].append(tip)
        for tag in tip.model.tags:
            tags[tag].append(tip)
        authors[tip.model.author].append(tip)
    lang_index.weeks = dict(weeks)
    lang_index.tags = dict(sorted(tags.items(), key=lambda item: item[0].casefold()))
    lang_index.authors = dict(sorted(authors.items()))
    lang_index.pages.sort(key=lambda p: p.slug)
