"""After the build: decide what is due, render it, and hand it to the backend.

Everything happens under the backend's lock: the sent records are read, the
due tips decided, and each email sent and recorded before the lock is let go.
All emails are rendered before the first is sent, so a tip that cannot be
made into an email stops the run before anything goes out.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tips_core.i18n import Catalogs

from .backends import BaseBackend, Delivery
from .due import SENT, Decision, decide_all
from .email_source import EmailSource
from .errors import NewsletterError
from .ledger import SentRecord
from .rendering import EmailRenderer, RenderedEmail
from .settings import NewsletterSettings
from .status import status_lines

logger = logging.getLogger(__name__)


@dataclass
class DispatchReport:
    backend: str
    now: datetime.datetime
    max_age_days: int
    decisions: list[Decision] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def sent(self) -> list[Delivery]:
        """What this run sent (not what it found sent before)."""
        return [d for d in self.deliveries if d.new]

    @property
    def due(self) -> list[Decision]:
        return [d for d in self.decisions if d.due]

    def lines(self) -> list[str]:
        """The status of what matters now: recent tips, and what this run sent."""
        return status_lines(
            self.decisions,
            backend=self.backend,
            now=self.now,
            max_age_days=self.max_age_days,
            sent_now={d.record.key for d in self.sent},
            recent_only=True,
        )

    def short_lines(self) -> list[str]:
        """What a development build prints: the new emails, or why there are none."""
        if self.sent:
            head = f"Newsletter: {len(self.sent)} new email{'s' if len(self.sent) != 1 else ''}"
            return [f"{head} ({self.backend}):"] + [f"  {d.record.where}" for d in self.sent]
        counts: dict[str, int] = {}
        for decision in self.decisions:
            reason = "already sent" if decision.state == SENT else decision.reason or "due"
            counts[reason] = counts.get(reason, 0) + 1
        detail = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
        return [f"Newsletter: nothing new to send ({self.backend}; {detail or 'no tips'})."]


def render_all(
    decisions: Iterable[Decision],
    emails: Mapping[str, EmailSource],
    config: NewsletterSettings,
    settings: Mapping[str, Any],
    catalogs: Catalogs,
    variant,
) -> list[RenderedEmail]:
    renderer = EmailRenderer(settings["THEME"], catalogs)
    rendered = []
    for decision in decisions:
        source = emails.get(decision.tip.key)
        if source is None:
            raise NewsletterError(
                f"{decision.tip.path}: due for the newsletter, but the build made no email "
                "of it; build the site again, then send"
            )
        rendered.append(renderer.render(source, variant))
    return rendered


def send_due(
    settings: Mapping[str, Any],
    summary: Any,
    backend: BaseBackend,
) -> DispatchReport:
    """Send every due tip of a build through ``backend``; return what was decided
    and done. ``summary`` is the build's (tips_app.pipeline.BuildSummary): its
    site model, catalogs and the emails it made.

    On a failure the error carries the report so far (``partial_report``), so
    the command can still say what was sent before it.
    """
    config = backend.config
    model = summary.model
    report = DispatchReport(backend.name, model.now, config.max_age_days)
    with backend.locked():
        records = backend.sent_records()
        report.decisions = decide_all(model.tips, records)
        due = report.due
        if not due:
            return report
        config.check_siteurl()
        try:
            emails = render_all(
                due, summary.emails, config, settings, summary.catalogs, backend.variant
            )
            backend.open()
            try:
                for email in emails:
                    delivery = backend.send(email)
                    report.deliveries.append(delivery)
                    _mark_sent(report, delivery.record)
                    logger.info("Sent %s through %s: %s", email.key, backend.name, delivery)
            finally:
                backend.close()
        except NewsletterError as exc:
            exc.partial_report = report  # type: ignore[attr-defined]
            raise
    return report


def _mark_sent(report: DispatchReport, record: SentRecord) -> None:
    report.decisions = [
        Decision(d.tip, SENT, record=record) if d.tip.key == record.key else d
        for d in report.decisions
    ]
