"""Signal handlers: the thin glue between Pelican and the modules that do the work."""

from __future__ import annotations

from typing import Any

from pelican.urlwrappers import Author, Category, Tag

from tips_core.build_context import current_build
from tips_core.i18n import TemplateI18n, language_name
from tips_core.link_check import ATTACH_RE
from tips_core.urls import SiteUrls

from .pelican_scaling import skip_unwritten_lists
from .reader import TipReader
from .redirect_pages import RedirectPagesGenerator
from .site_pages import SitePagesGenerator
from .sitemap import SitemapGenerator, record_written
from .structured_data import blog_posting, og_locale, script_json
from .writer import AtomicWriter


def on_readers_init(readers) -> None:
    """Markdown with YAML front matter is the only content format. Pelican's
    "static" reader stays: it is how images in content/images/ are copied."""
    for ext in list(readers.reader_classes):
        if ext != "static":
            readers.reader_classes[ext] = None
    for ext in TipReader.file_extensions:
        readers.reader_classes[ext] = TipReader


def on_content_metadata(generator, metadata: dict[str, Any]) -> None:
    """Turn the reader's plain data into the objects Pelican expects."""
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


def on_generator_init(generator) -> None:
    """Give every generator's templates gettext, Babel dates and the site's URLs."""
    build = current_build()
    tips = build.tips
    TemplateI18n(build.catalogs).install(generator.env)
    # Every build makes new environments, so a changed template is read anyway;
    # checking each template file's time at every include costs a stat per include.
    generator.env.auto_reload = False
    generator.env.bytecode_cache = build.templates.get("site")  # compiled in an earlier build
    generator.env.globals.update(
        site_urls=SiteUrls(tips),
        site_languages=tips.languages,
        sitenames=tips.sitenames,
        language_name=language_name,
        blog_posting=blog_posting,
        og_locale=og_locale,
    )
    generator.env.filters["script_json"] = script_json


def on_generator_finalized(generator) -> None:
    """Pelican hangs translations on each item in the order its files were read,
    which varies between processes; a render key includes them, so a fixed order
    is what lets a new process reuse the last build's pages. Each item is noted
    in the build by its file (``BuildContext.contents``)."""
    skip_unwritten_lists(generator)
    contents = current_build().contents
    for name in ("articles", "translations", "drafts", "drafts_translations", "pages",
                 "hidden_pages", "draft_pages"):  # fmt: skip
        for item in getattr(generator, name, ()) or ():
            contents[item.source_path] = item
            translations = getattr(item, "translations", None)
            if translations:
                item.translations = sorted(translations, key=_reading_order)


def on_all_generators_finalized(_generators) -> None:
    """Pelican moves a file linked with ``{attach}`` next to the tip that links
    it when it first resolves that tip's text, a side effect on the file's
    Static object. Resolved here, in the build process before any page
    renders, the move happens in every build, in the same order: a forked
    renderer's move would stay in that process (the file copied to its old
    place), and a page whose render key is kept is not read at all."""
    build = current_build()
    live = _live_contents(build)
    # One order for every build; a tip not rendered is not read: it moves nothing.
    for content in live:
        text = getattr(content, "_content", None) or ""
        if "attach" in text and ATTACH_RE.search(text):
            _ = content.content  # resolved now; Pelican memoizes it for the render
    if build.render_cache is not None:
        build.render_cache.sign_contents(live)  # a cold build's: see there


def _live_contents(build) -> list:
    """The tips and pages on the site, in the order of their paths."""
    live = []
    for path in sorted(build.contents):
        entry = build.model.entry(path)
        if entry is not None and entry.live:
            live.append(build.contents[path])
    return live


def on_static_generator_finalized(generator) -> None:
    """Pelican copies the static files itself, not through the writer: the
    build notes them (their place is final once every page is rendered: a
    file linked with {attach} moves next to its tip)."""
    current_build().statics = generator.staticfiles


def _reading_order(item) -> tuple[str, str]:
    return (item.lang, item.source_path)


def get_generators(pelican):
    # The sitemap comes last: it lists what the others wrote.
    return (SitePagesGenerator, RedirectPagesGenerator, SitemapGenerator)


def on_content_written(path: str, context: dict[str, Any]) -> None:
    record_written(context)


def on_article_writer_finalized(generator, writer) -> None:
    """Every tip page is written: the build may start its search index now."""
    build = current_build()
    if build.on_tip_pages_written is not None:
        if build.render_cache is not None:
            build.render_cache.flush()  # the tip pages, before the index reads them
        build.on_tip_pages_written()


def get_writer(pelican):
    return AtomicWriter
