"""One build, start to finish: check the content, run Pelican, verify the output.

Pelican logs and skips a file it cannot read and still exits 0. Here nothing
is dropped silently: bad content stops the build before Pelican runs, an error
that Pelican logs fails the build, and every tip and page that should be on the
site is checked to have been written.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pelican import Pelican
from pelican.contents import Content
from pelican.log import console as pelican_console
from pelican.settings import read_settings

from pelican.plugins.tip_newsletter.settings import NewsletterSettings
from pelican.plugins.weekly_tips.search_index import (
    SearchIndex,
    SearchJob,
    index_entry_exists,
    remove_bundle,
    search_enabled,
    tip_page_language,
)
from tips_core.address_check import address_problems
from tips_core.build_context import BuildContext
from tips_core.content_check import ContentReport, check_content
from tips_core.errors import BuildError, ConfigurationError, ContentError
from tips_core.forked import Background, ChildFailed
from tips_core.i18n import Catalogs
from tips_core.model import DRAFT, SCHEDULED, SiteModel, build_model
from tips_core.problems import Problem, display_path
from tips_core.render_cache import RenderCache, site_fingerprint
from tips_core.site_settings import TipsSettings
from tips_core.template_cache import template_caches

from .build_guard import BuildNote, build_lock
from .content_state import ContentState, content_state
from .email_checks import email_problems, sent_email_problems
from .serving import refuse_while_served
from .staging import Staging
from .translation_history import outdated_paths, outdated_translations


@dataclass
class BuildSummary:
    settings: dict[str, Any]
    report: ContentReport
    context: BuildContext  # the build's model, typed settings, catalogs and emails
    pages_rendered: int = 0
    pages_unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    search: SearchIndex | None = None
    search_job: SearchJob | None = None  # still indexing (a build that did not wait)
    text_only: bool = False  # a `make serve` rebuild of changed text alone (live_site.py)
    content: ContentState | None = None  # what the pages are made of (content_state.py)

    @property
    def model(self) -> SiteModel:
        return self.context.model

    @property
    def catalogs(self) -> Catalogs:
        return self.context.catalogs

    @property
    def emails(self) -> dict[str, Any]:
        """The emails the newsletter may send now, by tip key, as this build made them."""
        return self.context.emails

    @property
    def newsletter(self) -> NewsletterSettings:
        return self.context.parsed(NewsletterSettings.from_pelican)

    @property
    def published(self) -> Counter:
        """Tips on the site, per language."""
        return Counter(t.lang for t in self.model.tips if t.live)

    @property
    def scheduled(self) -> list:
        return self.model.in_state(SCHEDULED)

    @property
    def drafts(self) -> list:
        return self.model.in_state(DRAFT)

    def lines(self) -> list[str]:
        per_lang = self.published
        langs = ", ".join(f"{lang} {per_lang[lang]}" for lang in self.context.tips.languages)
        pages = sum(1 for p in self.model.pages if p.live)
        scheduled, drafts = self.scheduled, self.drafts
        out = [
            f"Read {len(self.report.sources)} files: {sum(per_lang.values())} tips "
            f"published ({langs}), {pages} pages, "
            f"{len(scheduled)} scheduled, {len(drafts)} drafts.",
            f"Wrote {self.pages_rendered} pages to {self.settings['OUTPUT_PATH']} "
            f"({self.pages_unchanged} unchanged, {len(self.removed)} removed) "
            f"in {self.seconds:.1f} s.",
        ]
        if self.search_job is not None:
            out.append("Search index: being updated in the background.")
        if self.search is not None:
            out.append(
                f"Search index: {self.search.pages} pages in {self.search.languages} "
                f"languages in {self.search.seconds:.2f} s."
            )
        out.extend(
            f"Scheduled: {display_path(t.path)} ({t.lang}) appears on {t.date:%Y-%m-%d %H:%M}."
            for t in scheduled
        )
        out.extend(f"Draft, not published: {display_path(d.path)}" for d in drafts)
        return out


def load_settings(settings_file: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    try:
        settings = read_settings(settings_file, override=dict(overrides or {}))
    except FileNotFoundError as exc:
        raise ConfigurationError(f"settings file not found: {settings_file}") from exc
    except SyntaxError as exc:
        raise ConfigurationError(
            f"{display_path(exc.filename or settings_file)}:{exc.lineno or 1}: the settings "
            f"file is not valid Python ({exc.msg}); fix that line"
        ) from None
    TipsSettings.from_pelican(settings)
    return settings


def check(
    settings: dict[str, Any],
    now: datetime.datetime | None = None,
    context: BuildContext | None = None,
) -> ContentReport:
    """Check all content. With ``now`` (``make check``), also say which tips are
    scheduled, and check the emails of the tips that can still be emailed."""
    with fewer_collections():  # `make check` makes a site model too: see there
        return _check(settings, now, context or BuildContext.create(settings, now))


def _check(
    settings: dict[str, Any], now: datetime.datetime | None, context: BuildContext
) -> ContentReport:
    report = check_content(
        settings["PATH"],
        context.store.rules,
        now,
        tuple(settings["PAGE_PATHS"]),
        tuple(settings["STATIC_PATHS"]),
        context.store,
        context.authoring,
    )
    report.problems.extend(address_problems(report.sources, settings, context.tips))
    if now is not None:  # the commands, never the build: it does not depend on git
        outdated = outdated_translations(report.tips, settings["PATH"])
        report.outdated = outdated_paths(outdated)
        report.problems.extend(outdated)
    if now is not None and not report.errors:
        model = site_model(settings, report, now, None, context)
        report.problems.extend(email_problems(context, model))
        report.problems.extend(sent_email_problems(context, model))
    report.problems.sort()
    return report


class _PelicanLog(logging.Handler):
    """Collects what Pelican logs at WARNING and above during a build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not hide the build's result
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message}: {record.exc_info[1]}"
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


