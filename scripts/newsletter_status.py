"""`make newsletter-status`: every tip and language: due, sent (when, where), or skipped and why.

It reads the content's front matter and the local records of what was sent;
it builds nothing, sends nothing and needs no API key. "Due" is relative to
NEWSLETTER_BACKEND (the environment may override it, as for `make publish`);
what other backends recorded (e.g. the outbox of development builds) is shown
beside it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from pelican.plugins.tip_newsletter.backends import sent_records
from pelican.plugins.tip_newsletter.due import decide_all
from pelican.plugins.tip_newsletter.registry import BACKENDS
from pelican.plugins.tip_newsletter.settings import NewsletterSettings, apply_environment
from pelican.plugins.tip_newsletter.status import status_lines
from scripts.cli import add_settings_arguments, run, settings_from, setup_logging
from tips_app.pipeline import check, site_model
from tips_core.errors import ContentError


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    setup_logging()

    def action() -> int:
        settings = settings_from(args)
        apply_environment(settings, os.environ)
        config = NewsletterSettings.from_pelican(settings)
        now = datetime.datetime.now(config.tips.timezone)
        report = check(settings, now)
        if report.errors:
            raise ContentError(report.errors)
        records = sent_records(config, config.backend)
        elsewhere: dict[str, list] = {}
        for name in BACKENDS:
            if name != config.backend:
                for key, record in sent_records(config, name).items():
                    elsewhere.setdefault(key, []).append(record)
        decisions = decide_all(site_model(settings, report, now).tips, records)
        for line in status_lines(
            decisions,
            backend=config.backend,
            now=now,
            max_age_days=config.max_age_days,
            elsewhere=elsewhere,
        ):
            print(line)
        return 0

    return run(action)


if __name__ == "__main__":
    sys.exit(main())
