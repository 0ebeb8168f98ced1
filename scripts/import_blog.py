"""`make import EXPORT=<file> TIP_LANG=<lang>`: an old blog's export into content/."""

from __future__ import annotations

import argparse
import os
import sys

from rich.console import Console
from rich.progress import Progress

from scripts.cli import add_settings_arguments, run, settings_from
from tips_app.importing.importer import ImportFailed, ImportOptions, run_import
from tips_app.importing.report import report_lines

COMMAND = "make import EXPORT=… TIP_LANG=…"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    parser.add_argument("--export", default="", help="the WordPress export or Blogger backup")
    parser.add_argument("--lang", default="", help="the language of the old blog's posts")
    parser.add_argument("--series", default="", help="category, tag or title words; or all")
    parser.add_argument("--uploads", default="", help="a local copy of wp-content/uploads")
    parser.add_argument("--download", default="1", help="0 keeps remote images")
    parser.add_argument("--pairs", default="", help="a CSV of old URLs of translations")
    parser.add_argument("--dry-run", default="", help="1: report only, write nothing")
    return parser.parse_args(argv)


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("", "0", "no", "false")


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    options = ImportOptions(
        export=args.export,
        lang=args.lang.strip(),
        series=args.series,
        uploads=args.uploads,
        download=_flag(args.download or "1"),
        dry_run=_flag(args.dry_run),
        pairs=args.pairs,
    )

    def action() -> int:
        if args.content:  # a new site's content folder may not be there yet
            os.makedirs(args.content, exist_ok=True)
        settings = settings_from(args)
        # A bar on long imports, on a terminal only: logs and tests get the report.
        console = Console(stderr=True)
        with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
            task = bar.add_task("Importing", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                result = run_import(options, settings, progress)
            except ImportFailed as exc:  # its message names the file and line
                print(exc, file=sys.stderr)
                return exc.exit_code
        print("\n".join(report_lines(result, COMMAND)))
        return 0

    return run(action)


if __name__ == "__main__":
    sys.exit(main())
