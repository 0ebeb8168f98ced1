"""Old addresses of imported blogs: a small page at each, and ``_redirects``.

From the redirect list (``content/redirects.yaml``, tips_core/redirects.py):
a page with a meta refresh, ``rel=canonical``, ``noindex`` and a visible link
at each old path (hosts that serve files only, like GitHub Pages), and one
``_redirects`` file (Netlify, Cloudflare Pages) with a 301 for each, feeds
included (feed readers ignore a meta refresh). Redirect pages are written
through the site's writer, so a rebuild deletes those no longer listed; they
are not recorded in the sitemap and hold no ``data-pagefind-body``, so
neither search engines nor the site search list them. An old path that is an
address of the site's own pages is never written (`make check` says so).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from pelican.generators import Generator

from tips_core.build_context import current_build
from tips_core.redirects import (
    Redirect,
    output_file,
    quote_path,
    read_redirects,
    site_collision,
)
from tips_core.render_cache import key_of
from tips_core.safe_write import atomic_open

logger = logging.getLogger(__name__)

NETLIFY_FILE = "_redirects"


@dataclass(frozen=True)
class Destination:
    url: str  # relative to SITEURL
    title: str
    lang: str


class RedirectPagesGenerator(Generator):
    def generate_context(self) -> None:
        build = current_build()
        self.tips = build.tips
        self.model = build.model
        self.render_cache = build.render_cache
        self.redirects = read_redirects(self.settings["PATH"])[0]

    def _destination(self, redirect: Redirect) -> Destination | None:
        if not redirect.to_content:
            return Destination(redirect.target.lstrip("/"), redirect.target, self.tips.default_lang)
        path = os.path.abspath(os.path.join(self.settings["PATH"], redirect.target))
        entry = self.model.entry(path) if self.model is not None else None
        if entry is None or not entry.live:
            return None  # a draft or a missing file: `make check` names the line
        return Destination(entry.url, entry.title, entry.lang)

    def generate_output(self, writer) -> None:
        page_urls = {page.url for page in self.model.pages} if self.model else set()
        template = self.get_template("redirect")
        lines, files = [], set()
        for redirect in self.redirects:
            destination = self._destination(redirect)
            if destination is None or site_collision(
                redirect.source, self.tips.languages, page_urls, redirect.to_feed
            ):
                continue
            lines.append(f"{quote_path(redirect.source)} /{destination.url} 301\n")
            name = output_file(redirect.source)
            if redirect.to_feed or name in files:
                continue
            files.add(name)
            writer.write_file(
                name,
                template,
                self.context,
                relative_urls=False,
                lang=destination.lang,
                target_url=self.tips.absolute(destination.url),
                target_title=destination.title,
                template_name="redirect",
            )
        if lines:
            self._write_netlify("".join(lines))

    def _write_netlify(self, text: str) -> None:
        cache = self.render_cache
        if cache is not None and cache.unchanged(NETLIFY_FILE, key_of(NETLIFY_FILE, text)):
            return
        with atomic_open(os.path.join(self.output_path, NETLIFY_FILE)) as handle:
            handle.write(text)
