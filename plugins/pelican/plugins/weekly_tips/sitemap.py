"""``/sitemap.xml`` and ``/robots.txt``: every page of the site, with its
language versions, for search engines.

The sitemap lists what was actually written: every page the writer renders
(tips, pages, homes, weeks, archives, topics, authors, search) is recorded as
Pelican's ``content_written`` signal reports it, with the page's language
versions (``xhtml:link`` alternates, ``x-default`` included). The 404 pages
are left out. URLs are absolute, so SITEURL must be an absolute http(s) URL.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlsplit

from pelican.generators import Generator

from tips_core.build_context import current_build
from tips_core.errors import ConfigurationError
from tips_core.safe_write import atomic_open

logger = logging.getLogger(__name__)

CONTEXT_KEY = "tips_sitemap"
LEFT_OUT_FILES = ("404.html",)  # "not found" pages are no pages to list


@dataclass(frozen=True)
class SitemapEntry:
    url: str  # relative to SITEURL, as the site's URLs are
    alternates: Mapping[str, str]  # language -> relative URL, the page itself included
    lastmod: datetime.datetime | None = None


@dataclass
class SitemapEntries:
    """The pages written in one build, by URL."""

    entries: dict[str, SitemapEntry] = field(default_factory=dict)

    def record(self, context: Mapping[str, Any]) -> None:
        """Note the page a writer just rendered with ``context``."""
        if os.path.basename(str(context.get("output_file", ""))) in LEFT_OUT_FILES:
            return
        content = context.get("article") or context.get("page")
        if content is not None and getattr(content, "url", None) is not None:
            url = content.url
            alternates = content.model.alternates or {content.lang: url}
            lastmod = getattr(content, "modified", None) or getattr(content, "date", None)
        elif context.get("page_url") is not None:
            url = context["page_url"]
            lang = context.get("lang")
            alternates = context.get("alternates") or ({lang: url} if lang else {})
            lastmod = None
        else:
            return
        self.entries[url] = SitemapEntry(url, dict(alternates), lastmod)


def check_siteurl(siteurl: str) -> None:
    parts = urlsplit(siteurl)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(
            f"SITEURL: {siteurl!r} is not an absolute http(s) URL; the sitemap, robots.txt, "
            "feeds and emails link absolutely. Set it in the settings file, or for "
            "`make site` in the SITEURL environment variable, e.g. https://tips.example.com"
        )


def x_default(alternates: Mapping[str, str], default_lang: str) -> str | None:
    """The default language's version, or the first (a page in one language)."""
    if default_lang in alternates:
        return alternates[default_lang]
    return next(iter(alternates.values()), None)


def sitemap_xml(entries: Iterable[SitemapEntry], siteurl: str, default_lang: str) -> str:
    # html.escape with quote=True escapes for XML text and attributes alike; it
    # is several times faster than xml.sax.saxutils on tens of thousands of URLs.
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    base = escape(siteurl) + "/"
    for entry in entries:
        lines.append(f"  <url>\n    <loc>{base}{escape(entry.url)}</loc>")
        if entry.lastmod is not None:
            lines.append(f"    <lastmod>{entry.lastmod.isoformat(timespec='seconds')}</lastmod>")
        links = list(entry.alternates.items())
        default = x_default(entry.alternates, default_lang)
        if default is not None:
            links.append(("x-default", default))
        lines.extend(
            f'    <xhtml:link rel="alternate" hreflang="{escape(lang)}" '
            f'href="{base}{escape(url)}"/>'
            for lang, url in links
        )
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(siteurl: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {siteurl}/sitemap.xml\n"


class SitemapGenerator(Generator):
    """Runs after the page generators: writes what they recorded."""

    def generate_context(self) -> None:
        self.tips = current_build().tips
        check_siteurl(self.tips.siteurl)
        self.context[CONTEXT_KEY] = SitemapEntries()

    def generate_output(self, writer) -> None:
        files = [os.path.join(self.output_path, name) for name in ("sitemap.xml", "robots.txt")]
        cache = current_build().render_cache
        if cache is not None and cache.only_text_changed and all(map(os.path.exists, files)):
            return  # the pages, their languages and dates are the last build's: so is this
        # By URL: the order pages were written in is not the site's to show
        # (it depends on which were rendered again), and a sitemap that changes
        # with it would differ between a rebuild and a clean build.
        recorded = self.context[CONTEXT_KEY].entries
        entries = [recorded[url] for url in sorted(recorded)]
        xml = sitemap_xml(entries, self.tips.siteurl, self.tips.default_lang)
        with atomic_open(files[0]) as handle:
            handle.write(xml)
        with atomic_open(files[1]) as handle:
            handle.write(robots_txt(self.tips.siteurl))
        logger.info("Sitemap: %d pages", len(entries))


def record_written(context: Mapping[str, Any]) -> None:
    """Pelican's ``content_written``: note the page in this build's sitemap."""
    entries = context.get(CONTEXT_KEY)
    if isinstance(entries, SitemapEntries):
        entries.record(context)
