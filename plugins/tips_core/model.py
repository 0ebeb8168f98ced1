"""The site as one build sees it: one value per tip and page file, built once.

A content file is read into a :class:`~tips_core.source_file.SourceFile`
(fields as typed, their lines, the body). This module turns every good one
into a :class:`Tip` or :class:`Page`: the ISO week and its label, the URLs,
the language versions, whether it is on the site yet and whether the
newsletter may email it now are decided here, once, against the build's clock.
Pelican renders from these values (the reader hands each file's value to
Pelican as ``model``), the newsletter emails from them, and the commands
report from them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .comment_archive import ArchivedComment, comments_path, read_comments
from .due import email_skip_reason
from .i18n import Catalogs
from .naming import email_identity
from .share import LazyShareLinks
from .site_settings import TipsSettings
from .source_file import TIP, SourceFile
from .urls import SiteUrls, content_location
from .weeks import IsoWeek, week_label

PUBLISHED = "published"
SCHEDULED = "scheduled"  # published, but dated after the build's clock
DRAFT = "draft"
OFF = "off"  # a signup page of a site that offers no signup (NEWSLETTER_SIGNUP = False)
SIGNUP_TEMPLATE = "subscribe"


@dataclass(frozen=True, eq=False)
class Page:
    """A page (about, subscribe) in one language."""

    path: str
    lang: str
    slug: str
    title: str
    summary: str
    state: str
    url: str
    save_as: str
    alternates: Mapping[str, str]  # live language versions' URLs, itself included

    @property
    def live(self) -> bool:
        return self.state == PUBLISHED


@dataclass(frozen=True, eq=False)
class Tip:
    """One tip in one language."""

    path: str
    lang: str
    slug: str
    title: str
    author: str
    tags: tuple[str, ...]
    summary: str
    series: str
    newsletter: bool
    date: datetime.datetime
    week: IsoWeek
    week_label: str  # "Ukens tips (8-2011)"
    state: str
    url: str  # relative to SITEURL, as every URL of the site
    save_as: str
    week_url: str
    author_url: str
    tag_links: tuple[tuple[str, str], ...]  # (tag, URL of its topic page)
    alternates: Mapping[str, str]  # live language versions' URLs, itself included
    share: LazyShareLinks
    email_skip: str  # '' when the newsletter may email it now, else why not
    lines: Mapping[str, int]  # front-matter field -> line, for messages
    comments: tuple[ArchivedComment, ...] = ()  # from the old blog, shown read-only

    @property
    def live(self) -> bool:
        return self.state == PUBLISHED

    @property
    def key(self) -> str:
        """One tip file's language version, as the build knows it (slug/lang)."""
        return f"{self.slug}/{self.lang}"

    @property
    def email_id(self) -> str:
        """The email this tip is: the unit the newsletter sends at most once, kept
        when the slug, title or date within the week changes."""
        return email_identity(self.series, self.week, self.lang)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, 1)


@dataclass(frozen=True)
class SiteModel:
    tips: tuple[Tip, ...]  # every good tip file, newest first, languages in site order
    pages: tuple[Page, ...]
    now: datetime.datetime

    def entry(self, path: str) -> Tip | Page | None:
        return self._by_path.get(path)

    @property
    def _by_path(self) -> dict[str, Tip | Page]:
        cached = self.__dict__.get("_paths")
        if cached is None:
            cached = {e.path: e for e in (*self.tips, *self.pages)}
            object.__setattr__(self, "_paths", cached)
        return cached

    def in_state(self, state: str) -> list[Tip | Page]:
        return [e for e in (*self.tips, *self.pages) if e.state == state]

    @property
    def live_languages(self) -> set[str]:
        """The languages with a tip on the site (what the search index holds)."""
        return {tip.lang for tip in self.tips if tip.live}


def publication_state(
    fields: Mapping[str, Any], now: datetime.datetime, preview_slug: str | None = None
) -> str:
    """Whether a file is on the site at ``now``: published, scheduled or draft.
    ``make preview`` shows its tip as it will be published, draft or not."""
    if fields["status"] == "draft" and fields["slug"] != preview_slug:
        return DRAFT
    date = fields.get("date")
    return SCHEDULED if date is not None and date > now else PUBLISHED


