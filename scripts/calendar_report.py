"""`make calendar`: the last 4 and next 8 weeks of the weekly series, by language.

Each cell is published, scheduled (with its date), draft, stub (what `make
new` left to do is still there), missing or unreadable, with its file; a
translation whose original changed since (git history) is outdated. The coming
publish day's gaps come first. ``--reminder`` prints the same as JSON (title,
body, complete) for the reminder workflow (.github/workflows/reminder.yml).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys

from scripts.cli import add_now_argument, add_settings_arguments, now_from, run, settings_from
from tips_app.pipeline import check
from tips_app.scaffold import week_of_file_name
from tips_core.authoring_settings import AuthoringSettings
from tips_core.site_settings import TipsSettings
from tips_core.source_file import TIP
from tips_core.week_calendar import Calendar, build_calendar


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    add_now_argument(parser)
    parser.add_argument("--reminder", action="store_true", help="print the reminder issue as JSON")
    return parser.parse_args(argv)


def calendar_of(settings, now: datetime.datetime) -> tuple[Calendar, int]:
    """The calendar, and the number of errors in the content (make check lists them)."""
    tips = TipsSettings.from_pelican(settings)
    report = check(settings, now)
    unreadable = {}
    for source in report.sources:
        if source.kind == TIP and not source.ok:
            named = week_of_file_name(source.path)
            if named is not None:
                unreadable[named] = source.path
    calendar = build_calendar(
        report.tips,
        now,
        tips.languages,
        AuthoringSettings.from_pelican(settings),
        stubs=report.stubs,
        outdated=report.outdated,
        unreadable=unreadable,
    )
    return calendar, len(report.errors)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)

    def action() -> int:
        settings = settings_from(args)
        tips = TipsSettings.from_pelican(settings)
        now = now_from(args.now, tips)
        calendar, errors = calendar_of(settings, now)
        if args.reminder:
            title, body, complete = calendar.reminder()
            print(json.dumps({"title": title, "body": body, "complete": complete}))
            return 0
        day = calendar.coming.publish_day
        print(
            f"Calendar of the weekly series at {now:%Y-%m-%d %H:%M} ({tips.timezone.key}); "
            f"tips appear on {day:%A}s."
        )
        for line in calendar.lines():
            print(line)
        if errors:
            plural = "s" if errors != 1 else ""
            print(f"\n{errors} error{plural} in the content: make check lists them.")
        return 0

    return run(action)


if __name__ == "__main__":
    sys.exit(main())
