"""The build's part of the newsletter: each email's web version, and its emails.

Runs after Pelican has read every tip, so it only renders and writes: nothing
is read again. The web version of a tip's email lives beside the tip, at
``<tip URL>email.html``. The emails the newsletter may send now (the site
model decided which, ``tip.email_skip``) are handed to the build's context,
and the sending step gets them from the build's summary.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from typing import Any

from pelican.generators import Generator

from tips_core.build_context import current_build
from tips_core.render_cache import key_of
from tips_core.safe_write import atomic_open
from tips_core.urls import save_as

from .email_source import email_source, subscribe_page_url, web_version_url
from .rendering import WEB, EmailRenderer, Variant
from .settings import NewsletterSettings

logger = logging.getLogger(__name__)


def web_variant(config: NewsletterSettings) -> Variant:
    return dataclasses.replace(WEB, postal_address=config.postal_address)


def published_tips(context: dict[str, Any]) -> list[Any]:
    """Every tip Pelican published, translations included."""
    every = []
    for article in context.get("articles", []):
        every.append(article)
        every.extend(article.translations)
    return every


class NewsletterGenerator(Generator):
    def generate_context(self) -> None:
        self.build = current_build()
        self.config = self.build.parsed(NewsletterSettings.from_pelican)

    def generate_output(self, writer) -> None:
        started = time.perf_counter()
        build, config = self.build, self.config
        tips = config.tips
        renderer = EmailRenderer(self.settings["THEME"], build.catalogs)
        variant = web_variant(config)
        written = 0
        # Web versions are rendered again only when what they show changed.
        cache = build.render_cache
        for tip in published_tips(self.context):
            model = tip.model
            if not model.newsletter:
                continue  # never emailed, so it has no email to show
            name = save_as(web_version_url(model.url))
            # The key names everything the web version shows, so the email
            # source (share links, absolute content) is built only when needed.
            subscribe = subscribe_page_url(build.model.pages, model.lang, tips.default_lang)
            key = key_of("email-web", tip, variant, subscribe, tips)
            fresh = cache is None or not cache.unchanged(name, key)
            due = not model.email_skip
            if not (fresh or due):
                continue
            source = email_source(model, tip.get_content(tips.siteurl), build.model, tips)
            if fresh:
                self._write_web_version(name, renderer.render_html(source, variant))
                written += 1
            if due:
                build.emails[source.key] = source
        logger.info(
            "Wrote %d email web versions; %d emails may be sent now, in %.2f s",
            written,
            len(build.emails),
            time.perf_counter() - started,
        )

    def _write_web_version(self, name: str, html: str) -> None:
        path = os.path.join(self.output_path, name)
        with atomic_open(path, "w", "utf-8") as handle:
            handle.write(html)
