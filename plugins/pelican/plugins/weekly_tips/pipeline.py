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

from .content_check import ContentReport, check_content
from .errors import BuildError, ConfigurationError, ContentError
from .problems import Problem
from .search_index import SearchIndex, index_site, search_enabled
from .site_settings import TipsSettings
from .source_file import TIP, Rules, SourceFile


@dataclass
class BuildSummary:
    settings: dict[str, Any]
    report: ContentReport
    published: Counter = field(default_factory=Counter)  # tips on the site, per language
    pages: Counter = field(default_factory=Counter)
    scheduled: list[SourceFile] = field(default_factory=list)
    drafts: list[SourceFile] = field(default_factory=list)
    files_written: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    search: SearchIndex | None = None

    def lines(self) -> list[str]:
        langs = TipsSettings.from_pelican(self.settings).languages
        per_lang = ", ".join(f"{lang} {self.published[lang]}" for lang in langs)
        out = [
            f"Read {len(self.report.sources)} files: {sum(self.published.values())} tips "
            f"published ({per_lang}), {sum(self.pages.values())} pages, "
            f"{len(self.scheduled)} scheduled, {len(self.drafts)} drafts.",
            f"Wrote {self.files_written} files to {self.settings['OUTPUT_PATH']} "
            f"in {self.seconds:.1f} s.",
        ]
        if self.search is not None:
            out.append(
                f"Search index: {self.search.pages} pages in {self.search.languages} "
                f"languages in {self.search.seconds:.2f} s."
            )
        out.extend(
            f"Scheduled: {s.path} ({s.fields['lang']}) appears on "
            f"{s.fields['date']:%Y-%m-%d %H:%M}."
            for s in self.scheduled
        )
        out.extend(f"Draft, not published: {s.path}" for s in self.drafts)
        return out


def load_settings(settings_file: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    try:
        settings = read_settings(settings_file, override=dict(overrides or {}))
    except FileNotFoundError as exc:
        raise ConfigurationError(f"settings file not found: {settings_file}") from exc
    TipsSettings.from_pelican(settings)
    return settings


def content_rules(settings: dict[str, Any]) -> Rules:
    tips = TipsSettings.from_pelican(settings)
    return Rules(tips.languages, tips.timezone, tips.series)


def check(settings: dict[str, Any], now: datetime.datetime | None = None) -> ContentReport:
    return check_content(
        settings["PATH"],
        content_rules(settings),
        now,
        tuple(settings["PAGE_PATHS"]),
        tuple(settings["STATIC_PATHS"]),
    )


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
    """Where Pelican must write a published tip or page."""
    kind = "ARTICLE" if source.kind == TIP else "PAGE"
    key = (
        f"{kind}_SAVE_AS"
        if source.fields["lang"] == settings["DEFAULT_LANG"]
        else (f"{kind}_LANG_SAVE_AS")
    )
    values = dict(source.fields)
    values.setdefault("date", datetime.datetime.now())
    return os.path.join(settings["OUTPUT_PATH"], settings[key].format(**values))


def build(settings: dict[str, Any], now: datetime.datetime | None = None) -> BuildSummary:
    """Build the site described by ``settings``; raise TipsError on any problem."""
    started = time.time()
    tips = TipsSettings.from_pelican(settings)
    with_search = search_enabled(settings)
    now = now or datetime.datetime.now(tips.timezone)
    settings["TIPS_NOW"] = now  # Pelican and our checks agree on what is in the future
    report = check(settings)
    if report.errors:
        raise ContentError(report.errors)
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
    summary.warnings = log.warnings
    if log.errors:
        raise BuildError("Pelican reported errors:\n" + "\n".join(log.errors))

    held_back = {id(s) for s in summary.drafts + summary.scheduled}
    missing = []
    for source in report.sources:
        if id(source) in held_back:
            continue
        path = expected_output(source, settings)
        if not os.path.exists(path) or os.path.getmtime(path) < started - 1:
            missing.append(Problem(source.path, 1, f"was read but not written to {path}"))
    if missing:
        raise BuildError("\n".join(str(p) for p in missing))
    if with_search:
        summary.search = index_site(settings["OUTPUT_PATH"])
    summary.files_written = _count_written(settings["OUTPUT_PATH"], started)
    summary.seconds = time.time() - started
    return summary


def _count_written(output_path: str, since: float) -> int:
    count = 0
    for dirpath, _dirs, files in os.walk(output_path):
        for name in files:
            if os.path.getmtime(os.path.join(dirpath, name)) >= since - 1:
                count += 1
    return count
