"""`make publish`: the production build, then the due tips through NEWSLETTER_BACKEND.

The only command that reads NEWSLETTER_BACKEND. Every NEWSLETTER_* and
MAILCHIMP_* setting may be overridden by the environment variable of the same
name; MAILCHIMP_API_KEY is read from the environment only. The backend's
settings are checked before anything is built, and the command ends with the
newsletter's status: what it sent, what was sent before, what it skipped and why.
It exits 2 when an email failed or was missed (one line each on stderr), after
every other due email went out; in a GitHub Actions job it adds the run's table
to the job summary.
"""

from __future__ import annotations

import argparse
import os
import sys

from pelican.plugins.tip_newsletter.backends import get_backend
from scripts.cli import add_settings_arguments, run
from scripts.newsletter_steps import newsletter_settings, report_problems, send
from tips_app.pipeline import build


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    parser.add_argument("--verbose", action="store_true", help="log each step")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)

    def action() -> int:
        settings, config = newsletter_settings(args)
        config.check_siteurl()
        backend = get_backend(config, environ=os.environ)
        summary = build(settings, staged=True)
        for line in summary.lines():
            print(line)
        report = send(settings, summary, backend, os.environ)
        for line in report.lines():
            print(line)
        return report_problems(report)

    return run(action, verbose=args.verbose)


if __name__ == "__main__":
    sys.exit(main())
