"""Content that would be lost or overwritten between reading and writing,
found before anything is built.

Each file can be fine on its own and still break the site: two spellings of
one topic ("Phone", "phone") share the page ``tags/phone/``; a page with the
slug ``sv`` would take the place of the Swedish home page; a tip outside
``content/tips/`` is never read by Pelican. Pelican would overwrite, skip or
drop these silently, or stop halfway through writing ``output/``. Here each
one is an error at its line, so the build stops before it writes anything.

Markdown files that are never published (hidden ones, those in an image
folder) are warnings: nothing is dropped without saying so.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .content_files import walk_content
from .naming import tip_file_path
from .problems import WARNING, Problem, display_path
from .site_settings import TipsSettings
from .slugs import slugify
from .source_file import PAGE, TIP, SourceFile
from .urls import SiteUrls, content_location, save_as
from .weeks import IsoWeek


def address_problems(
    sources: Iterable[SourceFile], settings: Mapping[str, Any], tips_settings: TipsSettings
) -> list[Problem]:
    urls = SiteUrls(tips_settings)
    published = [s for s in sources if s.ok and s.fields.get("status") == "published"]
    tips = [s for s in published if s.kind == TIP]
    pages = [s for s in published if s.kind == PAGE]
    problems = _shared_pages(tips, "tags", "tag", "topic", urls.tag)
    problems += _shared_pages(tips, "author", "author", "author", urls.author)
    problems += _pages_in_place_of_site_pages(pages, settings, tips_settings, urls)
    problems += _tips_outside_article_paths(tips, settings)
    problems += _unpublished_markdown(settings)
    return problems


def _values(source: SourceFile, field: str) -> list[str]:
    value = source.fields.get(field)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [str(value)]


def _shared_pages(
    tips: list[SourceFile], field: str, noun: str, what: str, url_of: Callable[[str, str], str]
) -> list[Problem]:
    """Topics (or authors) get a page each at an address made from their name:
    two names making one address would make two pages at one place."""
    problems = []
    # (lang, slug) -> spelling -> the tips that use it
    spellings: dict[tuple[str, str], dict[str, list[SourceFile]]] = defaultdict(dict)
    slugs: dict[str, str] = {}  # the same few names come back in tip after tip
    for tip in tips:
        lang = tip.fields["lang"]
        for name in _values(tip, field):
            slug = slugs.get(name)
            if slug is None:
                slug = slugs[name] = slugify(name)
            if not slug:
                problems.append(
                    Problem(
                        tip.path,
                        tip.line_of(field),
                        f"the {noun} '{name}' has no letter or digit to make the address of its "
                        f"{what} page from: write it with letters",
                    )
                )
                continue
            spellings[(lang, slug)].setdefault(name, []).append(tip)
    for (lang, slug), by_name in spellings.items():
        if len(by_name) < 2:
            continue
        names = " and ".join(", ".join(f"'{n}'" for n in sorted(by_name)).rsplit(", ", 1))
        users = list({id(t): t for group in by_name.values() for t in group}.values())
        for tip in users:
            others = sorted((t for t in users if t is not tip), key=lambda t: t.path)
            seen = f" (also in {_where(others, field)})" if others else ""
            problems.append(
                Problem(
                    tip.path,
                    tip.line_of(field),
                    f"the {noun}s {names} would share one {what} page ({url_of(lang, slug)}) in "
                    f"'{lang}'{seen}: spell them the same way everywhere",
                )
            )
    return problems


def _where(sources: list[SourceFile], field: str) -> str:
    places = [f"{display_path(s.path)}:{s.line_of(field)}" for s in sources[:3]]
    more = len(sources) - len(places)
    return ", ".join(places) + (f" and {more} more" if more else "")


def _pages_in_place_of_site_pages(
    pages: list[SourceFile], settings: Mapping[str, Any], tips: TipsSettings, urls: SiteUrls
) -> list[Problem]:
    """The site writes a home, archive, topics and search page per language;
    a page with the same address would replace one of them."""
    reserved: dict[str, str] = {}
    for lang in tips.languages:
        reserved[save_as(urls.home(lang))] = f"the home page of '{lang}'"
        reserved[save_as(urls.archive(lang))] = f"the list of all weeks in '{lang}'"
        reserved[save_as(urls.tags(lang))] = f"the list of topics in '{lang}'"
        reserved[save_as(urls.search(lang))] = f"the search page of '{lang}'"
    problems = []
    for page in pages:
        try:
            name = content_location("PAGE", page.fields, settings, "SAVE_AS")
        except (KeyError, IndexError, ValueError):
            continue  # a PAGE_SAVE_AS this check cannot fill in: Pelican decides
        if name in reserved:
            problems.append(
                Problem(
                    page.path,
                    page.line_of("slug"),
                    f"with the slug '{page.fields['slug']}' this page would be written to "
                    f"{name}, in place of {reserved[name]}: give the page another slug",
                )
            )
    return problems


def _tips_outside_article_paths(
    tips: list[SourceFile], settings: Mapping[str, Any]
) -> list[Problem]:
    """Pelican reads tips only from ARTICLE_PATHS (content/tips/)."""
    content = os.path.abspath(settings["PATH"])
    roots = [os.path.join(content, p) for p in settings.get("ARTICLE_PATHS", [""])]
    if any(os.path.normpath(root) == content for root in roots):
        return []
    roots = [os.path.join(root, "") for root in roots]
    problems = []
    roots_tuple = tuple(roots)
    for tip in tips:
        if tip.path.startswith(roots_tuple) or os.path.abspath(tip.path).startswith(roots_tuple):
            continue
        problems.append(
            Problem(
                tip.path,
                1,
                f"a tip must be in {display_path(roots[0]).rstrip(os.sep)}/ to be published "
                "(the build reads "
                f"tips only there): move it to {display_path(_conventional_path(tip, roots[0]))}",
            )
        )
    return problems


def _conventional_path(tip: SourceFile, root: str) -> str:
    week = IsoWeek.of(tip.fields["date"].date())
    return tip_file_path(root, week, tip.fields["slug"], tip.fields["lang"], tips_folder="")


def _unpublished_markdown(settings: Mapping[str, Any]) -> list[Problem]:
    """Markdown files the build never publishes: hidden ones (the check skips
    them too) and those in a folder of images (copied as files)."""
    content = settings["PATH"]
    static_roots = tuple(
        os.path.join(content, d) + os.sep for d in settings.get("STATIC_PATHS", ())
    )
    problems = []
    for file in walk_content(content):
        if not file.markdown:
            continue
        path = file.path
        if file.hidden:
            if os.path.isfile(path):  # not an editor's lock link
                problems.append(
                    Problem(
                        path,
                        1,
                        "this file is hidden (its name or folder starts with '.'), so it "
                        "is not published: rename it if it is a tip or page",
                        WARNING,
                    )
                )
        elif path.startswith(static_roots):
            problems.append(
                Problem(
                    path,
                    1,
                    "a Markdown file in a folder of images is copied as it is, not "
                    "published: move tips to content/tips/ and pages to content/pages/",
                    WARNING,
                )
            )
    return problems
