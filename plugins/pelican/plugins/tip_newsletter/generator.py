"""The build's part of the newsletter: each email's web version, and its emails.

Runs after Pelican has read every tip, so it only renders and writes: nothing
is read again. The web version of a tip's email lives beside the tip, at
``<tip URL>email.html``. The emails the newsletter may send now (the site
model decided which, ``tip.email_skip``) are handed to the build's context,
and the sending step gets them from the build's summary.
"""

from __future__ import annotations

import dataclasses
import functools
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
        renderer = EmailRenderer(
            self.settings["THEME"], build.catalogs, build.templates.get("email")
        )
        variant = web_variant(config)
        # Web versions are rendered again only when what they show changed:
        # the key names everything the web version shows, so the email source
        # (share links, absolute content) is built only when needed.
        cache = build.render_cache
        for tip in published_tips(self.context):
            model = tip.model
            if not model.newsletter:
                continue  # never emailed, so it has no email to show
            name = save_as(web_version_url(model.url))
            subscribe = subscribe_page_url(build.model.pages, model.lang, tips.default_lang)
            if model.email_skip and cache is not None:  # not due: the page alone
                write = functools.partial(self._write_web_version, name, tip, renderer, variant)
                cache.defer(name, ("email-web", tip, variant, subscribe, tips), write)
                continue
            key = key_of("email-web", tip, variant, subscribe, tips)
            source = self._source(tip)
            if cache is None or not cache.unchanged(name, key):
                self._write_web_version(name, tip, renderer, variant, source)
            if not model.email_skip:
                build.emails[source.key] = source
        logger.info(
            "Email web versions queued; %d emails may be sent now, in %.2f s",
            len(build.emails),
            time.perf_counter() - started,
        )

    def _source(self, tip):
        tips = self.config.tips
        return email_source(tip.model, tip.get_content(tips.siteurl), self.build.model, tips)

    def _write_web_version(self, name, tip, renderer, variant, source=None) -> None:
        html = renderer.render_html(source or self._source(tip), variant)
        with atomic_open(os.path.join(self.output_path, name), "w", "utf-8") as handle:
            handle.write(html)
