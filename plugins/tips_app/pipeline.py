"""One build, start to finish: check the content, run Pelican, verify the output.

Pelican logs and skips a file it cannot read and still exits 0. Here nothing
is dropped silently: bad content stops the build before Pelican runs, an error
that Pelican logs fails the build, and every tip and page that should be on the
site is checked to have been written.
"""

from __future__ import annotations

import datetime
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pelican import Pelican
from pelican.log import console as pelican_console
from pelican.settings import read_settings

from pelican.plugins.weekly_tips.search_index import (
    SearchIndex,
    SearchJob,
    index_entry_exists,
    search_enabled,
    tip_pages_glob,
)
from tips_core.address_check import address_problems
from tips_core.authoring_settings import AuthoringSettings
from tips_core.content_check import ContentReport, check_content
from tips_core.content_store import ContentStore
from tips_core.errors import BuildError, ConfigurationError, ContentError
from tips_core.problems import Problem, display_path
from tips_core.render_cache import RenderCache, site_fingerprint
from tips_core.site_settings import TipsSettings
from tips_core.source_file import TIP, Rules, SourceFile
from tips_core.urls import content_location

from .build_guard import BuildNote, build_lock


@dataclass
class BuildSummary:
    settings: dict[str, Any]
    report: ContentReport
    published: Counter = field(default_factory=Counter)  # tips on the site, per language
    pages: Counter = field(default_factory=Counter)
    scheduled: list[SourceFile] = field(default_factory=list)
    drafts: list[SourceFile] = field(default_factory=list)
    pages_rendered: int = 0
    pages_unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    search: SearchIndex | None = None
    search_job: SearchJob | None = None  # still indexing (a build that did not wait)

    def lines(self) -> list[str]:
        langs = TipsSettings.from_pelican(self.settings).languages
        per_lang = ", ".join(f"{lang} {self.published[lang]}" for lang in langs)
        out = [
            f"Read {len(self.report.sources)} files: {sum(self.published.values())} tips "
            f"published ({per_lang}), {sum(self.pages.values())} pages, "
            f"{len(self.scheduled)} scheduled, {len(self.drafts)} drafts.",
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
            f"Scheduled: {display_path(s.path)} ({s.fields['lang']}) appears on "
            f"{s.fields['date']:%Y-%m-%d %H:%M}."
            for s in self.scheduled
        )
        out.extend(f"Draft, not published: {display_path(s.path)}" for s in self.drafts)
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


def content_rules(settings: dict[str, Any]) -> Rules:
    tips = TipsSettings.from_pelican(settings)
    return Rules(tips.languages, tips.timezone, tips.series)


def content_store(settings: dict[str, Any]) -> ContentStore:
    return ContentStore(content_rules(settings), settings.get("CACHE_PATH"))


def check(
    settings: dict[str, Any],
    now: datetime.datetime | None = None,
    store: ContentStore | None = None,
) -> ContentReport:
    report = check_content(
        settings["PATH"],
        content_rules(settings),
        now,
        tuple(settings["PAGE_PATHS"]),
        tuple(settings["STATIC_PATHS"]),
        store,
        AuthoringSettings.from_pelican(settings),
    )
    report.problems.extend(address_problems(report.sources, settings))
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


def expected_output(source: SourceFile, settings: dict[str, Any]) -> str:
    """Where Pelican must write a published tip or page, relative to the output."""
    values = dict(source.fields)
    values.setdefault("date", datetime.datetime.now())  # pages have no date
    return content_location(
        "ARTICLE" if source.kind == TIP else "PAGE", values, settings, "SAVE_AS"
    )


def build(
    settings: dict[str, Any],
    now: datetime.datetime | None = None,
    wait_for_search: bool = True,
) -> BuildSummary:
    """One build at a time per cache (build_guard.py): see ``_build``."""
    with build_lock(settings.get("CACHE_PATH")):
        return _build(settings, now, wait_for_search)


