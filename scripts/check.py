"""`make check`: validate all content the way the build does, without building."""

from __future__ import annotations

import argparse
import sys
import time

from scripts.cli import (
    add_now_argument,
    exit_at_once,
    now_from,
    report_problems,
    run,
    settings_from,
    settings_parser,
)
from tips_app.pipeline import check
from tips_core.site_settings import TipsSettings


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = settings_parser(__doc__)
    add_now_argument(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)

    def action() -> int:
        started = time.perf_counter()
        settings = settings_from(args)
        now = now_from(args.now, TipsSettings.from_pelican(settings))
        report = check(settings, now)
        report_problems(report.problems, sys.stdout)
        if report.coverage is not None:
            for line in report.coverage.table():
                print(line)
        errors = len(report.errors)
        warnings = len(report.problems) - errors
        print(
            f"Checked {len(report.sources)} files in {time.perf_counter() - started:.2f} s: "
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}."
        )
        return 1 if errors else 0

    return run(action)


if __name__ == "__main__":
    exit_at_once(main())
