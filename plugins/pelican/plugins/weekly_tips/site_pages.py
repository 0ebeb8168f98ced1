"""The generator of each language's own pages: home, weeks, archive, tags,
authors, search, feed and 404.

It runs after Pelican has read every tip once (all languages in one site), and
only regroups and renders: no content is read or converted again per language.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from pelican.generators import Generator

from tips_core.build_context import current_build
from tips_core.urls import SiteUrls, save_as
from tips_core.weeks import IsoWeek, week_label

from .feeds import FEED_MAX_ITEMS, language_feed, write_feed
from .pagination import page_size, paginate
from .search_index import search_enabled
from .site_index import LanguageIndex, build_index

logger = logging.getLogger(__name__)

RECENT_ON_HOME = 10
RECENT_ON_404 = 3
MENU_PAGES = ("about", "subscribe")  # the pages linked from every page's menu


@dataclass(frozen=True)
class MenuLink:
    slug: str
    url: str
    title: str


@dataclass(frozen=True)
class Menu:
    """The menu of every page of a language: its pages, and whether its home
    holds this week's tip ("This week") or an older one ("Latest tip")."""

    links: tuple[MenuLink, ...]
    this_week: bool


def menu(lang_index: LanguageIndex, now_week: IsoWeek) -> Menu:
    latest = lang_index.latest
    return Menu(
        tuple(MenuLink(p.slug, p.url, p.title) for p in lang_index.pages if p.slug in MENU_PAGES),
        latest is not None and latest.model.week == now_week,
    )


class SitePagesGenerator(Generator):
    def generate_context(self) -> None:
        build = current_build()
        self.tips = build.tips
        self.urls = SiteUrls(self.tips)
        self.page_size = page_size(self.settings)
        self.with_search = search_enabled(self.settings)
        self.catalogs = build.catalogs
        self.render_cache = build.render_cache
        self.index = build_index(
            self.context.get("articles", []), self.context.get("pages", []), self.tips
        )
        self.context["tips_index"] = self.index
        # The clock's only use outside the model: tips_app/live_site.py rebuilds
        # text alone only within the ISO week of its last full build.
        now_week = IsoWeek.of(build.now.date())
        self.menus = {lang: menu(lang_index, now_week) for lang, lang_index in self.index.items()}
        for lang_index in self.index.values():
            for content in (*lang_index.tips, *lang_index.pages):
                content.menu = self.menus[lang_index.lang]

    def generate_output(self, writer) -> None:
        for lang_index in self.index.values():
            self._write_language(writer, lang_index)

    def _write(self, writer, url: str, template: str, lang: str, alternates: dict, **kwargs):
        # The writer derives the page's render key from these variables.
        writer.write_file(
            save_as(url),
            self.get_template(template),
            self.context,
            relative_urls=False,
            url=url,
            page_url=url,
            lang=lang,
            alternates=alternates,
            menu=self.menus[lang],
            template_name=template,
            **kwargs,
        )

    def _write_list(self, writer, url, template, lang, alternates, items, name, **kwargs):
        """A list in pages of TIPS_PAGE_SIZE; later pages have no translations."""
        for page in paginate(items, self.page_size, url):
            self._write(
                writer,
                page.url,
                template,
                lang,
                alternates if page.is_first else {lang: page.url},
                pagination=page,
                **{name: page.items},
                **kwargs,
            )

    def _every_language(self, url_of) -> dict[str, str]:
        return {lang: url_of(lang) for lang in self.tips.languages}

    def _write_language(self, writer, lang_index: LanguageIndex) -> None:
        lang, urls = lang_index.lang, self.urls
        self._write(
            writer,
            urls.home(lang),
            "index",
            lang,
            self._every_language(urls.home),
            latest=lang_index.latest,
            recent=lang_index.tips[1 : RECENT_ON_HOME + 1],
            tip_count=len(lang_index.tips),
        )
        weeks = sorted(lang_index.weeks.items(), key=lambda item: item[0], reverse=True)
        self._write_list(
            writer,
            urls.archive(lang),
            "archive",
            lang,
            self._every_language(urls.archive),
            [(week, tips, urls.week(lang, week)) for week, tips in weeks],
            "weeks",
        )
        self._write_weeks(writer, lang_index)
        self._write(
            writer,
            urls.tags(lang),
            "tags",
            lang,
            self._every_language(urls.tags),
            tags=[(tag, urls.tag(lang, tag), len(tips)) for tag, tips in lang_index.tags.items()],
        )
        for tag, tips in lang_index.tags.items():
            url = urls.tag(lang, tag)
            self._write_list(writer, url, "tag", lang, {lang: url}, tips, "tips", tag=tag)
        for author, tips in lang_index.authors.items():
            alternates = self._author_alternates(author)
            url = urls.author(lang, author)
            self._write_list(writer, url, "author", lang, alternates, tips, "tips", author=author)
        self._write(
            writer,
            urls.not_found(lang),
            "404",
            lang,
            self._every_language(urls.not_found),
            recent=lang_index.tips[:RECENT_ON_404],
        )
        if self.with_search:
            # The search page loads the pagefind index of its <html lang>.
            self._write(
                writer,
                urls.search(lang),
                "search",
                lang,
                self._every_language(urls.search),
                search_bundle=f"{self.tips.siteurl}/pagefind/pagefind.js",
            )
        self._write_feed(lang_index)

    def _write_weeks(self, writer, lang_index: LanguageIndex) -> None:
        lang = lang_index.lang
        weeks = sorted(lang_index.weeks)  # oldest first
        for i, week in enumerate(weeks):
            self._write(
                writer,
                self.urls.week(lang, week),
                "week",
                lang,
                self._week_alternates(week),
                week=week,
                week_label=week_label(week, self.catalogs.gettext(lang)),
                tips=lang_index.weeks[week],
                prev_week=self._week_link(lang, weeks[i - 1]) if i > 0 else None,
                next_week=self._week_link(lang, weeks[i + 1]) if i + 1 < len(weeks) else None,
            )

    def _week_link(self, lang: str, week: IsoWeek) -> tuple[str, str]:
        return week_label(week, self.catalogs.gettext(lang)), self.urls.week(lang, week)

    def _week_alternates(self, week: IsoWeek) -> dict[str, str]:
        return {
            lang: self.urls.week(lang, week)
            for lang, lang_index in self.index.items()
            if week in lang_index.weeks
        }

    def _author_alternates(self, author: str) -> dict[str, str]:
        return {
            lang: self.urls.author(lang, author)
            for lang, lang_index in self.index.items()
            if author in lang_index.authors
        }

    def _write_feed(self, lang_index: LanguageIndex) -> None:
        lang = lang_index.lang
        name = self.urls.feed(lang)
        gettext = self.catalogs.gettext(lang)
        feed_of = dict(
            tips=lang_index.tips[:FEED_MAX_ITEMS],
            lang=lang,
            title=self.tips.sitenames[lang],
            subtitle=gettext("A customer-service tip every week"),
            home_url=self.urls.absolute(self.urls.home(lang)),
            feed_url=self.urls.absolute(self.urls.feed(lang)),
            siteurl=self.tips.siteurl,
        )
        path = os.path.join(self.output_path, name)
        cache = self.render_cache
        if cache is None:
            write_feed(language_feed(**feed_of), path)
        else:  # rendered at the flush, like the pages, if its key changed
            cache.defer(name, ("feed", feed_of), lambda: write_feed(language_feed(**feed_of), path))