def _build(
    settings: dict[str, Any],
    now: datetime.datetime | None = None,
    wait_for_search: bool = True,
) -> BuildSummary:
    """Build the site described by ``settings``; raise TipsError on any problem.

    With ``wait_for_search=False`` (how `make serve` rebuilds) the build returns
    as soon as the pages are written, and a search index still being made is
    left in ``summary.search_job`` for the caller to finish with ``finish_search``.
    """
    started = time.time()
    tips = TipsSettings.from_pelican(settings)
    output = settings["OUTPUT_PATH"]
    now = now or datetime.datetime.now(tips.timezone)
    settings["TIPS_NOW"] = now  # Pelican and our checks agree on what is in the future
    store = content_store(settings)
    report = check(settings, store=store)
    if report.errors:
        store.save()  # keep what was parsed: the next run only re-reads the fixed files
        raise ContentError(report.errors)
    store.convert_pending()
    summary = _classify(report, settings, now)
    note = BuildNote(settings.get("CACHE_PATH"), output)
    interrupted = note.begin()  # an interrupted build's pages are not trusted
    render_cache = RenderCache(
        settings.get("CACHE_PATH"), output, site_fingerprint(settings), not interrupted
    )
    search_job = SearchJob(output, tip_pages_glob(settings)) if search_enabled(settings) else None
    # Handed to our generators, reader and writer for this build only.
    settings["TIPS_CONTENT_STORE"] = store
    settings["TIPS_RENDER_CACHE"] = render_cache
    settings["TIPS_SEARCH_JOB"] = search_job
    try:
        summary.warnings = _run_pelican(settings)
        store.save()
        _verify_outputs(report, summary, settings, render_cache)
        summary.removed = render_cache.remove_stale()
        render_cache.save()
        note.end()
        summary.pages_rendered = render_cache.rendered
        summary.pages_unchanged = render_cache.skipped
        if search_job is not None and (search_job.started or not index_entry_exists(output)):
            summary.search_job, search_job = search_job, None
            if wait_for_search:
                finish_search(summary)
    finally:
        if search_job is not None:
            search_job.cancel()  # a failed build leaves no pagefind running
    summary.seconds = time.time() - started
    return summary


def finish_search(summary: BuildSummary) -> SearchIndex | None:
    """Wait for the build's search index, if one is being made."""
    job, summary.search_job = summary.search_job, None
    if job is not None:
        try:
            summary.search = job.wait()
        finally:
            job.cancel()
    return summary.search


def _classify(report: ContentReport, settings: dict[str, Any], now) -> BuildSummary:
    summary = BuildSummary(settings=settings, report=report)
    for source in report.sources:
        lang = source.fields["lang"]
        if source.fields["status"] == "draft":
            summary.drafts.append(source)
        elif source.kind == TIP and source.fields["date"] > now:
            summary.scheduled.append(source)
        elif source.kind == TIP:
            summary.published[lang] += 1
        else:
            summary.pages[lang] += 1
    return summary


def _run_pelican(settings: dict[str, Any]) -> list[str]:
    """Run Pelican; return its warnings, raise BuildError if it logged errors."""
    log = _PelicanLog()
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(log)
    quiet = pelican_console.quiet
    pelican_console.quiet = True  # our summary replaces Pelican's "Done: ..." line
    try:
        Pelican(settings).run()
    finally:
        pelican_console.quiet = quiet
        pelican_logger.removeHandler(log)
    if log.errors:
        raise BuildError("Pelican reported errors:\n" + "\n".join(log.errors))
    return log.warnings


def _verify_outputs(report, summary: BuildSummary, settings, render_cache: RenderCache) -> None:
    """Every tip and page that should be on the site went through the writer this
    build (written, or unchanged since the last one) and is there."""
    held_back = {id(s) for s in summary.drafts + summary.scheduled}
    missing = []
    for source in report.sources:
        if id(source) in held_back:
            continue
        name = expected_output(source, settings)
        path = os.path.join(settings["OUTPUT_PATH"], name)
        if name not in render_cache.current or not os.path.exists(path):
            missing.append(Problem(source.path, 1, f"was read but not written to {path}"))
    if missing:
        raise BuildError("\n".join(str(p) for p in missing))
