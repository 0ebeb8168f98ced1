"""The newsletter's state in words: every tip and language, due, sent or skipped and why.

``make newsletter-status`` prints this before anything is sent; ``make
publish`` prints it after, for what it did.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .due import DUE, FAILED, MISSED, SENT, SKIPPED, Decision, describe
from .ledger import SentRecord, zoned


@dataclass(frozen=True)
class Status:
    """The newsletter's decisions at one moment, and what a run did with them.

    ``sent_now`` holds the record keys (the emails' identities) this run sent,
    ``tried_now`` the identities it tried to send.
    """

    decisions: Sequence[Decision]
    backend: str
    now: datetime.datetime
    max_age_days: int
    sent_now: frozenset[str] = frozenset()
    tried_now: frozenset[str] = frozenset()

    def recent(self) -> list[Decision]:
        """What matters now: tips within the age limit, and whatever was due, missed,
        failed or tried in this run."""
        oldest = self.now - datetime.timedelta(days=self.max_age_days)
        return [
            d
            for d in self.decisions
            if d.tip.date >= oldest
            or d.state in (DUE, MISSED, FAILED)
            or d.tip.email_id in self.tried_now
        ]

    def state_text(self, decision: Decision) -> str:
        text = describe(decision, self.max_age_days, self.now)
        if decision.state == SENT and decision.record and decision.record.key in self.sent_now:
            text = text.replace("sent ", "sent now ", 1)
        return text

    def lines(
        self,
        elsewhere: Mapping[str, Sequence[SentRecord]] | None = None,
        recent_only: bool = False,
    ) -> list[str]:
        """One line per tip and language, then a count of each state.

        ``elsewhere`` adds what other backends recorded (e.g. the outbox of a
        development build). With ``recent_only`` (what ``make publish`` prints)
        older tips are counted, not listed: on a site with years of tips the
        lines that matter would drown.
        """
        lines = [
            f"Newsletter through {self.backend} at {zoned(self.now)}; tips dated more than "
            f"{self.max_age_days} days ago are not sent (NEWSLETTER_MAX_AGE_DAYS)."
        ]
        if not self.decisions:
            lines.append("No tips yet.")
            return lines
        listed = self.recent() if recent_only else list(self.decisions)
        width = max((len(f"{d.tip.week.code} {d.tip.slug}") for d in listed), default=0)
        for decision in listed:
            tip = decision.tip
            others = (elsewhere or {}).get(tip.email_id, ())
            extra = "".join(f"; also {r.backend}: {r.describe()}" for r in others)
            name = f"{tip.week.code} {tip.slug}"
            lines.append(f"{name:<{width}}  {tip.lang}  {self.state_text(decision)}{extra}")
        counts = Counter(d.state for d in self.decisions)
        lines.append(
            f"{counts[DUE]} due, {counts[SENT]} sent ({len(self.sent_now)} in this run), "
            f"{counts[SKIPPED]} skipped, {counts[MISSED]} missed"
            + (f", {counts[FAILED]} failed." if counts[FAILED] else ".")
        )
        if len(listed) < len(self.decisions):
            lines.append(
                f"{len(self.decisions) - len(listed)} older tips and languages are not listed "
                "(make newsletter-status lists every one)."
            )
        return lines

    def markdown(self) -> str:
        """The run as a Markdown table (the publish workflow's job summary): every
        tip and language this run sent, skipped, missed or failed, and the recent ones."""
        rows = self.recent()
        counts = Counter(d.state for d in self.decisions)
        lines = [
            f"### Newsletter through {self.backend}, {zoned(self.now)}",
            "",
            f"{len(self.sent_now)} sent in this run, {counts[MISSED]} missed, "
            f"{counts[FAILED]} failed.",
            "",
            "| week | tip | language | result |",
            "|---|---|---|---|",
        ]
        for decision in rows:
            tip = decision.tip
            cells = (tip.week.code, tip.slug, tip.lang, self.state_text(decision))
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        if not rows:
            lines.append("| | | | nothing recent |")
        return "\n".join(lines) + "\n"
