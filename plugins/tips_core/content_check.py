"""Checking all content at once: each file, then the rules that span files.

The build runs this before Pelican reads anything, so a bad file stops the
build with every problem listed instead of being dropped by Pelican's reader.
``make check`` runs the same code.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from dataclasses import dataclass, field

from .authoring_settings import AuthoringSettings
from .comment_archive import is_comments_file, read_comments
from .content_files import walk_content
from .content_store import ContentStore
from .editorial_checks import editorial_problems, unfinished_work
from .holiday_check import holiday_problems
from .link_check import link_problems
from .model import SCHEDULED, publication_state
from .name_check import name_problems
from .problems import ERROR, WARNING, Problem, display_path
from .redirects import REDIRECTS_FILE, page_urls, redirect_problems
from .source_file import PAGE, TIP, Rules, SourceFile
from .translation_coverage import Coverage, translation_coverage
from .week_calendar import rhythm_problems
from .weeks import IsoWeek


@dataclass
class ContentReport:
    sources: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    coverage: Coverage | None = None
    stubs: frozenset[str] = frozenset()  # tips that still hold what `make new` left to do
    outdated: dict[str, str] = field(default_factory=dict)  # translation -> changed original

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def tips(self) -> list[SourceFile]:
        return [s for s in self.sources if s.kind == TIP and s.ok]

    @property
    def pages(self) -> list[SourceFile]:
        return [s for s in self.sources if s.kind == PAGE and s.ok]


OTHER = "other"
COMMENTS = "comments"  # an imported tip's comment archive, beside it
REDIRECTS = "redirects"  # the redirect list of imported blogs
IMPORT_RECORD = "import record"  # what make import wrote (content/imports/)
IMPORTS_FOLDER = "imports"


def find_content_files(
    content_path: str, page_dirs: tuple[str, ...] = ("pages",), static_dirs: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """Every file under content/ as (path, kind): tip, page, the data of
    imported blogs (comments, redirects, import records), or other (not
    Markdown, outside the static folders). Hidden files are skipped, as
    Pelican skips them. The order is stable."""
    found = []
    page_roots = tuple(os.path.join(content_path, d) + os.sep for d in page_dirs)
    static_roots = tuple(os.path.join(content_path, d) + os.sep for d in static_dirs)
    record_root = os.path.join(content_path, IMPORTS_FOLDER) + os.sep
    redirects = os.path.join(content_path, REDIRECTS_FILE)
    for file in walk_content(content_path):
        path = file.path
        if file.hidden or path.startswith(static_roots):
            continue
        if path == redirects:
            found.append((path, REDIRECTS))
        elif path.startswith(record_root) and path.endswith(".yaml"):
            found.append((path, IMPORT_RECORD))
        elif is_comments_file(path):
            found.append((path, COMMENTS))
        elif not file.markdown:
            found.append((path, OTHER))
        elif path.startswith(page_roots):
            found.append((path, PAGE))
        else:
            found.append((path, TIP))
    return found


def check_content(
    content_path: str,
    rules: Rules,
    now: datetime.datetime | None = None,
    page_dirs: tuple[str, ...] = ("pages",),
    static_dirs: tuple[str, ...] = ("images",),
    store: ContentStore | None = None,
    authoring: AuthoringSettings | None = None,
) -> ContentReport:
    store = store or ContentStore(rules)
    authoring = authoring or AuthoringSettings.defaults(rules.languages)
    report = ContentReport()
    if not os.path.isdir(content_path):
        report.problems.append(Problem(content_path, 1, "the content folder does not exist", ERROR))
        return report
    data_files, markdown = [], []
    for path, kind in find_content_files(content_path, page_dirs, static_dirs):
        if kind in (COMMENTS, REDIRECTS, IMPORT_RECORD):
            data_files.append((path, kind))
            continue
        if kind == OTHER:
            report.problems.append(
                Problem(
                    path,
                    1,
                    "not a Markdown file, so it would not be published: tips and pages "
                    "end in .md (images go in content/images/)",
                )
            )
            continue
        markdown.append((path, kind))
    for source in store.read_all(markdown):
        report.sources.append(source)
        report.problems.extend(source.problems)
    report.problems.extend(_imported_data(data_files, report, content_path, rules))
    report.problems.extend(_duplicates(report.tips, "tip"))
    report.problems.extend(_duplicates(report.pages, "page"))
    # A draft does not count: it holds next week's text until its week is free.
    report.problems.extend(
        _duplicate_weeks([t for t in report.tips if t.fields["status"] != "draft"])
    )
    report.problems.extend(_translation_weeks(report.tips, rules.languages))
    unfinished = unfinished_work(report.sources)
    report.stubs = frozenset(p.path for p in unfinished)
    if now is not None:
        report.problems.extend(_scheduled(report.tips, now))
        report.problems.extend(holiday_problems(report.tips, authoring.holiday_countries, now))
        report.problems.extend(rhythm_problems(report.tips, now, authoring, report.stubs))
    report.problems.extend(
        editorial_problems(
            report.sources, unfinished, authoring.summary_max_length, authoring.allow_unfinished
        )
    )
    report.problems.extend(name_problems(report.tips, content_path))
    report.problems.extend(link_problems(report.sources, content_path, now))
    report.problems.extend(_file_problems(report.sources, store))
    report.coverage = translation_coverage(
        report.tips, rules.languages, authoring.promised_languages, report.stubs
    )
    report.problems.extend(report.coverage.problems)
    report.problems.sort()
    return report


def _file_problems(sources: list[SourceFile], store: ContentStore) -> list[Problem]:
    """Raw HTML and remote images, file by file (kept in the store with each
    file's parse: only changed files are searched again)."""
    return [problem for source in sources for problem in store.own_problems(source)]


def _imported_data(
    data_files: list[tuple[str, str]], report: ContentReport, content_path: str, rules: Rules
) -> list[Problem]:
    """The comment archives and redirect list of imported blogs (docs/import.md)."""
    problems = []
    for path, kind in data_files:
        if kind == COMMENTS:
            problems.extend(read_comments(path, rules.timezone)[1])
        elif kind == REDIRECTS:
            problems.extend(
                redirect_problems(
                    content_path,
                    [s.path for s in report.sources],
                    rules.languages,
                    page_urls(report.pages, rules.default_lang or rules.languages[0]),
                )
            )
    return problems


def _duplicates(sources: list[SourceFile], what: str) -> list[Problem]:
    by_key: dict[tuple[str, str], list[SourceFile]] = defaultdict(list)
    for source in sources:
        by_key[(source.fields["slug"], source.fields["lang"])].append(source)
    problems = []
    for (slug, lang), group in by_key.items():
        if len(group) < 2:
            continue
        for source in group:
            others = ", ".join(display_path(o.path) for o in group if o is not source)
            problems.append(
                Problem(
                    source.path,
                    source.line_of("slug"),
                    f"another {what} in '{lang}' has the slug '{slug}' ({others}): "
                    "give one of them another slug",
                )
            )
    return problems


def _duplicate_weeks(tips: list[SourceFile]) -> list[Problem]:
    by_week: dict[tuple[str, str, IsoWeek], list[SourceFile]] = defaultdict(list)
    for tip in tips:
        week = IsoWeek.of(tip.fields["date"].date())
        by_week[(tip.fields["series"], tip.fields["lang"], week)].append(tip)
    problems = []
    for (_series, lang, week), group in by_week.items():
        if len(group) < 2:
            continue
        for tip in group:
            others = ", ".join(
                f"{display_path(o.path)}:{o.line_of('date')}" for o in group if o is not tip
            )
            problems.append(
                Problem(
                    tip.path,
                    tip.line_of("date"),
                    f"week {week.code} already has a tip in '{lang}' ({others}): "
                    "a series has one tip a week per language; move one to another week",
                )
            )
    return problems


def _translation_weeks(tips: list[SourceFile], languages: tuple[str, ...]) -> list[Problem]:
    """Translations share their original's week: the label and URL depend on it."""
    by_slug: dict[str, list[SourceFile]] = defaultdict(list)
    for tip in tips:
        by_slug[tip.fields["slug"]].append(tip)
    problems = []
    order = {lang: i for i, lang in enumerate(languages)}
    for group in by_slug.values():
        group.sort(key=lambda t: order.get(t.fields["lang"], len(order)))
        original = group[0]
        week = IsoWeek.of(original.fields["date"].date())
        for tip in group[1:]:
            if tip.fields["lang"] == original.fields["lang"]:
                continue  # not a translation: two tips with one slug (_duplicates says so)
            other = IsoWeek.of(tip.fields["date"].date())
            if other != week:
                problems.append(
                    Problem(
                        tip.path,
                        tip.line_of("date"),
                        f"this translation is in week {other.code} but its "
                        f"'{original.fields['lang']}' version "
                        f"({display_path(original.path)}) is in week {week.code}: "
                        "give translations the same date",
                    )
                )
    return problems


def _scheduled(tips: list[SourceFile], now: datetime.datetime) -> list[Problem]:
    problems = []
    for tip in tips:
        date = tip.fields["date"]
        if publication_state(tip.fields, now) == SCHEDULED:
            problems.append(
                Problem(
                    tip.path,
                    tip.line_of("date"),
                    f"scheduled: stays off the site and the newsletter until "
                    f"{date:%Y-%m-%d %H:%M} ({date.tzinfo})",
                    WARNING,
                )
            )
    return problems
