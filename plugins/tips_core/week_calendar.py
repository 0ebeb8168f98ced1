"""The editors' calendar: which language has its tip ready, week by week.

A weekly series in five languages keeps its rhythm when every language has
next Friday's tip ready in time. ``make calendar`` prints the last 4 and the
next 8 weeks of the weekly series, counted from the week of the coming
publish day, each language's cell with its state and file; the reminder
workflow opens an issue from the same text; ``make check`` warns when a
language that kept the rhythm has nothing ready for the coming week.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .authoring_settings import AuthoringSettings
from .model import DRAFT, PUBLISHED, SCHEDULED, publication_state
from .problems import WARNING, Problem, display_path
from .source_file import SourceFile
from .weeks import DEFAULT_SERIES, IsoWeek

STUB = "stub"  # the TODOs or the quoted original of `make new` are still there
MISSING = "missing"
UNREADABLE = "unreadable"  # the file has errors that keep it from being read
READY = (PUBLISHED, SCHEDULED)
# The order in which a week's files compete for its cell: the most advanced wins.
_RANK = {PUBLISHED: 0, SCHEDULED: 1, DRAFT: 2, STUB: 3, UNREADABLE: 4}
WEEKS_BEFORE = 4
WEEKS_AFTER = 8
# A language "keeps the rhythm" when it had a tip in one of these last weeks.
RHYTHM_WEEKS = 8


@dataclass(frozen=True)
class Cell:
    lang: str
    state: str
    path: str | None = None
    date: datetime.datetime | None = None
    outdated: str | None = None  # the changed original's path (from git history)

    @property
    def ready(self) -> bool:
        return self.state in READY

    def describe(self) -> str:
        text = self.state
        if self.state == SCHEDULED and self.date is not None:
            text += f" {self.date:%Y-%m-%d %H:%M}"
        if self.outdated:
            text += ", outdated"
        return text


@dataclass(frozen=True)
class Week:
    week: IsoWeek
    publish_day: datetime.date
    cells: tuple[Cell, ...]

    def not_ready(self, languages: tuple[str, ...]) -> list[Cell]:
        return [c for c in self.cells if c.lang in languages and not c.ready]


@dataclass(frozen=True)
class Calendar:
    now: datetime.datetime
    next_week: IsoWeek  # the week of the coming publish day
    weeks: tuple[Week, ...]
    languages: tuple[str, ...]
    promised: tuple[str, ...]  # the languages whose gaps count

    @property
    def coming(self) -> Week:
        return next(w for w in self.weeks if w.week == self.next_week)

    def gaps_line(self) -> str:
        """``Week 50-2026, Friday 2026-12-11: tips missing in fi, et`` (or complete)."""
        week = self.coming
        head = f"Week {week.week.numbers}, {week.publish_day:%A %Y-%m-%d}"
        gaps = week.not_ready(self.promised)
        if not gaps:
            return f"{head}: ready in every language"
        return f"{head}: tips missing in {', '.join(c.lang for c in gaps)}"

    def lines(self) -> list[str]:
        width = max(len(lang) for lang in self.languages)
        out = [self.gaps_line()]
        for cell in self.coming.cells:
            if cell.lang in self.promised and (not cell.ready or cell.outdated):
                out.append(f"  {cell.lang:<{width}}  {_cell_text(cell)}")
        for week in self.weeks:
            mark = "  <- next" if week.week == self.next_week else ""
            out.append("")
            out.append(f"{week.week.code}  {week.publish_day:%a %Y-%m-%d}{mark}")
            if all(cell.state == MISSING for cell in week.cells):
                out.append("  missing in every language")
                continue
            for cell in week.cells:
                out.append(f"  {cell.lang:<{width}}  {_cell_text(cell)}")
        return out

    def reminder(self) -> tuple[str, str, bool]:
        """The reminder issue's title and body, and whether the coming week is
        complete (the workflow then closes the issue)."""
        week = self.coming
        gaps = week.not_ready(self.promised)
        title = f"Week {week.week.week}: tips missing in {', '.join(c.lang for c in gaps)}"
        if not gaps:
            title = f"Week {week.week.week}: tips ready in every language"
        body = [
            f"The tips of week {week.week.numbers} appear on {week.publish_day:%A %Y-%m-%d}.",
            "",
            "| language | state | file |",
            "|---|---|---|",
        ]
        for cell in week.cells:
            if cell.lang in self.promised:
                path = f"`{display_path(cell.path)}`" if cell.path else ""
                body.append(f"| {cell.lang} | {cell.describe()} | {path} |")
        body += [
            "",
            'Start a missing one with `make new TIP_LANG=<lang> TITLE="..."` or '
            "`make new TIP_LANG=<lang> FROM=<slug>`; `make calendar` shows the coming weeks.",
        ]
        return title, "\n".join(body), not gaps


def _cell_text(cell: Cell) -> str:
    if cell.path is None:
        return cell.describe()
    return f"{cell.describe():<28}  {display_path(cell.path)}"


def next_publish_week(now: datetime.datetime, weekday: int, time: datetime.time) -> IsoWeek:
    """The week of the first publish day (e.g. Friday 09:00) at or after ``now``."""
    week = IsoWeek.of(now.date())
    day = datetime.date.fromisocalendar(week.year, week.week, weekday)
    if datetime.datetime.combine(day, time, tzinfo=now.tzinfo) < now:
        week = week.shifted(1)
    return week


def tip_state(tip: SourceFile, now: datetime.datetime, stubs: frozenset[str]) -> str:
    if tip.path in stubs:
        return STUB
    return publication_state(tip.fields, now)


def build_calendar(
    tips: list[SourceFile],
    now: datetime.datetime,
    languages: tuple[str, ...],
    authoring: AuthoringSettings,
    *,
    stubs: frozenset[str] = frozenset(),
    outdated: dict[str, str] | None = None,
    unreadable: dict[tuple[IsoWeek, str], str] | None = None,
) -> Calendar:
    """``tips``: the readable tips; ``unreadable``: (week, lang) -> path of a
    file with errors, placed by what could be read of it."""
    outdated = outdated or {}
    weekday = authoring.publish_weekday
    next_week = next_publish_week(now, weekday, authoring.publish_time)
    span = [next_week.shifted(n) for n in range(-WEEKS_BEFORE, WEEKS_AFTER)]
    best: dict[tuple[IsoWeek, str], Cell] = {}
    for (week, lang), path in (unreadable or {}).items():
        best[(week, lang)] = Cell(lang, UNREADABLE, path)
    for tip in tips:
        if tip.fields["series"] != DEFAULT_SERIES:
            continue
        key = (IsoWeek.of(tip.fields["date"].date()), tip.fields["lang"])
        state = tip_state(tip, now, stubs)
        cell = Cell(key[1], state, tip.path, tip.fields["date"], outdated.get(tip.path))
        current = best.get(key)
        if current is None or _RANK[state] < _RANK[current.state]:
            best[key] = cell
    weeks = tuple(
        Week(
            week,
            datetime.date.fromisocalendar(week.year, week.week, weekday),
            tuple(best.get((week, lang), Cell(lang, MISSING)) for lang in languages),
        )
        for week in span
    )
    return Calendar(now, next_week, weeks, languages, authoring.promised_languages)


def rhythm_problems(
    tips: list[SourceFile],
    now: datetime.datetime,
    authoring: AuthoringSettings,
    stubs: frozenset[str] = frozenset(),
) -> list[Problem]:
    """A warning for each language that had a tip in the last weeks and has none
    ready for the coming one, at the date line of its newest recent tip."""
    weekday = authoring.publish_weekday
    next_week = next_publish_week(now, weekday, authoring.publish_time)
    first = next_week.shifted(-RHYTHM_WEEKS)
    weekly = [t for t in tips if t.fields["series"] == DEFAULT_SERIES]
    ready = {
        t.fields["lang"]
        for t in weekly
        if IsoWeek.of(t.fields["date"].date()) == next_week and tip_state(t, now, stubs) in READY
    }
    recent: dict[str, SourceFile] = {}
    for tip in weekly:
        week = IsoWeek.of(tip.fields["date"].date())
        if first <= week < next_week and tip_state(tip, now, stubs) in READY:
            lang = tip.fields["lang"]
            if lang not in recent or tip.fields["date"] > recent[lang].fields["date"]:
                recent[lang] = tip
    day = datetime.date.fromisocalendar(next_week.year, next_week.week, weekday)
    problems = []
    for lang in authoring.promised_languages:
        if lang in recent and lang not in ready:
            tip = recent[lang]
            problems.append(
                Problem(
                    tip.path,
                    tip.line_of("date"),
                    f"'{lang}' has had a tip every few weeks, this one the newest, but none "
                    f"is ready for week {next_week.code} ({day:%A %Y-%m-%d}): start it with "
                    f'make new TIP_LANG={lang} TITLE="..." (make calendar shows every week)',
                    WARNING,
                )
            )
    return problems
