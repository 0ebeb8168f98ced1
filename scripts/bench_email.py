"""The time to render one newsletter email (used by `make bench`).

Builds the corpus as it is just after its newest tip was published, so that
tip's language versions are due, then renders them (HTML and text parts from
the templates, and the whole RFC 5322 message the outbox writes) several
times over. Returns the mean seconds per email.
"""

from __future__ import annotations

import argparse
import datetime
import time

from pelican.plugins.tip_newsletter.backends import get_backend
from pelican.plugins.tip_newsletter.dispatch import render_all
from pelican.plugins.tip_newsletter.due import decide_all
from pelican.plugins.tip_newsletter.message import build_message
from pelican.plugins.tip_newsletter.settings import NewsletterSettings
from scripts.cli import add_settings_arguments, settings_from
from tips_app.pipeline import build, check

ROUNDS = 20


def time_one_email(argv: list[str]) -> float:
    parser = argparse.ArgumentParser()
    add_settings_arguments(parser)
    parser.add_argument("repeat", type=int)
    args = parser.parse_args(argv)
    settings = settings_from(args)
    newest = max(source.fields["date"] for source in check(settings).tips)
    now = newest + datetime.timedelta(hours=1)
    summary = build(settings, now=now)
    config = NewsletterSettings.from_pelican(settings)
    due = [d for d in decide_all(summary.model.tips, {}, now, config.max_age_days) if d.due]
    if not due:
        raise SystemExit("bench: no email is due in the corpus")
    variant = get_backend(config, "outbox").variant
    best = float("inf")
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        for _ in range(ROUNDS):
            for rendered in render_all(
                due, summary.emails, config, settings, summary.catalogs, variant
            ):
                build_message(
                    rendered,
                    from_name=config.from_name(rendered.lang),
                    reply_to=config.reply_to(rendered.lang),
                )
        best = min(best, (time.perf_counter() - started) / (ROUNDS * len(due)))
    return best
