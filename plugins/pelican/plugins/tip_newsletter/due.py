"""Which tips are due for the newsletter: the rule of PRODUCT.md, as plain functions.

Due = published, ``newsletter`` not false, dated no later than now, no older
than ``NEWSLETTER_MAX_AGE_DAYS``, and not already sent through this backend.
The age limit is what keeps a first run (or a new backend) from emailing the
whole back catalogue.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tips_core.source_file import TIP, SourceFile
from tips_core.weeks import IsoWeek

from .ledger import SentRecord

DUE = "due"
SENT = "sent"
SKIPPED = "skipped"

DRAFT = "draft"
OPTED_OUT = "opted out"
FUTURE = "future"
TOO_OLD = "too old"


@dataclass(frozen=True)
class TipFacts:
    """What the due rule needs to know about one language version of a tip."""

    lang: str
    slug: str
    date: datetime.datetime
    published: bool
    newsletter: bool
    path: str = ""
    title: str = ""

    @property
    def key(self) -> str:
        """One tip in one language, whatever its date: the unit sent at most once."""
        return f"{self.slug}/{self.lang}"

    @property
    def week(self) -> IsoWeek:
        return IsoWeek.of(self.date.date())


@dataclass(frozen=True)
class Decision:
    tip: TipFacts
    state: str
    reason: str = ""
    record: SentRecord | None = None

    @property
    def due(self) -> bool:
        return self.state == DUE


def is_candidate(
    *,
    published: bool,
    newsletter: bool,
    date: datetime.datetime,
    now: datetime.datetime,
    max_age_days: int,
) -> str:
    """'' when a tip may be emailed now, else why not (draft, opted out, future, too old)."""
    if not published:
        return DRAFT
    if not newsletter:
        return OPTED_OUT
    if date > now:
        return FUTURE
    if now - date > datetime.timedelta(days=max_age_days):
        return TOO_OLD
    return ""


def decide(
    tip: TipFacts,
    now: datetime.datetime,
    max_age_days: int,
    record: SentRecord | None = None,
) -> Decision:
    if record is not None:
        return Decision(tip, SENT, record=record)
    reason = is_candidate(
        published=tip.published,
        newsletter=tip.newsletter,
        date=tip.date,
        now=now,
        max_age_days=max_age_days,
    )
    return Decision(tip, SKIPPED, reason) if reason else Decision(tip, DUE)


def decide_all(
    tips: Iterable[TipFacts],
    now: datetime.datetime,
    max_age_days: int,
    records: Mapping[str, SentRecord],
    languages: tuple[str, ...] = (),
) -> list[Decision]:
    """Every tip and language, newest week first, languages in site order."""
    order = {lang: i for i, lang in enumerate(languages)}
    ordered = sorted(
        tips, key=lambda t: (-t.date.timestamp(), t.slug, order.get(t.lang, len(order)), t.lang)
    )
    return [decide(tip, now, max_age_days, records.get(tip.key)) for tip in ordered]


def facts_from_sources(sources: Iterable[SourceFile]) -> list[TipFacts]:
    """The tips among checked content files (pages are never emailed)."""
    facts = []
    for source in sources:
        if source.kind != TIP or not source.ok:
            continue
        fields = source.fields
        facts.append(
            TipFacts(
                lang=fields["lang"],
                slug=fields["slug"],
                date=fields["date"],
                published=fields.get("status", "published") != "draft",
                newsletter=bool(fields.get("newsletter", True)),
                path=source.path,
                title=fields.get("title", ""),
            )
        )
    return facts


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
