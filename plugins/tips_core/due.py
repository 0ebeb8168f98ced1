"""Whether a tip may be emailed now: the due rule of PRODUCT.md, as one function.

Due = published, ``newsletter`` not false, dated no later than now, no older
than ``NEWSLETTER_MAX_AGE_DAYS``, and not already sent through the backend.
This module decides everything but the last part (which only the backend
knows); the site model applies it once per build, and the newsletter reads
the answer from each tip.
"""

from __future__ import annotations

import datetime

DRAFT = "draft"
OPTED_OUT = "opted out"
FUTURE = "future"
TOO_OLD = "too old"


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
    if now - date > datetime.timedelta(days=max_age_days):
        return TOO_OLD
    return ""
