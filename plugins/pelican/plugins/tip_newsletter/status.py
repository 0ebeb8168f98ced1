"""The newsletter's state in words: every tip and language, due, sent or skipped and why.

``make newsletter-status`` prints this before anything is sent; ``make
publish`` prints it after, for what it did.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence

from .due import DUE, FAILED, MISSED, SENT, SKIPPED, Decision, describe
from .ledger import SentRecord, zoned


def status_lines(
    decisions: Sequence[Decision],
    *,
    backend: str,
    now: datetime.datetime,
    max_age_days: int,
    sent_now: set[str] | frozenset[str] = frozenset(),
    tried_now: set[str] | frozenset[str] = frozenset(),
    elsewhere: Mapping[str, Sequence[SentRecord]] | None = None,
    recent_only: bool = False,
) -> list[str]:
    """One line per tip and language, then a count of each state.

    ``sent_now`` marks what this run sent (by record key: the email's identity),
    ``tried_now`` what it tried to send; ``elsewhere`` adds what other
    backends recorded (e.g. the outbox of a development build). With
    ``recent_only`` (what ``make publish`` prints) tips dated before the age
    limit are counted, not listed: on a site with years of tips the lines that
    matter would drown.
    """
    lines = [
        f"Newsletter through {backend} at {zoned(now)}; tips dated more than "
        f"{max_age_days} days ago are not sent (NEWSLETTER_MAX_AGE_DAYS)."
    ]
    if not decisions:
        lines.append("No tips yet.")
        return lines
    oldest = now - datetime.timedelta(days=max_age_days)
    listed = [
        d
        for d in decisions
        if not recent_only
        or d.tip.date >= oldest
        or d.state in (DUE, MISSED, FAILED)
        or d.tip.email_id in tried_now
    ]
    width = max((len(f"{d.tip.week.code} {d.tip.slug}") for d in listed), default=0)
    for decision in listed:
        tip = decision.tip
        state = describe(decision, max_age_days, now)
        if decision.state == SENT and decision.record and decision.record.key in sent_now:
            state = state.replace("sent ", "sent now ", 1)
        others = (elsewhere or {}).get(tip.email_id, ())
        extra = "".join(f"; also {r.backend}: {r.describe()}" for r in others)
        lines.append(f"{f'{tip.week.code} {tip.slug}':<{width}}  {tip.lang}  {state}{extra}")
    counts = Counter(d.state for d in decisions)
    lines.append(
        f"{counts[DUE]} due, {counts[SENT]} sent ({len(sent_now)} in this run), "
        f"{counts[SKIPPED]} skipped, {counts[MISSED]} missed"
        + (f", {counts[FAILED]} failed." if counts[FAILED] else ".")
    )
    if len(listed) < len(decisions):
        lines.append(
            f"{len(decisions) - len(listed)} older tips and languages are not listed "
            "(make newsletter-status lists every one)."
        )
    return lines


def markdown_table(
    decisions: Sequence[Decision],
    *,
    backend: str,
    now: datetime.datetime,
    max_age_days: int,
    sent_now: set[str] | frozenset[str] = frozenset(),
    tried_now: set[str] | frozenset[str] = frozenset(),
) -> str:
    """The run as a Markdown table (the publish workflow's job summary): every tip
    and language this run sent, skipped, missed or failed, and the recent ones."""
    oldest = now - datetime.timedelta(days=max_age_days)
    rows = [
        d
        for d in decisions
        if d.tip.date >= oldest or d.state in (DUE, MISSED, FAILED) or d.tip.email_id in tried_now
    ]
    counts = Counter(d.state for d in decisions)
    lines = [
        f"### Newsletter through {backend}, {zoned(now)}",
        "",
        f"{len(sent_now)} sent in this run, {counts[MISSED]} missed, {counts[FAILED]} failed.",
        "",
        "| week | tip | language | result |",
        "|---|---|---|---|",
    ]
    for decision in rows:
        tip = decision.tip
        state = describe(decision, max_age_days, now)
        if decision.state == SENT and decision.record and decision.record.key in sent_now:
            state = state.replace("sent ", "sent now ", 1)
        cells = (tip.week.code, tip.slug, tip.lang, state)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if not rows:
        lines.append("| | | | nothing recent |")
    return "\n".join(lines) + "\n"
