"""From an export's items to the files of the new site, decided before anything
is written (so ``DRY_RUN=1`` reports exactly what a real run writes).

Every item of the export gets an :class:`Outcome`: the file it became and its
state, or why it was not imported. Nothing is dropped without one.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from tips_core.comment_archive import comments_path, comments_yaml
from tips_core.naming import tip_file_path
from tips_core.problems import WARNING, Problem
from tips_core.redirects import site_collision, unservable
from tips_core.slugs import slugify
from tips_core.weeks import IsoWeek

from .entries import ATTACHMENT, COMMENT, DRAFT, MENU_ITEM, PAGE, POST, TRASH, Export, Item
from .front_matter import page_text, tip_text
from .html_markdown import (
    comment_text,
    first_paragraph,
    image_sources,
    plain_text,
    to_markdown,
)
from .pairs import Original, normal
from .series import UNCATEGORIZED, Series, typed_label

SUMMARY_MAX = 140
MAX_TAGS = 20
_SENTENCE_RE = re.compile(r"^(.+?[.!?])(\s|$)")


@dataclass
class Existing:
    """What content/ already holds, apart from this import's own earlier files."""

    tip_slugs: set[tuple[str, str]] = field(default_factory=set)  # (slug, lang)
    page_slugs: set[tuple[str, str]] = field(default_factory=set)
    weeks: dict[tuple[str, IsoWeek], str] = field(default_factory=dict)  # -> its path
    site_urls: set[str] = field(default_factory=set)


@dataclass
class PlannedFile:
    path: str  # absolute
    text: str
    what: str  # tip, page, comments


@dataclass
class Outcome:
    kind: str
    source_id: str
    line: int
    title: str
    result: str  # "tip (published)", "not imported: spam", ...
    path: str = ""


@dataclass
class Plan:
    export: Export
    series: Series
    files: list[PlannedFile] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)  # (old path, target)
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unservable: list[tuple[str, str]] = field(default_factory=list)  # (old link, why)

    def counts(self) -> dict[str, Counter]:
        by_kind: dict[str, Counter] = defaultdict(Counter)
        for outcome in self.outcomes:
            by_kind[outcome.kind][outcome.result] += 1
        return by_kind


@dataclass
class _Tip:
    item: Item
    lang: str
    title: str
    date: datetime.datetime
    slug: str
    status: str
    reason: str
    in_series: bool
    path: str = ""


