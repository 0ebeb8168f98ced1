"""What the newsletter does with each tip and language: due, sent, or skipped and why.

Whether a tip may be emailed now is decided once per build, in the site model
(``Tip.email_skip``, by the rule of tips_core.due); what is left here is the
backend's part: a tip that may be emailed and was not sent yet is due.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tips_core.due import DRAFT, FUTURE, OPTED_OUT, TOO_OLD
from tips_core.model import Tip

from .ledger import SentRecord

DUE = "due"
SENT = "sent"
SKIPPED = "skipped"


@dataclass(frozen=True)
class Decision:
    tip: Tip
    state: str
    reason: str = ""
    record: SentRecord | None = None

    @property
    def due(self) -> bool:
        return self.state == DUE


def decide(tip: Tip, record: SentRecord | None = None) -> Decision:
    if record is not None:
        return Decision(tip, SENT, record=record)
    if tip.email_skip:
        return Decision(tip, SKIPPED, tip.email_skip)
    return Decision(tip, DUE)


def decide_all(tips: Iterable[Tip], records: Mapping[str, SentRecord]) -> list[Decision]:
    """Every tip and language, in the model's order: newest first, languages in site order."""
    return [decide(tip, records.get(tip.key)) for tip in tips]


def describe(decision: Decision, max_age_days: int) -> str:
    """The state of one tip and language in words, as the status lists it."""
    tip = decision.tip
    if decision.state == DUE:
        return "due"
    if decision.state == SENT and decision.record is not None:
        return "sent " + decision.record.describe()
    reason = decision.reason
    if reason == FUTURE:
        return f"skipped: future (appears {tip.date:%Y-%m-%d %H:%M})"
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
