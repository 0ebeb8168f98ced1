"""What the newsletter does with each tip and language: due, sent, missed, or
skipped and why.

Whether a tip may be emailed now is decided once per build, in the site model
(``Tip.email_skip``, by the rule of tips_core.due); what is left here is the
backend's part. A tip is matched to what was sent by the email it is (its
series, ISO week and language: ``Tip.email_id``), so a new slug or title never
sends a week's email twice. A tip that may be emailed and was not sent is due;
one that became too old unsent in the last ``NEWSLETTER_MAX_AGE_DAYS`` is
missed, which the commands report loudly instead of letting it pass as "too old".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tips_core.due import (
    DRAFT,
    FUTURE,
    OPTED_OUT,
    TOO_OLD,
    elapsed,
    last_moment_due,
    recently_too_old,
)
from tips_core.model import Tip

from .ledger import SentRecord, zoned

DUE = "due"
SENT = "sent"
SKIPPED = "skipped"
MISSED = "missed"  # could have been sent, never was, and is too old now
FAILED = "failed"  # this run tried and could not send it (it stays due)
NO_SUBSCRIBERS = "no subscribers"  # a skip reason found by the backend, not by the model


@dataclass(frozen=True)
class Decision:
    tip: Tip
    state: str
    reason: str = ""
    record: SentRecord | None = None

    @property
    def due(self) -> bool:
        return self.state == DUE


def find_record(tip: Tip, records: Mapping[str, SentRecord]) -> SentRecord | None:
    """What was sent as this tip's email: by identity, else a first-version record
    (slug/lang) of the same slug."""
    return records.get(tip.email_id) or records.get(tip.key)


def decide(
    tip: Tip,
    record: SentRecord | None,
    now: datetime.datetime,
    max_age_days: int,
) -> Decision:
    if record is not None and tip.email_skip != DRAFT:  # a draft beside the sent tip
        return Decision(tip, SENT, record=record)
    if tip.email_skip == TOO_OLD and recently_too_old(tip.date, now, max_age_days):
        return Decision(tip, MISSED, TOO_OLD)
    if tip.email_skip:
        return Decision(tip, SKIPPED, tip.email_skip)
    return Decision(tip, DUE)


def decide_all(
    tips: Iterable[Tip],
    records: Mapping[str, SentRecord],
    now: datetime.datetime,
    max_age_days: int,
) -> list[Decision]:
    """Every tip and language, in the model's order: newest first, languages in site
    order. Of two files that are one email (a draft beside the published tip of its
    week), only one can be sent: the model's checks allow one live tip per week."""
    return [decide(tip, find_record(tip, records), now, max_age_days) for tip in tips]


def describe(decision: Decision, max_age_days: int, now: datetime.datetime) -> str:
    """The state of one tip and language in words, as the status lists it."""
    tip = decision.tip
    if decision.state == DUE:
        return "due"
    if decision.state == SENT and decision.record is not None:
        record = decision.record
        text = "sent " + record.describe()
        if record.slug and record.slug != tip.slug:
            text += f"; sent as '{record.slug}', this week's email is not sent again"
        return text
    if decision.state == MISSED:
        return (
            f"MISSED: due from {zoned(tip.date)} until "
            f"{zoned(last_moment_due(tip.date, max_age_days))}, never sent; to send it on "
            "purpose, run `make publish` once with "
            f"NEWSLETTER_MAX_AGE_DAYS={days_to_send(tip, now)}; to let it go, set "
            "`newsletter: false` in its front matter"
        )
    if decision.state == FAILED:
        return f"FAILED: {decision.reason}; it stays due, the next run tries again"
    reason = decision.reason
    if reason == NO_SUBSCRIBERS:
        return (
            f"skipped: no subscribers in {tip.lang} yet; it is sent if some arrive "
            f"by {zoned(last_moment_due(tip.date, max_age_days))}"
        )
    if reason == FUTURE:
        return f"skipped: future (appears {zoned(tip.date)})"
    if reason == TOO_OLD:
        plural = "s" if max_age_days != 1 else ""
        return (
            f"skipped: too old (dated {tip.date:%Y-%m-%d}, "
            f"more than {max_age_days} day{plural} ago)"
        )
    if reason == OPTED_OUT:
        return "skipped: opted out (newsletter: false)"
    if reason == DRAFT:
        return "skipped: draft"
    return f"skipped: {reason}"


def days_to_send(tip: Tip, now: datetime.datetime) -> int:
    """A NEWSLETTER_MAX_AGE_DAYS under which ``tip`` is due again, with a day to
    spare for the run to start."""
    return elapsed(tip.date, now).days + 2
