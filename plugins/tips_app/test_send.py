"""`make test-send SLUG=… TO=…`: a tip's email in each of its languages, to one address.

The emails are made as the real send will make them: the site is built, into
a folder of its own under the cache, at the moment the tip is published (a
draft or a scheduled tip as it will be then, as `make preview` does), with the
site's real SITEURL, so every link is the one subscribers will get. Then each
email goes to the backend's test send (Mailchimp's test email of the very
campaign the real send will use, or the outbox's ``test-send`` folder), which
records nothing as sent.
"""

from __future__ import annotations

import os
import re
from typing import Any

from pelican.plugins.tip_newsletter.backends import BaseBackend
from pelican.plugins.tip_newsletter.dispatch import render_all
from pelican.plugins.tip_newsletter.due import DUE, Decision
from pelican.plugins.tip_newsletter.settings import NewsletterSettings
from tips_core.errors import ContentError, TipsError

from .pipeline import build, check, load_settings
from .previews import plan_preview

ADDRESS_RE = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")


class TestSendError(TipsError):
    """A usage mistake (no slug, no address, a tip that is never emailed)."""

    exit_code = 1


def check_address(to: str) -> str:
    to = to.strip()
    if not to:
        raise TestSendError("TO is missing: make test-send SLUG=<slug> TO=<your address>")
    if not ADDRESS_RE.fullmatch(to):
        raise TestSendError(f"TO: '{to}' is not one email address")
    return to


def send_tests(
    settings_file: str,
    settings: dict[str, Any],
    config: NewsletterSettings,
    backend: BaseBackend,
    slug: str,
    to: str,
    now,
) -> list[str]:
    """Send the tip's email in each of its languages to ``to``; the lines to print."""
    to = check_address(to)
    report = check(settings, now)
    if report.errors:
        raise ContentError(report.errors)
    plan = plan_preview(report, slug.strip(), config.tips.languages)
    if not any(version.fields.get("newsletter", True) for version in plan.versions):
        raise TestSendError(f"'{plan.slug}' has newsletter: false: it is never emailed")
    config.check_siteurl()
    root = os.path.join(settings["CACHE_PATH"], "test-send")
    overrides = {key: settings[key] for key in ("PATH", "SITEURL", "THEME") if key in settings} | {
        "OUTPUT_PATH": os.path.join(root, "site"),
        "CACHE_PATH": os.path.join(root, "cache"),
        "DELETE_OUTPUT_DIRECTORY": True,
        "WITH_FUTURE_DATES": True,
        "NEWSLETTER_MAX_AGE_DAYS": max(config.max_age_days, 1),
    }
    test_settings = load_settings(settings_file, overrides)
    summary = build(test_settings, now=plan.moment, preview_slug=plan.slug)
    tips = [tip for tip in summary.model.tips if tip.slug == plan.slug and tip.newsletter]
    emails = render_all(
        [Decision(tip, DUE) for tip in tips],
        summary.emails,
        config,
        test_settings,
        summary.catalogs,
        backend.variant,
    )
    lines = [f"Test emails of '{plan.slug}' to {to} only (never to subscribers):"]
    with backend.locked():
        backend.open()
        try:
            for email in emails:
                lines.append(f"  {email.lang}: {backend.send_test(email, to)}")
        finally:
            backend.close()
    if plan.missing:
        lines.append(f"Not translated yet: {', '.join(plan.missing)}.")
    return lines