def build(
    settings: dict[str, Any],
    now: datetime.datetime | None = None,
    wait_for_search: bool = True,
    preview_slug: str | None = None,
    staged: bool = False,
    keep: bool = False,
) -> BuildSummary:
    """One build at a time per cache (build_guard.py): see ``_build``.

    ``staged`` (production builds) builds into a copy of the site and replaces
    output/ only when everything, the search index included, is written
    (staging.py). ``keep`` (`make serve`) keeps every page's render in the
    summary's render cache, for a rebuild of text alone (live_site.py)."""
    if staged:  # production: readers see the site
        refuse_while_served(settings)  # serving.py: the production site would replace it
        NewsletterSettings.from_pelican(settings).check_signup()
    with build_lock(settings.get("CACHE_PATH")), fewer_collections():
        staging = Staging(settings["OUTPUT_PATH"]) if staged else None
        if staging is None:
            return _build(settings, now, wait_for_search, preview_slug, keep=keep)
        fresh = bool(settings.get("DELETE_OUTPUT_DIRECTORY"))  # Pelican would empty it
        staged_settings = dict(settings, OUTPUT_PATH=staging.prepare(copy=not fresh))
        try:
            summary = _build(staged_settings, now, True, preview_slug, staging.publish)
        finally:
            staging.discard()  # after a failure; after success it is output/ already
        summary.settings = settings
        return summary


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """A build makes millions of small objects (render keys, template output)
    beside a site model that lives as long as it does; Python's default
    thresholds walk that model again and again (a second of a `make serve`
    rebuild at 5,000 tips). Collected less often during the build; what
    ``keep_from_collections`` froze in it is collected again after it."""
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if not frozen:
            gc.unfreeze()


