"""The build's part of the newsletter: each email's web version, and the manifest.

Runs after the site's own generator has decorated every tip (week label,
share links, language versions), so it only renders and writes: nothing is
read again. The web version of a tip's email lives beside the tip, at
``<tip URL>email.html``; the manifest lists the emails that may be sent now.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import time
from typing import Any

from pelican.generators import Generator

from tips_core.i18n import Catalogs, translations_dir
from tips_core.render_cache import key_of
from tips_core.safe_write import atomic_open
from tips_core.urls import SiteUrls, save_as

from .due import is_candidate
from .email_source import EmailSource, from_tip, web_version_url
from .errors import ConfigurationError
from .manifest import write_manifest
from .rendering import WEB, EmailRenderer, Variant
from .settings import NewsletterSettings

logger = logging.getLogger(__name__)


def subscribe_page_url(index: dict[str, Any], lang: str, default_lang: str) -> str | None:
    """The subscribe page of a language, else the default language's one."""
    for candidate in (lang, default_lang):
        lang_index = index.get(candidate)
        if lang_index is None:
            continue
        for page in lang_index.pages:
            if page.slug == "subscribe":
                return page.url
    return None


def web_variant(config: NewsletterSettings) -> Variant:
    return dataclasses.replace(WEB, postal_address=config.postal_address)


class NewsletterGenerator(Generator):
    def generate_context(self) -> None:
        self.config = NewsletterSettings.from_pelican(self.settings)

    def generate_output(self, writer) -> None:
        started = time.perf_counter()
        index = self.context.get("tips_index")
        if index is None:
            raise ConfigurationError(
                "PLUGINS: pelican.plugins.tip_newsletter needs pelican.plugins.weekly_tips "
                "(it emails the tips that plugin indexes); list both"
            )
        config = self.config
        tips = config.tips
        urls = SiteUrls(tips)
        catalogs = Catalogs(translations_dir(self.settings), tips.languages, tips.default_lang)
        renderer = EmailRenderer(self.settings["THEME"], catalogs, sender=config.from_name)
        variant = web_variant(config)
        now = self.settings.get("TIPS_NOW") or datetime.datetime.now(tips.timezone)
        candidates: list[EmailSource] = []
        written = 0
        # Web versions are rendered again only when what they show changed.
        cache = self.settings.get("TIPS_RENDER_CACHE")
        for lang, lang_index in index.items():
            home_url = urls.absolute(urls.home(lang))
            subscribe = subscribe_page_url(index, lang, tips.default_lang)
            subscribe_url = urls.absolute(subscribe) if subscribe is not None else home_url
            for tip in lang_index.tips:
                if getattr(tip, "newsletter", True) is False:
                    continue  # never emailed, so it has no email to show
                name = save_as(web_version_url(tip.url))
                shown = dict(
                    siteurl=tips.siteurl,
                    sitename=tips.sitenames[lang],
                    home_url=home_url,
                    subscribe_url=subscribe_url,
                    url=tip.url,
                )
                # Keyed by what it is made of, so the email source (share links,
                # absolute content) is built only when needed.
                key = key_of("email-web", tip, shown, variant)
                fresh = cache is None or not cache.unchanged(name, key)
                due = not is_candidate(
                    published=True,
                    newsletter=True,
                    date=tip.date,
                    now=now,
                    max_age_days=config.max_age_days,
                )
                if not (fresh or due):
                    continue
                source = from_tip(tip, **shown)
                if fresh:
                    self._write_web_version(name, renderer.render_html(source, variant))
                    written += 1
                if due:
                    candidates.append(source)
        write_manifest(config.state_path, candidates, now.isoformat())
        logger.info(
            "Wrote %d email web versions and %d sendable emails in %.2f s",
            written,
            len(candidates),
            time.perf_counter() - started,
        )

    def _write_web_version(self, name: str, html: str) -> None:
        path = os.path.join(self.output_path, name)
        with atomic_open(path, "w", "utf-8") as handle:
            handle.write(html)