class Planner:
    def __init__(
        self,
        export: Export,
        series: Series,
        lang: str,
        content_path: str,
        timezone: ZoneInfo,
        languages: tuple[str, ...],
        prefix: str,
        existing: Existing,
        known_paths: dict[str, str],
        image_target=None,
        originals: dict[str, Original] | None = None,
    ):
        self.export = export
        self.series = series
        self.lang = lang
        self.content = content_path
        self.timezone = timezone
        self.languages = languages
        self.prefix = prefix  # of the language's URLs: '' or 'sv/'
        self.existing = existing
        self.known_paths = known_paths  # source id -> path an earlier run of this import wrote
        self.image_target = image_target
        self.originals = originals or {}  # source id -> the earlier import's tip (PAIRS=)
        self.plan = Plan(export, series)

    def _problem(self, item: Item, message: str) -> None:
        self.plan.problems.append(Problem(self.export.path, item.line, message, WARNING))

    def _outcome(self, item: Item, result: str, path: str = "", kind: str = "") -> None:
        self.plan.outcomes.append(
            Outcome(kind or item.kind, item.source_id, item.line, item.title, result, path)
        )

    def run(self) -> Plan:
        tips: list[_Tip] = []
        pages: list[tuple[Item, str, str]] = []
        for item in self.export.items:
            if item.kind == POST:
                tip = self._tip(item)
                if tip is not None:
                    tips.append(tip)
            elif item.kind == PAGE:
                if item.status == TRASH:
                    self._outcome(item, "not imported: in the trash")
                else:
                    pages.append((item, self._page_slug(item), item.title or item.slug))
            elif item.kind == ATTACHMENT:
                self._outcome(item, "media: linked where posts use it (see media)")
            elif item.kind == MENU_ITEM:
                self._outcome(item, "not imported: menus are the site's own")
            else:
                self._outcome(
                    item, f"not imported: {item.type_name or 'unknown'} entries hold no posts"
                )
        self._link_translations(tips)
        self._weeks(tips)
        links = self._link_map(tips, pages)
        for tip in tips:
            self._write_tip(tip, links)
        for item, slug, title in pages:
            self._write_page(item, slug, title, links)
        for comment in self.export.orphan_comments:
            self.plan.outcomes.append(
                Outcome(
                    COMMENT,
                    "",
                    comment.line,
                    comment.author,
                    "not imported: its post is not in the export",
                )
            )
        self._feed_and_topics(tips)
        self.plan.outcomes.sort(key=lambda o: o.line)
        return self.plan

    # -- tips -------------------------------------------------------------

    def _tip(self, item: Item) -> _Tip | None:
        if item.status == TRASH:
            self._outcome(item, "not imported: in the trash")
            return None
        if item.date is None:
            self._outcome(item, "not imported: the export gives it no date")
            self._problem(item, f"post '{item.title}' has no date: not imported")
            return None
        lang = _language(item.lang, self.languages) or self.lang
        date = item.date.astimezone(self.timezone).replace(second=0, microsecond=0)
        title = item.title.strip()
        label = typed_label(title)
        if label is not None:
            title = label.title
            week = IsoWeek.of(date.date())
            if (label.week, label.year) != (week.week, week.year):
                self._problem(
                    item,
                    f"'{item.title}' is labelled week {label.week}-{label.year}, but its date "
                    f"{date:%Y-%m-%d} is in week {week.week}-{week.year}: the label now follows "
                    "the date",
                )
        in_series = self.series.contains(item)
        status, reason = "published", ""
        if item.status == DRAFT:
            status, reason = "draft", item.status_reason
        elif not in_series:
            status, reason = "draft", f"outside the series ({self.series.describe()})"
        if not title:
            title = f"Untitled {item.source_id.split(':', 1)[1]}"
            if status != "draft":
                status, reason = "draft", "it has no title"
        slug = self._tip_slug(item, title, lang)
        return _Tip(item, lang, title, date, slug, status, reason, in_series)

    def _tip_slug(self, item: Item, title: str, lang: str) -> str:
        known = self.known_paths.get(item.source_id)
        if known:
            match = re.match(r"\d{4}-w\d{2}-(.+)\.[a-z]{2}\.md$", os.path.basename(known))
            if match:
                self.existing.tip_slugs.add((match[1], lang))
                return match[1]
        base = slugify(item.slug) or slugify(title) or f"post-{slugify(item.source_id)}"
        return _free(base, lang, self.existing.tip_slugs)

    def _page_slug(self, item: Item) -> str:
        known = self.known_paths.get(item.source_id)
        if known:
            slug = os.path.basename(known).split(".")[0]
            self.existing.page_slugs.add((slug, self.lang))
            self.existing.site_urls.add(f"{self.prefix}{slug}/")
            return slug
        base = slugify(item.slug) or slugify(item.title) or f"page-{slugify(item.source_id)}"
        slug = _free(base, self.lang, self.existing.page_slugs)
        self.existing.site_urls.add(f"{self.prefix}{slug}/")
        return slug

    def _link_translations(self, tips: list[_Tip]) -> None:
        """Polylang's translation groups, and the pairs of ``PAIRS=`` with tips of
        an earlier import: one slug, and the original's date when a translation
        is in another ISO week (the week label and URL follow it)."""
        groups: dict[str, list[_Tip]] = defaultdict(list)
        for tip in tips:
            if tip.item.translation_group:
                groups[tip.item.translation_group].append(tip)
        order = {lang: i for i, lang in enumerate((self.lang, *self.languages))}
        for group in groups.values():
            group.sort(key=lambda t: (order.get(t.lang, len(order)), t.item.line))
            original = group[0]
            for tip in group[1:]:
                if tip.lang != original.lang:
                    self._translate(
                        tip, original.slug, original.date, original.title, original.lang
                    )
        for tip in tips:
            paired = self.originals.get(tip.item.source_id)
            if paired is not None:
                self._translate(tip, paired.slug, paired.date, paired.title, paired.lang)

    def _translate(
        self, tip: _Tip, slug: str, date: datetime.datetime, title: str, lang: str
    ) -> None:
        if tip.slug != slug:
            if (slug, tip.lang) in self.existing.tip_slugs:
                self._problem(
                    tip.item,
                    f"'{tip.title}' ({tip.lang}) is a translation of '{title}' ({lang}), but "
                    f"slug '{slug}' is taken in {tip.lang}: it keeps '{tip.slug}'",
                )
                return
            self.existing.tip_slugs.discard((tip.slug, tip.lang))
            tip.slug = slug
            self.existing.tip_slugs.add((tip.slug, tip.lang))
        week = IsoWeek.of(date.date())
        if IsoWeek.of(tip.date.date()) != week:
            self._problem(
                tip.item,
                f"'{tip.title}' ({tip.lang}) is a translation of '{title}' ({lang}): its date "
                f"moved from {tip.date:%Y-%m-%d %H:%M} to {date:%Y-%m-%d %H:%M}, into its "
                f"original's week {week.code}",
            )
            tip.date = date

    def _weeks(self, tips: list[_Tip]) -> None:
        """One weekly tip per language and week: the later of two becomes a draft."""
        taken = dict(self.existing.weeks)
        live = sorted(
            (t for t in tips if t.status == "published"),
            key=lambda t: (t.date, t.item.line),
        )
        for tip in live:
            week = IsoWeek.of(tip.date.date())
            tip.path = self._tip_path(tip)
            other = taken.get((tip.lang, week))
            if other is None:
                taken[(tip.lang, week)] = tip.path
                continue
            tip.status = "draft"
            tip.reason = f"week {week.code} already has {os.path.relpath(other, self.content)}"
            self._problem(
                tip.item,
                f"'{tip.title}' and {os.path.relpath(other, self.content)} are both in week "
                f"{week.code} ({tip.lang}): the later one is imported as a draft; move it to a "
                "free week and remove 'status: draft' to publish it",
            )
        for tip in tips:
            tip.path = self._tip_path(tip)

    def _tip_path(self, tip: _Tip) -> str:
        """Where an earlier run put the tip, while it is there (``make tidy``
        renames a tip whose date or slug an author changed, and updates the
        record); else where its date and slug put it."""
        known = self.known_paths.get(tip.item.source_id)
        if known and os.path.exists(known):
            return known
        return tip_file_path(self.content, IsoWeek.of(tip.date.date()), tip.slug, tip.lang)

    def _write_tip(self, tip: _Tip, links) -> None:
        item = tip.item
        converted = self._convert(item, links, wordpress=item.source_id.startswith("wordpress:"))
        body = converted.markdown
        if not plain_text(item.html).strip() and "<img" not in item.html:
            body = "TODO: this post had no text in the old blog.\n"
            if tip.status != "draft":
                tip.status, tip.reason = "draft", "it has no text"
        tags = self._tags(item)
        summary = _summary(item.excerpt, item.html, tip.title)
        text = tip_text(
            title=tip.title,
            date=tip.date,
            lang=tip.lang,
            slug=tip.slug,
            author=item.author or self.export.title or "?",
            tags=tags,
            summary=summary,
            status=tip.status,
            body=body,
        )
        self.plan.files.append(PlannedFile(tip.path, text, "tip"))
        result = "tip (published)" if tip.status == "published" else f"tip (draft: {tip.reason})"
        self._outcome(item, result, tip.path)
        self._comments(item, tip)
        if tip.status == "published":
            self._redirect(item, os.path.relpath(tip.path, self.content))

    def _tags(self, item: Item) -> list[str]:
        tags: list[str] = []
        for _nicename, name in item.categories:
            if name.casefold() in UNCATEGORIZED or self.series.is_own_term(name):
                continue
            tags.append(name)
        tags += [t for t in item.tags if not self.series.is_own_term(t)]
        unique: list[str] = []
        for tag in tags:
            tag = " ".join(tag.split())
            if tag and tag.casefold() not in (u.casefold() for u in unique):
                unique.append(tag)
        return unique[:MAX_TAGS]

    def _convert(self, item: Item, links, wordpress: bool):
        def link_target(href: str) -> str | None:
            return links.get(normal(urljoin(item.link or self.export.base_url + "/", href)))

        converted = to_markdown(item.html, wordpress, link_target, self._images(item))
        if converted.unknown_shortcodes:
            self._problem(
                item,
                f"'{item.title}': shortcode(s) {', '.join(converted.unknown_shortcodes)} kept as "
                "text: replace them in the tip",
            )
        if converted.removed:
            self._problem(
                item,
                f"'{item.title}': removed {', '.join(sorted(set(converted.removed)))} "
                "(markup that runs code or loads other pages)",
            )
        return converted

    def _images(self, item: Item) -> dict[str, str]:
        """Image addresses: made absolute on the old blog, or where the media step
        put them (``{static}`` links)."""
        targets = {}
        for src in image_sources(item.html):
            absolute = urljoin(item.link or self.export.base_url + "/", src)
            year = str(item.date.year) if item.date else "undated"
            new = self.image_target(absolute, year) if self.image_target else None
            targets[src] = new or absolute
        return targets

    def _comments(self, item: Item, tip: _Tip) -> None:
        kept = []
        for comment in item.comments:
            if comment.kind in ("pingback", "trackback"):
                result = f"not imported: {comment.kind}"
            elif comment.status != "approved":
                result = f"not imported: {comment.status}"
            else:
                text = comment_text(comment.html)
                if not text:
                    result = "not imported: empty"
                else:
                    date = comment.date.astimezone(self.timezone) if comment.date else None
                    kept.append((" ".join(comment.author.split()) or "?", date, text))
                    result = "archived under its tip"
            self.plan.outcomes.append(
                Outcome(COMMENT, item.source_id, comment.line or item.line, comment.author, result)
            )
        if kept:
            kept.sort(key=lambda c: (c[1] is None, c[1] or tip.date))
            self.plan.files.append(
                PlannedFile(comments_path(tip.path), comments_yaml(kept), "comments")
            )

    # -- pages ------------------------------------------------------------

    def _write_page(self, item: Item, slug: str, title: str, links) -> None:
        path = os.path.join(self.content, "pages", f"{slug}.{self.lang}.md")
        status, reason = (
            ("draft", item.status_reason) if item.status == DRAFT else ("published", "")
        )
        body = self._convert(
            item, links, wordpress=item.source_id.startswith("wordpress:")
        ).markdown
        if not plain_text(item.html).strip():
            body = "TODO: this page had no text in the old blog.\n"
            status, reason = "draft", "it has no text"
        text = page_text(
            title=title or slug,
            lang=self.lang,
            slug=slug,
            summary=_summary(item.excerpt, item.html, title or slug),
            status=status,
            body=body,
        )
        self.plan.files.append(PlannedFile(path, text, "page"))
        self._outcome(
            item, "page (published)" if status == "published" else f"page (draft: {reason})", path
        )
        if status == "published":
            self._redirect(item, os.path.relpath(path, self.content))

    # -- old links --------------------------------------------------------

    def _link_map(self, tips: list[_Tip], pages) -> dict[str, str]:
        """Old addresses of every imported post and page -> its ``{filename}`` link."""
        links: dict[str, str] = {}
        base = self.export.base_url
        for tip in tips:
            target = "{filename}/" + os.path.relpath(tip.path, self.content).replace(os.sep, "/")
            for address in _addresses(tip.item, base):
                links.setdefault(address, target)
        for item, slug, _title in pages:
            target = f"{{filename}}/pages/{slug}.{self.lang}.md"
            for address in _addresses(item, base):
                links.setdefault(address, target)
        return links

    def _redirect(self, item: Item, target: str) -> None:
        if not item.link:
            return
        parts = urlsplit(item.link)
        old = parts.path + (f"?{parts.query}" if parts.query else "")
        why = unservable(old)
        if not why and site_collision(old, self.languages, self.existing.site_urls):
            why = "it is an address of this site's own pages"
        if why:
            self.plan.unservable.append((item.link, why))
            return
        self.plan.redirects.append((old, target.replace(os.sep, "/")))

    def _feed_and_topics(self, tips: list[_Tip]) -> None:
        """The old feed leads to the new one; category and tag archives to topics."""
        prefix = "/" + self.prefix.rstrip("/") if self.prefix else ""
        for feed in self.export.feed_paths:
            why = unservable(feed)
            if not why and site_collision(feed, self.languages, self.existing.site_urls, True):
                why = "it is an address of this site's own pages"
            if why:
                self.plan.unservable.append((self.export.base_url + feed, why))
                continue
            self.plan.redirects.append((feed, f"{prefix}/feeds/atom.xml"))
        live_tags = {
            t.casefold() for tip in tips if tip.status == "published" for t in self._tags(tip.item)
        }
        wordpress = self.export.format.startswith("WordPress")
        for tip in tips:
            for nicename, name in tip.item.categories:
                if name.casefold() in live_tags:
                    old = f"/category/{nicename}/" if wordpress else ""
                    self._topic(old, name, prefix)
            for tag in tip.item.tags:
                if tag.casefold() in live_tags:
                    old = f"/tag/{slugify(tag)}/" if wordpress else f"/search/label/{tag}"
                    self._topic(old, tag, prefix)

    def _topic(self, old: str, name: str, prefix: str) -> None:
        if not old or any(old == o for o, _ in self.plan.redirects):
            return
        if site_collision(old, self.languages, self.existing.site_urls):
            self.plan.unservable.append(
                (self.export.base_url + old, "it is an address of this site's own pages")
            )
            return
        self.plan.redirects.append((old, f"{prefix}/tags/{slugify(name) or 'tag'}/"))


def _language(code: str, languages: tuple[str, ...]) -> str | None:
    """Polylang's language of a post ("nb", "no", "en_GB") as a site language."""
    lang = code.lower().replace("_", "-").split("-")[0]
    lang = "nb" if lang == "no" else lang
    return lang if lang in languages else None


def _free(base: str, lang: str, taken: set[tuple[str, str]]) -> str:
    slug, n = base, 2
    while (slug, lang) in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add((slug, lang))
    return slug


def _addresses(item: Item, base: str) -> set[str]:
    found = {normal(item.link)} if item.link else set()
    if item.post_id and item.source_id.startswith("wordpress:"):
        found.add(normal(f"{base}/?p={item.post_id}"))
    return found


def _summary(excerpt: str, source_html: str, title: str) -> str:
    text = plain_text(excerpt) or first_paragraph(source_html)
    match = _SENTENCE_RE.match(text)
    summary = match.group(1) if match else text
    if len(summary) > SUMMARY_MAX:
        summary = summary[: SUMMARY_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return summary or title
