"""`make build` / `make site`: build the site into output/ and report what was built."""

from __future__ import annotations

import argparse
import sys

from pelican.plugins.weekly_tips.pipeline import build
from scripts.cli import add_settings_arguments, run, settings_from, setup_logging


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    parser.add_argument("--verbose", action="store_true", help="show every file written")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    setup_logging(args.verbose)

    def action() -> int:
        summary = build(settings_from(args))
        for line in summary.lines():
            print(line)
        return 0

    return run(action)


if __name__ == "__main__":
    sys.exit(main())
