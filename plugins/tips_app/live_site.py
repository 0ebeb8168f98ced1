"""`make serve`'s rebuilds: an edit of a tip's text costs what it changes.

A full build made with ``keep`` leaves every page's render in its render cache,
with the files whose text each page shows (``render_cache.key_and_shown``), and
Pelican's tips and pages by file (``BuildContext.contents``). At the next save
the content is checked and modelled as by any build, and compared with the
kept build's (what changed is found, not taken from the watcher, which may
miss or merge events). When the text of tips and pages alone changed (every
front matter the same, the site model the same value by value), none of them
may be emailed now or links a file with ``{attach}``, the new text is put into
those tips and pages and only the pages that show it render again: Pelican
does not run. Anything else is a full build: a file added, removed or renamed,
a title, date, slug, tag or author changed, an image, data or theme file
changed (``other_inputs``), a template, catalog, setting or plugin changed
(the site fingerprint), the clock moving a tip from scheduled to published or
into a new ISO week, another process writing the site.

The property test (tests/weekly_tips/test_incremental_property.py) holds for
these rebuilds too: after each, output/ holds what a clean build writes.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import time
from dataclasses import dataclass
from typing import Any

from pelican.plugins.weekly_tips.search_index import SearchJob, search_enabled
from tips_core.build_context import BuildContext
from tips_core.content_check import ContentReport
from tips_core.link_check import ATTACH_RE
from tips_core.render_cache import forget_text, site_fingerprint
from tips_core.weeks import IsoWeek

from .build_guard import BuildNote, build_lock
from .content_state import other_inputs
from .pipeline import (
    BuildSummary,
    build,
    checked_context,
    fewer_collections,
    forget_rendered_text,
    languages_of,
    pelican_log,
    verify_outputs,
)


@dataclass
class _Kept:
    """What the last build of this process left: its report, its context
    (render cache with every page and the site fingerprint, Pelican's
    contents), and the render manifest as it wrote it (another process may
    write it since)."""

    report: ContentReport
    context: BuildContext
    manifest: tuple[int, int] | None
    inputs: dict[str, str]  # other_inputs() as the build took them (content_state.py)


class LiveSite:
    """The builds of one `make serve` process."""

    def __init__(self) -> None:
        self._kept: _Kept | None = None

    def rebuild(
        self, settings: dict[str, Any], now: datetime.datetime | None = None
    ) -> BuildSummary:
        """Build after a save (what changed is found here: the first build, or
        the first after a failed one, is a full build). The search index, when
        a tip page changed, is left in the summary's ``search_job`` (as
        ``build(wait_for_search=False)``)."""
        kept, self._kept = self._kept, None  # a failed build keeps nothing
        if kept is not None:
            summary = _text_only(kept, settings, now)
            if summary is not None:
                kept.report = summary.report
                kept.manifest = _manifest_stamp(kept.context)
                self._kept = kept
                return summary
        kept = None  # a full build makes every page anew: the last one's go first
        summary = build(settings, now, wait_for_search=False, keep=True)
        context, inputs = summary.context, summary.content.inputs
        self._kept = _Kept(summary.report, context, _manifest_stamp(context), inputs)
        return summary


def _manifest_stamp(context: BuildContext) -> tuple[int, int] | None:
    path = context.render_cache.path
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size) if stat else None


def _same_values(new: tuple, old: tuple) -> bool:
    """The tips (or pages) of two models, field by field (their classes compare
    by identity). A field of a type that compares by identity differs: a full
    build, the safe side."""
    return len(new) == len(old) and all(
        type(a) is type(b)
        and all(getattr(a, f.name) == getattr(b, f.name) for f in dataclasses.fields(a))
        for a, b in zip(new, old, strict=True)
    )


def _text_only(
    kept: _Kept, settings: dict[str, Any], now: datetime.datetime | None
) -> BuildSummary | None:
    """The rebuild of a change of text alone, or None when it is more than that
    (nothing written then: the caller makes a full build). What changed is
    found here, not taken from the watcher (which may miss or merge events)."""
    cache = kept.context.render_cache
    if not settings.get("CACHE_PATH") or site_fingerprint(settings) != cache.fingerprint:
        return None
    with build_lock(settings["CACHE_PATH"]), fewer_collections():
        started = time.time()
        if _manifest_stamp(kept.context) != kept.manifest or other_inputs(settings) != kept.inputs:
            return None  # another process wrote the site, or an image, data or theme file changed
        # The kept build's catalogs (the fingerprint says their files are the
        # same), so that the two models compare by value. A content error stops here.
        context, report = checked_context(settings, now, catalogs=kept.context.catalogs)
        before = {os.path.abspath(s.path): s for s in kept.report.sources}
        after = {os.path.abspath(s.path): s for s in report.sources}
        if after.keys() != before.keys():
            return None
        # The store hands back the very parse of an unchanged file: compared only when new.
        new = [path for path in after if after[path] is not before[path]]
        if any(after[path].fields != before[path].fields for path in new):
            return None
        changed = {path for path in new if after[path].body != before[path].body}
        model, last = context.model, kept.context.model
        if (
            # The menus say "This week" by the build's ISO week (site_pages.menu).
            IsoWeek.of(context.now.date()) != IsoWeek.of(kept.context.now.date())
            or not _same_values(model.tips, last.tips)
            or not _same_values(model.pages, last.pages)
            or any(getattr(model.entry(path), "email_skip", None) == "" for path in changed)
            # Pelican moves a file linked with {attach} next to the tip that links it.
            or any(ATTACH_RE.search(before[p].body + after[p].body) for p in changed)
        ):
            return None
        output = settings["OUTPUT_PATH"]
        note = BuildNote(settings["CACHE_PATH"], output)
        if note.begin():  # a build was interrupted since ours: trust nothing kept
            return None
        for path in changed:
            content = kept.context.contents.get(path)
            if content is not None:  # a draft's or scheduled tip's is on no page
                content._content = context.store.html(path)  # what the reader gives Pelican
                forget_text(content)
        forget_rendered_text()
        with kept.context.active(), pelican_log() as log:  # an error fails it, as a build
            cache.render_text(changed)
        for path in new:  # their bytes as rendered, for the next build's render keys
            cache.files[path] = context.store.entry(path).digest
        search_job = None
        if cache.tips_rendered and search_enabled(settings):
            search_job = SearchJob(output, settings, model.live_languages)
            search_job.start(languages_of(context, cache.tips_rendered))
        try:
            context.store.save()
            verify_outputs(model, output, cache)
            cache.save()
            note.end()
        except BaseException:
            if search_job is not None:
                search_job.cancel()
            raise
    context.render_cache = cache
    context.emails = kept.context.emails  # none of the changed tips is due: the same
    return BuildSummary(
        settings,
        report,
        context,
        warnings=log.warnings,
        pages_rendered=cache.rendered,
        pages_unchanged=cache.skipped,
        seconds=time.time() - started,
        search_job=search_job,
        text_only=True,
    )
