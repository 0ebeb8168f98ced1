"""The site seen per language: its tips by week, tag and author, and the links
between the language versions of every page.

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
from tips_core.urls import SiteUrls
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


def alternate_urls(content: Any, languages: tuple[str, ...]) -> dict[str, str]:
    """URL of each language version of a tip or page, itself included, in site order."""
    versions = {content.lang: content.url}
    for other in content.translations:
        versions.setdefault(other.lang, other.url)
    return {lang: versions[lang] for lang in languages if lang in versions}


def build_index(
    articles: Iterable[Any], pages: Iterable[Any], tips: TipsSettings, urls: SiteUrls
) -> dict[str, LanguageIndex]:
    """Group published tips and pages by language, and decorate each tip with
    its week, its neighbours in the same language and its language versions."""
    index = {lang: LanguageIndex(lang) for lang in tips.languages}
    for tip in with_translations(articles):
        if tip.lang in index:
            index[tip.lang].tips.append(tip)
    for page in with_translations(pages):
        if page.lang in index:
            index[page.lang].pages.append(page)
    for lang_index in index.values():
        _index_language(lang_index, tips, urls)
    return index


def _index_language(lang_index: LanguageIndex, tips: TipsSettings, urls: SiteUrls) -> None:
    lang = lang_index.lang
    lang_index.tips.sort(key=lambda t: (t.date, t.slug), reverse=True)
    weeks: dict[IsoWeek, list[Any]] = defaultdict(list)
    tags: dict[str, list[Any]] = defaultdict(list)
    authors: dict[str, list[Any]] = defaultdict(list)
    newer = None
    for tip in lang_index.tips:
        tip.week = IsoWeek.of(tip.date.date())
        tip.week_url = urls.week(lang, tip.week)
        tip.alternate_urls = alternate_urls(tip, tips.languages)
        tip.tag_links = [(str(tag), urls.tag(lang, str(tag))) for tag in tip.tags]
        tip.author_url = urls.author(lang, str(tip.author))
        tip.next_tip, tip.prev_tip = newer, None
        if newer is not None:
            newer.prev_tip = tip
        newer = tip
        weeks[tip.week].append(tip)
        for tag in tip.tags:
            tags[str(tag)].append(tip)
        authors[str(tip.author)].append(tip)
    lang_index.weeks = dict(weeks)
    lang_index.tags = dict(sorted(tags.items(), key=lambda item: item[0].casefold()))
    lang_index.authors = dict(sorted(authors.items()))
    for page in lang_index.pages:
        page.alternate_urls = alternate_urls(page, tips.languages)
    lang_index.pages.sort(key=lambda p: p.slug)