def keep_from_collections() -> None:
    """The checked content, its store and model live until the build ends:
    collections need not walk them again (with fewer collections, they still
    took half a second of a build after one edit at 5,000 tips). Inside
    ``fewer_collections`` only."""
    gc.freeze()


def site_model(
    settings: dict[str, Any],
    report: ContentReport,
    now: datetime.datetime,
    preview_slug: str | None = None,
    context: BuildContext | None = None,
) -> SiteModel:
    """The checked content as the build at ``now`` sees it (tips_core.model)."""
    context = context or BuildContext.create(settings, now)
    return build_model(
        report.sources,
        settings,
        context.tips,
        context.catalogs,
        now,
        context.parsed(NewsletterSettings.from_pelican).max_age_days,
        preview_slug,
    )


def _build(
    settings: dict[str, Any],
    now: datetime.datetime | None,
    wait_for_search: bool,
    preview_slug: str | None,
    publish: Callable[[], None] | None = None,
    keep: bool = False,
) -> BuildSummary:
    """Build the site described by ``settings``; raise TipsError on any problem.

    With ``wait_for_search=False`` (how `make serve` rebuilds) the build returns
    as soon as the pages are written, and a search index still being made is
    left in ``summary.search_job`` for the caller to finish with ``finish_search``.
    ``publish`` (a staged build's) runs once everything is written, before the
    build is noted as complete.
    """
    started = time.time()
    output = settings["OUTPUT_PATH"]
    context, report = checked_context(settings, now, preview_slug)
    keep_from_collections()
    store = context.store
    summary = BuildSummary(settings, report, context)
    note = BuildNote(settings.get("CACHE_PATH"), output)
    interrupted = note.begin()  # an interrupted build's pages are not trusted
    fingerprint = site_fingerprint(settings)
    context.render_cache = render_cache = RenderCache(
        settings.get("CACHE_PATH"), output, fingerprint, not interrupted, keep
    )
    context.templates = template_caches(settings.get("CACHE_PATH"), fingerprint)
    search_job = None
    live = context.model.live_languages
    if search_enabled(settings) and live:
        search_job = SearchJob(output, settings, live)
    else:
        remove_bundle(output)
    if search_job is not None:
        context.on_tip_pages_written = _search_starter(search_job, context)
    # The content's state as it is before Pelican runs, worked out on the core
    # Pelican leaves idle, and noted once the render cache needs it. The child
    # holds the build's lock too: it is waited for or stopped before the build ends.
    state = Background(functools.partial(content_state, context, report, settings))
    render_cache.note_content_later(lambda: _noted(state))
    try:
        with context.active():
            summary.warnings = _run_pelican(settings)
            render_cache.flush()  # the pages whose inputs changed, on all cores
        summary.content = _content(state)
        for static in context.statics:  # copied by Pelican: removed when no longer copied
            render_cache.written(static.save_as)
        store.save()
        verify_outputs(context.model, settings["OUTPUT_PATH"], render_cache)
        summary.removed = render_cache.remove_stale()
        render_cache.save()
        summary.pages_rendered = render_cache.rendered
        summary.pages_unchanged = render_cache.skipped
        if search_job is not None and (search_job.started or not index_entry_exists(output)):
            summary.search_job, search_job = search_job, None
            if wait_for_search:
                finish_search(summary)
        if publish is not None:
            publish()
        # Until here an interruption leaves the note, and the next build trusts
        # nothing on disk: the manifest may describe pages that never arrived.
        note.end()
    finally:
        state.cancel()
        if search_job is not None:
            search_job.cancel()  # a failed build leaves no pagefind running
        forget_rendered_text()
    summary.seconds = time.time() - started
    return summary


def _content(state: Background) -> ContentState:
    try:
        return state.result()
    except ChildFailed as exc:  # its message says what went wrong, and where
        raise BuildError(f"the content's state could not be worked out: {exc}") from None


def _noted(state: Background) -> tuple[str, dict[str, str], frozenset[str]]:
    content = _content(state)
    return content.digest, content.files, content.attaching


