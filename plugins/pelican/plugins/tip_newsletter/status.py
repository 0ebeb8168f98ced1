"""The newsletter's state in words: every tip and language, due, sent or skipped and why.

``make newsletter-status`` prints this before anything is sent; ``make
publish`` prints it after, for what it did.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence

from .due import DUE, SENT, SKIPPED, Decision, describe
from .ledger import SentRecord


def status_lines(
    decisions: Sequence[Decision],
    *,
    backend: str,
    now: datetime.datetime,
    max_age_days: int,
    sent_now: set[str] | frozenset[str] = frozenset(),
    elsewhere: Mapping[str, Sequence[SentRecord]] | None = None,
    recent_only: bool = False,
) -> list[str]:
    """One line per tip and language, then a count of each state.

    ``sent_now`` marks what this run sent; ``elsewhere`` adds what other
    backends recorded (e.g. the outbox of a development build). With
    ``recent_only`` (what ``make publish`` prints) tips dated before the age
    limit are counted, not listed: on a site with years of tips the lines that
    matter would drown.
    """
    lines = [
        f"Newsletter through {backend} at {now:%Y-%m-%d %H:%M %Z}; tips dated more than "
        f"{max_age_days} days ago are not sent (NEWSLETTER_MAX_AGE_DAYS)."
    ]
    if not decisions:
        lines.append("No tips yet.")
        return lines
    oldest = now - datetime.timedelta(days=max_age_days)
    listed = [
        d
        for d in decisions
        if not recent_only or d.tip.date >= oldest or d.due or d.tip.key in sent_now
    ]
    width = max((len(f"{d.tip.week.code} {d.tip.slug}") for d in listed), default=0)
    for decision in listed:
        tip = decision.tip
        state = describe(decision, max_age_days)
        if decision.state == SENT and tip.key in sent_now:
            state = state.replace("sent ", "sent now ", 1)
        others = (elsewhere or {}).get(tip.key, ())
        extra = "".join(f"; also {r.backend}: {r.describe()}" for r in others)
        lines.append(f"{f'{tip.week.code} {tip.slug}':<{width}}  {tip.lang}  {state}{extra}")
    counts = Counter(d.state for d in decisions)
    lines.append(
        f"{counts[DUE]} due, {counts[SENT]} sent ({len(sent_now)} in this run), "
        f"{counts[SKIPPED]} skipped."
    )
    if len(listed) < len(decisions):
        lines.append(
            f"{len(decisions) - len(listed)} older tips and languages are not listed "
            "(make newsletter-status lists every one)."
        )
    return lines
