"""After the build: decide what is due, render it, and hand it to the backend.

Everything happens under the backend's lock: the sent records are read, the
due tips decided, and each email sent and recorded before the lock is let go.
When anything could be due or missed, the backend is opened first, so the
decision uses what the provider says was sent (Mailchimp's campaigns), not
only the local record that a fresh checkout lacks.

All emails are rendered before the first is sent, so a tip that cannot be
made into an email stops the run before anything goes out. Past that, each
email is tried on its own: a refusal of one is reported and the others still
go out; a language with no subscribers is skipped with a warning. Settings
errors found before the first send (the key, the audience, the segments) end
the run, naming the setting.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tips_core.i18n import Catalogs

from .backends import BaseBackend, Delivery
from .due import FAILED, MISSED, NO_SUBSCRIBERS, SENT, SKIPPED, Decision, decide_all, describe
from .email_source import EmailSource
from .errors import BackendError, ConfigurationError, NewsletterError, NoSubscribers
from .ledger import SentRecord
from .rendering import EmailRenderer, RenderedEmail
from .settings import NewsletterSettings
from .status import Status

logger = logging.getLogger(__name__)


@dataclass
class DispatchReport:
    backend: str
    now: datetime.datetime
    max_age_days: int
    decisions: list[Decision] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    tried: set[str] = field(default_factory=set)  # identities this run tried to send

    @property
    def sent(self) -> list[Delivery]:
        """What this run sent (not what it found sent before)."""
        return [d for d in self.deliveries if d.new]

    @property
    def due(self) -> list[Decision]:
        return [d for d in self.decisions if d.due]

    @property
    def failed(self) -> list[Decision]:
        return [d for d in self.decisions if d.state == FAILED]

    @property
    def missed(self) -> list[Decision]:
        return [d for d in self.decisions if d.state == MISSED]

    @property
    def exit_code(self) -> int:
        """What `make publish` exits with: 2 when an email failed or was missed."""
        return 2 if self.failed or self.missed else 0

    def problem_lines(self) -> list[str]:
        """One line per email that failed or was missed in this run, for stderr."""
        return [
            f"error: {d.tip.email_id} ({d.tip.path}): {describe(d, self.max_age_days, self.now)}"
            for d in (*self.failed, *self.missed)
        ]

    @property
    def status(self) -> Status:
        return Status(
            self.decisions,
            self.backend,
            self.now,
            self.max_age_days,
            sent_now=frozenset(d.record.key for d in self.sent),
            tried_now=frozenset(self.tried),
        )

    def lines(self) -> list[str]:
        """The status of what matters now: recent tips, and what this run sent."""
        return self.status.lines(recent_only=True)

    def markdown(self) -> str:
        """The run as the publish workflow's job summary shows it."""
        return self.status.markdown()

    def short_lines(self) -> list[str]:
        """What a development build prints: the new emails, or why there are none."""
        if self.sent:
            head = f"Newsletter: {len(self.sent)} new email{'s' if len(self.sent) != 1 else ''}"
            return [f"{head} ({self.backend}):"] + [f"  {d.record.where}" for d in self.sent]
        counts: dict[str, int] = {}
        for decision in self.decisions:
            reason = {SENT: "already sent", MISSED: "missed", FAILED: "failed"}.get(
                decision.state, decision.reason or "due"
            )
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

    One email's failure is in the report (``failed``), not raised. What is
    raised (content that cannot be an email, a settings error, the lock) carries
    the report so far (``partial_report``), so the command can still say what
    was sent before it.
    """
    config = backend.config
    model = summary.model
    report = DispatchReport(backend.name, model.now, config.max_age_days)

    def decide() -> None:
        records = backend.sent_records()
        report.decisions = decide_all(model.tips, records, model.now, config.max_age_days)

    with backend.locked():
        decide()
        if not (report.due or report.missed):
            return report
        try:
            backend.open()  # the provider's record, before deciding for good
            try:
                decide()
                due = report.due
                if due:
                    config.check_siteurl()
                    emails = render_all(
                        due, summary.emails, config, settings, summary.catalogs, backend.variant
                    )
                    for email in emails:
                        _send_one(report, backend, email)
            finally:
                backend.close()
        except NewsletterError as exc:
            exc.partial_report = report  # type: ignore[attr-defined]
            raise
    return report


def _send_one(report: DispatchReport, backend: BaseBackend, email: RenderedEmail) -> None:
    """Send one email; a refusal or a skip is recorded in the report, not raised."""
    report.tried.add(email.email_id)
    try:
        delivery = backend.send(email)
    except NoSubscribers as exc:
        logger.warning("%s: %s", email.source.source_path, exc)
        _mark(report, email.email_id, SKIPPED, NO_SUBSCRIBERS)
        return
    except (BackendError, ConfigurationError, OSError) as exc:
        # Even a refused key is reported per email: the provider may refuse one
        # campaign (403) and take the next.
        message = str(exc) if not isinstance(exc, OSError) else f"{exc.strerror}: {exc.filename}"
        logger.info("%s: not sent: %s", email.source.source_path, message)
        _mark(report, email.email_id, FAILED, message)
        return
    report.deliveries.append(delivery)
    _mark(report, email.email_id, SENT, record=delivery.record)
    logger.info("Sent %s through %s: %s", email.email_id, backend.name, delivery)


def _mark(
    report: DispatchReport,
    email_id: str,
    state: str,
    reason: str = "",
    record: SentRecord | None = None,
) -> None:
    report.decisions = [
        Decision(d.tip, state, reason, record) if d.due and d.tip.email_id == email_id else d
        for d in report.decisions
    ]
