"""What `make check` says before an edit changes what the newsletter does with a
tip that was already emailed.

A tip's email is the email of its series, ISO week and language (PRODUCT.md):
after it was sent, a new slug, title or date within the week never sends it
again, and a tip moved to another week, or a new tip reusing a sent slug in
another week, is emailed as that week's tip. Each case is legitimate, and each
surprises an author who does not expect it, so each is a warning at its line
saying what was sent, when, and what the change will do. The records read are
the local ones of every backend (the outbox of development builds, the
Mailchimp record where `make publish` ran); `make check` reaches no provider.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pelican.plugins.tip_newsletter.backends import sent_records
from pelican.plugins.tip_newsletter.due import find_record
from pelican.plugins.tip_newsletter.ledger import SentRecord, local_time
from pelican.plugins.tip_newsletter.registry import BACKENDS
from pelican.plugins.tip_newsletter.settings import NewsletterSettings
from tips_core.due import DRAFT, FUTURE, OPTED_OUT
from tips_core.model import Tip
from tips_core.problems import WARNING, Problem


def recorded_sends(config: NewsletterSettings) -> dict[str, dict[str, SentRecord]]:
    """Every backend's local record of what it sent, by backend name."""
    return {name: sent_records(config, name) for name in BACKENDS}


def sent_problems(
    tips: Iterable[Tip], sends: Mapping[str, Mapping[str, SentRecord]]
) -> list[Problem]:
    problems: list[Problem] = []
    for tip in tips:
        if tip.email_skip in (DRAFT, OPTED_OUT):
            continue  # never emailed: nothing a change could resend
        for records in sends.values():
            problem = _what_changes(tip, records)
            if problem is not None:
                problems.append(problem)
                break
    return problems


def _sent(record: SentRecord) -> str:
    """``sent 2021-01-20 12:00 +01:00 via mailchimp as 'smile' ('Smile')``."""
    when = f"{local_time(record.sent_at)} " if record.sent_at else ""
    title = f" ('{record.title}')" if record.title else ""
    return f"sent {when}via {record.backend} as '{record.slug}'{title}"


def _what_changes(tip: Tip, records: Mapping[str, SentRecord]) -> Problem | None:
    week = f"the {tip.lang} email of week {tip.week.code}"
    record = find_record(tip, records)
    if record is not None:
        if record.slug and record.slug != tip.slug:
            return Problem(
                tip.path,
                tip.line_of("slug"),
                f"{week} was already {_sent(record)}; this tip ('{tip.slug}') is not emailed. "
                f"If it is that tip renamed, its URL moves and links to '{record.slug}' break",
                WARNING,
            )
        if record.title and record.title != tip.title:
            return Problem(
                tip.path,
                tip.line_of("title"),
                f"{week} was already {_sent(record)}; the new title shows on the site only, "
                "no new email is sent",
                WARNING,
            )
        if record.date and record.date != tip.date.isoformat():
            return Problem(
                tip.path,
                tip.line_of("date"),
                f"{week} was already {_sent(record)}, dated {local_time(record.date)}; "
                "the new date in the same week sends no new email",
                WARNING,
            )
        return None
    if tip.email_skip not in ("", FUTURE):
        return None  # too old to be emailed: nothing will be sent
    for other in records.values():
        if other.slug == tip.slug and other.key.endswith(f"/{tip.lang}") and not other.legacy:
            return Problem(
                tip.path,
                tip.line_of("date"),
                f"the email of week {other.key.split('/')[1]} was {_sent(other)}; this tip, "
                f"dated in week {tip.week.code}, will be emailed as that week's tip (a second "
                "email of the same text, if it is the same tip moved)",
                WARNING,
            )
    return None
