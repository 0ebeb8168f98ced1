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

from tips_core.i18n import Catalogs, translations_dir
from tips_core.source_file import SourceFile

from .backends import BaseBackend, Delivery
from .due import SENT, Decision, decide_all, facts_from_sources
from .errors import NewsletterError
from .ledger import SentRecord
from .manifest import read_manifest
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
    decisions: Iterable[Decision], config: NewsletterSettings, settings: Mapping[str, Any], variant
) -> list[RenderedEmail]:
    manifest = read_manifest(config.state_path)
    tips = config.tips
    catalogs = Catalogs(translations_dir(settings), tips.languages, tips.default_lang)
    renderer = EmailRenderer(settings["THEME"], catalogs, sender=config.from_name)
    emails = []
    for decision in decisions:
        source = manifest.get(decision.tip.key)
        if source is None:
            raise NewsletterError(
                f"{decision.tip.path}: due for the newsletter, but the last build did not list "
                "its email; build the site again, then send"
            )
        emails.append(renderer.render(source, variant))
    return emails


def send_due(
    settings: Mapping[str, Any],
    sources: Iterable[SourceFile],
    backend: BaseBackend,
    now: datetime.datetime | None = None,
) -> DispatchReport:
    """Send every due tip through ``backend``; return what was decided and done.

    On a failure the error carries the report so far (``partial_report``), so
    the command can still say what was sent before it.
    """
    config = backend.config
    tips = config.tips
    now = now or settings.get("TIPS_NOW") or datetime.datetime.now(tips.timezone)
    facts = facts_from_sources(sources)
    report = DispatchReport(backend.name, now, config.max_age_days)
    with backend.locked():
        records = backend.sent_records()
        report.decisions = decide_all(facts, now, config.max_age_days, records, tips.languages)
        due = report.due
        if not due:
            return report
        config.check_siteurl()
        try:
            emails = render_all(due, config, settings, backend.variant)
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
