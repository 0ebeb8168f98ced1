"""`make build` / `make site`: build the site into output/ and report what was built."""

from __future__ import annotations

import argparse
import sys

from pelican.plugins.weekly_tips.pipeline import build, load_settings
from scripts.cli import run, setup_logging


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file")
    parser.add_argument("--verbose", action="store_true", help="show every file written")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    setup_logging(args.verbose)

    def action() -> int:
        summary = build(load_settings(args.settings))
        for line in summary.lines():
            print(line)
        return 0

    return run(action)


if __name__ == "__main__":
    sys.exit(main())