def forget_rendered_text() -> None:
    """Pelican keeps every tip's rendered text and summary in caches of its
    class, keyed by the tip: in a process that builds again and again (`make
    serve`), each build's tips would stay in memory for good (about 50 MB a
    rebuild at 5,000 tips). Asked again, the text is made again."""
    for memo in (Content.get_content, Content.get_summary):
        memo.cache.clear()


def checked_context(
    settings: dict[str, Any],
    now: datetime.datetime | None,
    preview_slug: str | None = None,
    catalogs: Catalogs | None = None,
) -> tuple[BuildContext, ContentReport]:
    """A build's context with its content checked, converted and modelled;
    ContentError if anything stops the build before a page is written.
    ``catalogs``: an earlier build's, when the caller knows the files are the same."""
    context = BuildContext.create(settings, now)
    if catalogs is not None:
        context.catalogs = catalogs
    report = check(settings, context=context)
    if report.errors:
        context.store.save()  # keep what was parsed: the next run only re-reads the fixed files
        raise ContentError(report.errors)
    context.store.convert_pending()
    context.model = site_model(settings, report, context.now, preview_slug, context)
    problems = [p for p in email_problems(context, context.model) if p.is_error]
    if problems:  # its warnings are make check's to show
        raise ContentError(problems)
    return context, report


def _search_starter(job: SearchJob, context: BuildContext):
    """Once every tip page is written: drop the pages of removed tips, then index
    them while the rest renders, if a tip page changed: the languages of the
    changed tip pages (all, when there is no index yet)."""
    cache, output = context.render_cache, context.settings["OUTPUT_PATH"]

    def start() -> None:
        cache.remove_stale_tips()
        if not index_entry_exists(output):
            job.start()
        elif cache.tips_changed:
            job.start(languages_of(context, cache.tips_changed_pages))

    return start


def languages_of(context: BuildContext, tip_pages: set[str]) -> set[str] | None:
    """The languages of these tip pages (None: one is of no language, index all)."""
    languages = context.tips.languages
    found = {tip_page_language(context.settings, languages, name) for name in tip_pages}
    return None if None in found else found


def finish_search(summary: BuildSummary) -> SearchIndex | None:
    """Wait for the build's search index, if one is being made."""
    job, summary.search_job = summary.search_job, None
    if job is not None:
        try:
            summary.search = job.wait()
        finally:
            job.cancel()
    return summary.search


@contextlib.contextmanager
def pelican_log() -> Iterator[_PelicanLog]:
    """What Pelican logs at WARNING and above inside the block; BuildError
    after it when Pelican logged an error (it logs and goes on)."""
    log = _PelicanLog()
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(log)
    try:
        yield log
    finally:
        pelican_logger.removeHandler(log)
    if log.errors:
        raise BuildError("Pelican reported errors:\n" + "\n".join(log.errors))


def _run_pelican(settings: dict[str, Any]) -> list[str]:
    """Run Pelican; return its warnings, raise BuildError if it logged errors."""
    quiet = pelican_console.quiet
    pelican_console.quiet = True  # our summary replaces Pelican's "Done: ..." line
    try:
        with pelican_log() as log:
            Pelican(settings).run()
    finally:
        pelican_console.quiet = quiet
    return log.warnings


def verify_outputs(model: SiteModel, output: str, render_cache: RenderCache) -> None:
    """Every tip and page that should be on the site went through the writer this
    build (written, or unchanged since the last one) and is there."""
    missing = []
    for entry in (*model.tips, *model.pages):
        if not entry.live:
            continue
        path = os.path.join(output, entry.save_as)
        if entry.save_as not in render_cache.current or not os.path.exists(path):
            missing.append(Problem(entry.path, 1, f"was read but not written to {path}"))
    if missing:
        raise BuildError("\n".join(str(p) for p in missing))
