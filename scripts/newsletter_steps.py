"""The newsletter step of the commands that build: build, serve and publish."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pelican.plugins.tip_newsletter.backends import BaseBackend, get_backend
from pelican.plugins.tip_newsletter.dispatch import DispatchReport, send_due
from pelican.plugins.tip_newsletter.errors import NewsletterError


def send(settings: Mapping[str, Any], summary, backend: BaseBackend) -> DispatchReport:
    """Send what the build made due; on failure print what was sent before it."""
    try:
        return send_due(settings, summary, backend)
    except NewsletterError as exc:
        partial = getattr(exc, "partial_report", None)
        if partial is not None:
            for line in partial.lines():
                print(line)
        raise


def write_outbox(settings: Mapping[str, Any], summary) -> list[str]:
    """Development builds write due emails to the outbox, whatever else is configured."""
    backend = get_backend(summary.newsletter, "outbox")
    return send(settings, summary, backend).short_lines()
