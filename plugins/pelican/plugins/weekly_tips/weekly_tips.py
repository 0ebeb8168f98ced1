"""Signal handlers: the thin glue between Pelican and the modules that do the work."""

from __future__ import annotations

import datetime
from typing import Any

from pelican.generators import ArticlesGenerator
from pelican.urlwrappers import Author, Category, Tag

from tips_core.i18n import Catalogs, TemplateI18n, language_name, translations_dir
from tips_core.site_settings import TipsSettings
from tips_core.urls import SiteUrls, content_location

from .reader import TipReader
from .search_index import index_entry_exists
from .site_pages import SitePagesGenerator
from .sitemap import SitemapGenerator, record_written
from .structured_data import blog_posting, og_locale, script_json
from .writer import AtomicWriter


def on_initialized(pelican) -> None:
    """Check our settings before anything is read."""
    TipsSettings.from_pelican(pelican.settings)


def on_readers_init(readers) -> None:
    """Markdown with YAML front matter is the only content format. Pelican's
    "static" reader stays: it is how images in content/images/ are copied."""
    for ext in list(readers.reader_classes):
        if ext != "static":
            readers.reader_classes[ext] = None
    for ext in TipReader.file_extensions:
        readers.reader_classes[ext] = TipReader


def on_content_metadata(generator, metadata: dict[str, Any]) -> None:
    """Turn the reader's plain (cacheable) data into what Pelican expects.

    A tip dated after the build's "now" is held back like a draft. This is
    decided here, not in the reader, because the reader's output is cached.
    """
    now = generator.settings.get("TIPS_NOW") or datetime.datetime.now(datetime.UTC)
    date = metadata.get("date")
    # `make preview` shows a tip as it will be published, even while it is a draft.
    preview_slug = generator.settings.get("TIPS_PREVIEW_SLUG")
    if preview_slug and date is not None and metadata.get("slug") == preview_slug:
        metadata["status"] = "published"
    if date is not None and date > now:
        metadata["status"] = "draft"
    # Pelican's draft writer needs a category even when categories are off.
    metadata.setdefault(
        "category", Category(generator.settings["DEFAULT_CATEGORY"], generator.settings)
    )
    author = metadata.get("author")
    if isinstance(author, str):
        metadata["author"] = Author(author, generator.settings)
        metadata["authors"] = [metadata["author"]]
    tags = metadata.get("tags")
    if tags and isinstance(tags[0], str):
        metadata["tags"] = [Tag(tag, generator.settings) for tag in tags]
    if metadata.get("status", "published") == "published" and "slug" in metadata:
        # Pelican recomputes url and save_as from its settings on every access
        # (thousands of times a build); given as metadata, they are computed once.
        kind = "ARTICLE" if isinstance(generator, ArticlesGenerator) else "PAGE"
        values = {"date": datetime.datetime.now(), **metadata}
        metadata["url"] = content_location(kind, values, generator.settings, "URL")
        metadata["save_as"] = content_location(kind, values, generator.settings, "SAVE_AS")


def on_generator_init(generator) -> None:
    """Give every generator's templates gettext, Babel dates and the site's URLs."""
    settings = generator.settings
    tips = TipsSettings.from_pelican(settings)
    catalogs = Catalogs(translations_dir(settings), tips.languages, tips.default_lang)
    TemplateI18n(catalogs).install(generator.env)
    generator.env.globals.update(
        site_urls=SiteUrls(tips),
        site_languages=tips.languages,
        sitenames=tips.sitenames,
        language_name=language_name,
        blog_posting=blog_posting,
        og_locale=og_locale,
    )
    generator.env.filters["script_json"] = script_json


def get_generators(pelican):
    # The sitemap comes last: it lists what the others wrote.
    return (SitePagesGenerator, SitemapGenerator)


def on_content_written(path: str, context: dict[str, Any]) -> None:
    record_written(context)


def on_article_writer_finalized(generator, writer) -> None:
    """Every tip page is written: start the search index while the rest renders."""
    cache = generator.settings.get("TIPS_RENDER_CACHE")
    job = generator.settings.get("TIPS_SEARCH_JOB")
    if cache is not None:
        cache.remove_stale_tips()
    if job is not None and (
        cache is None or cache.tips_changed or not index_entry_exists(generator.output_path)
    ):
        job.start()


def get_writer(pelican):
    return AtomicWriter
