"""Public holidays of each language's country, from the ``holidays`` package.

A tip that appears on Christmas Day reaches nobody at work. ``make new`` and
``make check`` warn when a tip dated in the future falls on a public holiday of its
language's country (``TIPS_HOLIDAY_COUNTRIES``). Only public holidays count:
the package can add every Sunday in Norway and Sweden, which is asked not to.
A tip whose date has passed is left alone.
"""

from __future__ import annotations

import datetime
import functools
import inspect
from collections.abc import Mapping

from .problems import WARNING, Problem
from .source_file import SourceFile

DEFAULT_HOLIDAY_COUNTRIES: Mapping[str, str | None] = {
    "nb": "NO",
    "sv": "SE",
    "fi": "FI",
    "et": "EE",
    "en": None,
}


def supported_countries() -> frozenset[str]:
    import holidays  # imported when needed: make check on a past-only site never is

    return frozenset(holidays.list_supported_countries())


@functools.lru_cache(maxsize=64)
def _calendar(country: str, year: int) -> Mapping[datetime.date, str]:
    import holidays
    from holidays.constants import PUBLIC

    cls = type(holidays.country_holidays(country))
    options = {"years": year, "categories": (PUBLIC,), "language": "en_US"}
    if "include_sundays" in inspect.signature(cls.__init__).parameters:
        options["include_sundays"] = False
    return dict(cls(**options))


def holiday(country: str | None, day: datetime.date) -> str | None:
    """The public holiday's English name, or None on a working day (or no country)."""
    if country is None:
        return None
    return _calendar(country, day.year).get(day)


def free_day_before(country: str | None, day: datetime.date) -> datetime.date | None:
    """The nearest earlier weekday of the same ISO week that is not a holiday."""
    candidate = day - datetime.timedelta(days=1)
    while candidate.isocalendar().week == day.isocalendar().week:
        if candidate.isoweekday() <= 5 and holiday(country, candidate) is None:
            return candidate
        candidate -= datetime.timedelta(days=1)
    return None


def holiday_message(country: str, day: datetime.date) -> str | None:
    """What `make new` and `make check` say about ``day``, or None."""
    name = holiday(country, day)
    if name is None:
        return None
    other = free_day_before(country, day)
    suggestion = (
        f"; date it {other:%A %Y-%m-%d} instead (its date: line, or make new DATE={other:%Y-%m-%d})"
        if other
        else "; choose a day of another week"
    )
    return f"{day:%A %Y-%m-%d} is a public holiday in {country} ({name}){suggestion}"


def holiday_problems(
    tips: list[SourceFile], countries: Mapping[str, str | None], now: datetime.datetime
) -> list[Problem]:
    problems = []
    for tip in tips:
        country = countries.get(tip.fields["lang"])
        if country is None or tip.fields["date"] <= now:
            continue  # its day has passed
        message = holiday_message(country, tip.fields["date"].date())
        if message:
            problems.append(Problem(tip.path, tip.line_of("date"), message, WARNING))
    return problems
