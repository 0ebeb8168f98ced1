"""Whether a tip may be emailed now: the due rule of PRODUCT.md, as one function.

Due = published, ``newsletter`` not false, dated no later than now, no older
than ``NEWSLETTER_MAX_AGE_DAYS``, and not already sent through the backend.
This module decides everything but the last part (which only the backend
knows); the site model applies it once per build, and the newsletter reads
the answer from each tip.

Ages are real elapsed time: both moments are compared in UTC, because Python
subtracts two datetimes of the same zone by their wall clocks, which is an
hour off across a daylight-saving change.
"""

from __future__ import annotations

import datetime

DRAFT = "draft"
OPTED_OUT = "opted out"
FUTURE = "future"
TOO_OLD = "too old"


def elapsed(since: datetime.datetime, now: datetime.datetime) -> datetime.timedelta:
    """The real time from ``since`` to ``now`` (both aware), whatever their zones."""
    return now.astimezone(datetime.UTC) - since.astimezone(datetime.UTC)


def email_skip_reason(
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
    if elapsed(date, now) > datetime.timedelta(days=max_age_days):
        return TOO_OLD
    return ""


def last_moment_due(date: datetime.datetime, max_age_days: int) -> datetime.datetime:
    """Until when a tip dated ``date`` may be emailed."""
    utc = date.astimezone(datetime.UTC) + datetime.timedelta(days=max_age_days)
    return utc.astimezone(date.tzinfo)


def recently_too_old(date: datetime.datetime, now: datetime.datetime, max_age_days: int) -> bool:
    """Whether a tip became too old within the last ``max_age_days``: the time in
    which an unsent one is reported as missed (older ones are the archive)."""
    return elapsed(date, now) <= datetime.timedelta(days=2 * max_age_days)
