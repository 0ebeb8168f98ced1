"""`make import`: an old blog's export into content/, safely, again and again.

The steps: read the export (:mod:`.export_file`), choose the series
(:mod:`.series`), look at what content/ holds, plan every file
(:mod:`.plan`), fetch media (:mod:`.media`), then write what is new or
still as the last import left it (:mod:`.record`). ``dry_run`` stops before
the first write, with the same report.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tips_core.content_check import find_content_files
from tips_core.errors import TipsError
from tips_core.model import publication_state
from tips_core.problems import Problem
from tips_core.site_settings import TipsSettings
from tips_core.source_file import PAGE, TIP, Rules, read_source
from tips_core.urls import content_location
from tips_core.weeks import IsoWeek

from .export_file import read_export
from .media import MediaOptions, MediaStep
from .pairs import Pairing, PairsError, pair
from .plan import Existing, Plan, Planner
from .record import (
    EDITED,
    NOT_OURS,
    UPDATED,
    WRITTEN,
    Record,
    RecordError,
    append_redirects,
    decide,
    new_redirects,
    write,
)
from .series import SeriesError, choose_series
from .xml_input import UnusableExport


class ImportFailed(TipsError):
    """The export or an argument cannot be used; the message (whole lines, as
    ``path:line: error: …`` where there is a file to name) says what to do."""

    exit_code = 1


@dataclass(frozen=True)
class ImportOptions:
    export: str
    lang: str
    series: str = ""
    uploads: str = ""
    download: bool = True
    dry_run: bool = False
    pairs: str = ""


@dataclass
class ImportResult:
    plan: Plan
    record_path: str
    file_actions: list[tuple[str, str]] = field(default_factory=list)  # (path, action)
    redirect_actions: list[tuple[str, str, str]] = field(default_factory=list)
    media_actions: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pairs: str = ""  # what PAIRS= linked, for the report
    seconds: float = 0.0
    dry_run: bool = False


def run_import(
    options: ImportOptions,
    settings: Mapping[str, Any],
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    started = time.perf_counter()
    tips = TipsSettings.from_pelican(settings)
    if options.lang not in tips.languages:
        raise ImportFailed(
            f"error: TIP_LANG={options.lang or '(empty)'}: give the language of the old blog, "
            f"one of {', '.join(tips.languages)}"
        )
    if not options.export:
        raise ImportFailed("error: EXPORT=<file> is missing: give the export file of the old blog")
    if options.uploads and not os.path.isdir(options.uploads):
        raise ImportFailed(
            f"error: UPLOADS={options.uploads}: no such folder (a copy of wp-content/uploads)"
        )
    content = os.path.abspath(tips.content_path)
    try:
        export, parsed = read_export(options.export, tips.timezone)
        series = choose_series(options.series, export.items)
    except UnusableExport as exc:
        raise ImportFailed(str(exc)) from None
    except SeriesError as exc:
        raise ImportFailed(f"error: {exc}") from None
    rules = Rules(tips.languages, tips.timezone, tips.series, tips.default_lang)
    try:
        record = Record.load(Record.path_for(content, options.export, options.lang))
        pairing = (
            pair(options.pairs, export, options.lang, content, record.path, rules)
            if options.pairs
            else Pairing()
        )
    except RecordError as exc:
        raise ImportFailed(str(exc)) from None
    except PairsError as exc:
        raise ImportFailed(str(exc)) from None
    existing = _existing(content, settings, tips, record, rules)
    media = MediaStep(
        MediaOptions(options.uploads, options.download, content),
        export.base_url,
        record,
        dry_run=options.dry_run,
    )
    planner = Planner(
        export,
        series,
        options.lang,
        content,
        tips.timezone,
        tips.languages,
        tips.prefix(options.lang),
        existing,
        {sid: os.path.join(content, rel) for sid, rel in record.items.items()},
        image_target=media.target,
        originals=pairing.originals,
    )
    plan = planner.run()
    result = ImportResult(
        plan, record.path, problems=[*parsed.problems, *pairing.problems, *plan.problems]
    )
    if options.pairs:
        result.pairs = pairing.summary(options.pairs)
    result.dry_run = options.dry_run
    result.redirect_actions = new_redirects(content, plan.redirects)
    total = len(plan.files)
    for index, planned in enumerate(plan.files):
        action = decide(planned.path, planned.text, content, record)
        result.file_actions.append((planned.path, action))
        if not options.dry_run and action in (WRITTEN, UPDATED):
            write(planned.path, planned.text, content, record)
        if progress:
            progress(index + 1, total)
    result.media_actions = sorted(media.actions.items())
    if not options.dry_run:
        links = {item.source_id: item.link for item in export.items if item.link}
        for outcome in plan.outcomes:
            if outcome.path:
                rel = os.path.relpath(outcome.path, content).replace(os.sep, "/")
                record.items[outcome.source_id] = rel
                if outcome.source_id in links:
                    record.links[links[outcome.source_id]] = rel
        append_redirects(
            content, [(s, t) for s, t, what in result.redirect_actions if what == "added"]
        )
        record.save()
    for path, action in result.file_actions:
        if action in (EDITED, NOT_OURS):
            result.problems.append(
                Problem(
                    path, 1, f"{action}: not overwritten (delete it to import it again)", "warning"
                )
            )
    result.seconds = time.perf_counter() - started
    return result


def _existing(
    content: str, settings: Mapping[str, Any], tips: TipsSettings, record: Record, rules: Rules
) -> Existing:
    """Slugs, weeks and page addresses content/ holds, this import's own files aside."""
    ours = {os.path.join(content, rel) for rel in record.files}
    existing = Existing()
    now = datetime.datetime.now(tips.timezone)
    for path, kind in find_content_files(content):
        if kind not in (TIP, PAGE) or path in ours:
            continue
        source = read_source(path, kind, rules)
        fields = source.fields
        if "slug" not in fields or "lang" not in fields:
            continue
        key = (fields["slug"], fields["lang"])
        if kind == PAGE:
            existing.page_slugs.add(key)
            existing.site_urls.add(content_location("PAGE", fields, settings, "URL"))
            continue
        existing.tip_slugs.add(key)
        if "date" in fields and "status" in fields and publication_state(fields, now) != "draft":
            week = IsoWeek.of(fields["date"].date())
            existing.weeks.setdefault((fields["lang"], week), path)
    return existing
