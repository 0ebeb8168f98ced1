"""`make newsletter-status`: every tip and language: due, sent (when, where),
missed, or skipped and why.

It reads the content's front matter and what was sent; it builds nothing and
sends nothing. "Due" is relative to NEWSLETTER_BACKEND (the environment may
override it, as for `make publish`). For Mailchimp with MAILCHIMP_API_KEY in
the environment it reads the audience's campaigns, the truth even on a fresh
checkout; without the key it says that it only knows the local record. What
other backends recorded (e.g. the outbox of development builds) is shown
beside it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from pelican.plugins.tip_newsletter.backends import reading_backend, sent_records
from pelican.plugins.tip_newsletter.due import decide_all
from pelican.plugins.tip_newsletter.registry import BACKENDS
from pelican.plugins.tip_newsletter.status import Status
from scripts.cli import run, settings_parser
from scripts.newsletter_steps import newsletter_settings
from tips_app.pipeline import check, site_model
from tips_core.errors import ContentError


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    return settings_parser(__doc__).parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)

    def action() -> int:
        settings, config = newsletter_settings(args)
        now = datetime.datetime.now(config.tips.timezone)
        report = check(settings, now)
        if report.errors:
            raise ContentError(report.errors)
        backend, caveat = reading_backend(config, os.environ)
        records = backend.sent_records()
        elsewhere: dict[str, list] = {}
        for name in BACKENDS:
            if name != config.backend:
                for key, record in sent_records(config, name).items():
                    elsewhere.setdefault(key, []).append(record)
        tips = site_model(settings, report, now).tips
        decisions = decide_all(tips, records, now, config.max_age_days)
        lines = Status(decisions, config.backend, now, config.max_age_days).lines(elsewhere)
        for line in ([caveat] if caveat else []) + lines:
            print(line)
        return 0

    return run(action)


if __name__ == "__main__":
    sys.exit(main())
