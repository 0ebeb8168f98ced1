"""Where every page of the site lives, per language.

Tip and page URLs come from Pelican's ``ARTICLE_URL``/``PAGE_URL`` settings;
this module places the pages our generator writes, with the same prefixes:
nothing for the default language, ``sv/`` for Swedish, and so on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .site_settings import TipsSettings
from .slugs import slugify
from .weeks import IsoWeek


class SiteUrls:
    """Relative URLs (no leading slash; '' is the home of the default language)."""

    def __init__(self, tips: TipsSettings):
        self.tips = tips

    def home(self, lang: str) -> str:
        return self.tips.prefix(lang)

    def week(self, lang: str, week: IsoWeek) -> str:
        return f"{self.tips.prefix(lang)}{week.path}/"

    def archive(self, lang: str) -> str:
        return f"{self.tips.prefix(lang)}archive/"

    def tags(self, lang: str) -> str:
        return f"{self.tips.prefix(lang)}tags/"

    def tag(self, lang: str, tag: str) -> str:
        return f"{self.tips.prefix(lang)}tags/{slugify(tag) or 'tag'}/"

    def author(self, lang: str, name: str) -> str:
        return f"{self.tips.prefix(lang)}authors/{slugify(name) or 'author'}/"

    def search(self, lang: str) -> str:
        return f"{self.tips.prefix(lang)}search/"

    def feed(self, lang: str) -> str:
        return f"{self.tips.prefix(lang)}feeds/atom.xml"

    def not_found(self, lang: str) -> str:
        return f"{self.tips.prefix(lang)}404.html"

    def absolute(self, url: str) -> str:
        return self.tips.absolute(url)


def save_as(url: str) -> str:
    """The file behind a URL: folders get an index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def content_location(
    kind: str, fields: Mapping[str, Any], settings: Mapping[str, Any], what: str
) -> str:
    """A tip's or page's URL or file (``what``: "URL" or "SAVE_AS"), from Pelican's
    ARTICLE_*/PAGE_* settings, the way Pelican computes it for a published one.

    ``kind`` is "ARTICLE" or "PAGE"; the default language has no prefix.
    """
    lang_part = "" if fields["lang"] == settings["DEFAULT_LANG"] else "LANG_"
    return settings[f"{kind}_{lang_part}{what}"].format_map(fields)