def _alternates(
    entries: Iterable[tuple[SourceFile, str, str]], languages: tuple[str, ...]
) -> dict[str, dict[str, str]]:
    """slug -> {lang: url} of the live versions, in site order."""
    by_slug: dict[str, dict[str, str]] = defaultdict(dict)
    for source, state, url in entries:
        if state == PUBLISHED:
            by_slug[source.fields["slug"]].setdefault(source.fields["lang"], url)
    order = {lang: i for i, lang in enumerate(languages)}
    return {
        slug: dict(sorted(urls.items(), key=lambda item: order[item[0]]))
        for slug, urls in by_slug.items()
    }


def build_model(
    sources: Iterable[SourceFile],
    settings: Mapping[str, Any],
    tips: TipsSettings,
    catalogs: Catalogs,
    now: datetime.datetime,
    max_age_days: int,
    preview_slug: str | None = None,
) -> SiteModel:
    """Every good file of a checked content tree, as the build at ``now`` sees it.

    ``settings`` are Pelican's (their ARTICLE_*/PAGE_* URL patterns place the
    files); ``max_age_days`` is the newsletter's age limit.
    """
    urls = SiteUrls(tips)
    placed: dict[str, list[tuple[SourceFile, str, str, str]]] = {"tip": [], "page": []}
    for source in sources:
        if not source.ok:
            continue
        kind = "ARTICLE" if source.kind == TIP else "PAGE"
        values = {"date": now, **source.fields}  # pages have no date of their own
        state = publication_state(source.fields, now, preview_slug)
        if source.fields.get("template") == SIGNUP_TEMPLATE and not tips.signup:
            state = OFF
        placed["tip" if source.kind == TIP else "page"].append(
            (
                source,
                state,
                content_location(kind, values, settings, "URL"),
                content_location(kind, values, settings, "SAVE_AS"),
            )
        )
    order = {lang: i for i, lang in enumerate(tips.languages)}
    tip_versions = _alternates(((s, st, u) for s, st, u, _ in placed["tip"]), tips.languages)
    page_versions = _alternates(((s, st, u) for s, st, u, _ in placed["page"]), tips.languages)
    model_tips = []
    for source, state, url, save_as in placed["tip"]:
        f = source.fields
        lang, week = f["lang"], IsoWeek.of(f["date"].date())
        gettext = catalogs.gettext(lang)
        model_tips.append(
            Tip(
                path=source.path,
                lang=lang,
                slug=f["slug"],
                title=f["title"],
                author=f["author"],
                tags=tuple(f.get("tags", ())),
                summary=f["summary"],
                series=f["series"],
                newsletter=f["newsletter"],
                date=f["date"],
                week=week,
                week_label=week_label(week, gettext),
                state=state,
                url=url,
                save_as=save_as,
                week_url=urls.week(lang, week),
                author_url=urls.author(lang, f["author"]),
                tag_links=tuple((tag, urls.tag(lang, tag)) for tag in f.get("tags", ())),
                alternates=tip_versions.get(f["slug"], {}) if state == PUBLISHED else {},
                share=LazyShareLinks(urls.absolute(url), f["title"], f["summary"], gettext),
                email_skip=email_skip_reason(
                    published=state != DRAFT,
                    newsletter=f["newsletter"],
                    date=f["date"],
                    now=now,
                    max_age_days=max_age_days,
                ),
                lines=dict(source.lines),
                comments=read_comments(comments_path(source.path), tips.timezone)[0],
            )
        )
    model_tips.sort(key=lambda t: (-t.date.timestamp(), t.slug, order.get(t.lang, len(order))))
    model_pages = tuple(
        Page(
            path=source.path,
            lang=source.fields["lang"],
            slug=source.fields["slug"],
            title=source.fields["title"],
            summary=source.fields.get("summary", ""),
            state=state,
            url=url,
            save_as=save_as,
            alternates=page_versions.get(source.fields["slug"], {}) if state == PUBLISHED else {},
        )
        for source, state, url, save_as in placed["page"]
    )
    return SiteModel(tuple(model_tips), model_pages, now)
