"""`make test-send SLUG=<slug> TO=<address>`: the tip's email in each of its
languages, to that one address only, through NEWSLETTER_BACKEND (Mailchimp's
test email of the campaign the real send will use, or the outbox's test-send
folder); never to subscribers, and nothing is recorded as sent.

Settings: pelicanconf.py, with each NEWSLETTER_* and MAILCHIMP_* setting and
SITEURL overridden by the environment variable of the same name, as for
`make publish` (so a test through Mailchimp links to the production site).
"""

from __future__ import annotations

import datetime
import os
import sys

from pelican.plugins.tip_newsletter.backends import get_backend
from scripts.cli import print_lines, run, settings_parser
from scripts.newsletter_steps import newsletter_settings
from tips_app.test_send import send_tests


def parse_arguments(argv: list[str] | None):
    parser = settings_parser(__doc__)
    parser.add_argument("--slug", default="", help="the tip (make: SLUG)")
    parser.add_argument("--to", default="", help="the one address (make: TO)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)

    def action() -> int:
        settings, config = newsletter_settings(args, siteurl=os.environ.get("SITEURL"))
        backend = get_backend(config, environ=os.environ)
        now = datetime.datetime.now(config.tips.timezone)
        return print_lines(
            send_tests(args.settings, settings, config, backend, args.slug, args.to, now)
        )

    return run(action)


if __name__ == "__main__":
    sys.exit(main())
