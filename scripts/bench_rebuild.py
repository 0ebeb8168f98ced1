"""Rebuilds the way `make serve` does them, timed (used by `make bench`).

One long-running process, like `make serve`: a first build, then for each
attempt one tip is edited and the site rebuilt. Prints, as JSON, the best
times until the pages were written (what a reader of `make serve` sees) and
until the search index was updated too. ``--profile PATH`` then profiles one
more rebuild, until its pages are written, into PATH (pstats).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import sys
import time

from scripts.cli import add_settings_arguments, settings_from
from tips_app.live_site import LiveSite
from tips_app.pipeline import finish_search


def edit_one_tip(corpus: str, attempt: int) -> str:
    """Change the body of one tip, as an author saving a file does."""
    tips = os.path.join(corpus, "tips")
    years = sorted(os.listdir(tips))
    year = years[len(years) // 2]
    name = sorted(os.listdir(os.path.join(tips, year)))[0]
    path = os.path.join(tips, year, name)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\nOne more sentence, edit number {attempt + 1}.\n")
    return path


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", help="profile one more rebuild into this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    site = LiveSite()
    finish_search(site.rebuild(settings_from(args)))  # the first build `make serve` makes
    pages, searched = [], []
    for attempt in range(args.repeat):
        edit_one_tip(args.content, attempt)
        started = time.perf_counter()
        summary = site.rebuild(settings_from(args))
        pages.append(time.perf_counter() - started)
        if summary.pages_rendered == 0:
            raise SystemExit("bench: the edit rendered no page")
        finish_search(summary)
        searched.append(time.perf_counter() - started)
    if args.profile:
        edit_one_tip(args.content, args.repeat)
        profiler = cProfile.Profile()
        summary = profiler.runcall(site.rebuild, settings_from(args))
        profiler.dump_stats(args.profile)
        finish_search(summary)
    print(json.dumps({"pages": min(pages), "search": min(searched)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
