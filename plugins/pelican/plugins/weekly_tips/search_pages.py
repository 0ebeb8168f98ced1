"""The search page of each language (``<prefix>search/``).

The page holds a plain GET form; ``theme/js/search.js`` runs the query against
the pagefind index of the page's language (chosen by ``<html lang>``) and lists
the tips found. Only this page loads the index.
"""

from __future__ import annotations

from pelican.generators import Generator

from .search_index import search_enabled
from .site_settings import TipsSettings
from .urls import SiteUrls, save_as


class SearchPagesGenerator(Generator):
    def generate_context(self) -> None:
        self.tips = TipsSettings.from_pelican(self.settings)
        self.urls = SiteUrls(self.tips)

    def generate_output(self, writer) -> None:
        if not search_enabled(self.settings):
            return
        alternates = {lang: self.urls.search(lang) for lang in self.tips.languages}
        for lang in self.tips.languages:
            url = self.urls.search(lang)
            writer.write_file(
                save_as(url),
                self.get_template("search"),
                self.context,
                relative_urls=False,
                url=url,
                page_url=url,
                lang=lang,
                alternates=alternates,
                template_name="search",
                search_bundle=f"{self.tips.siteurl}/pagefind/pagefind.js",
            )
