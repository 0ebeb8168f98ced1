"""`make build` / `make site`: build the site into output/ and report what was built.

`make build` then writes the emails that are due to the outbox (always the
outbox, whatever NEWSLETTER_BACKEND says); `make site` (--no-outbox) sends nothing.
"""

from __future__ import annotations

import argparse

from scripts.cli import add_settings_arguments, exit_at_once, run, settings_from
from scripts.newsletter_steps import write_outbox
from tips_app.pipeline import build


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    parser.add_argument("--verbose", action="store_true", help="show every file written")
    parser.add_argument(
        "--no-outbox", action="store_true", help="build only; write no emails (make site)"
    )
    parser.add_argument(
        "--staged",
        action="store_true",
        help="replace the output folder only with a complete site (make site)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)

    def action() -> int:
        settings = settings_from(args)
        summary = build(settings, staged=args.staged)
        for line in summary.lines():
            print(line)
        if args.no_outbox:
            return 0
        lines, code = write_outbox(settings, summary)
        for line in lines:
            print(line)
        return code

    return run(action, verbose=args.verbose)


if __name__ == "__main__":
    exit_at_once(main())
