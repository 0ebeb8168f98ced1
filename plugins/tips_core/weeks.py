"""The weekly series: ISO weeks, their URLs and their localized labels.

A tip's week is never typed by the author: it is the ISO week and ISO year of
the tip's local date. That makes 2021-01-01 part of week 53 of 2020, and
2021-01-04 the first day of week 1 of 2021.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_SERIES = "tip-of-the-week"


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def of(cls, day: datetime.date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def from_code(cls, code: str) -> IsoWeek:
        """The week a :attr:`code` such as ``2011-W08`` names."""
        year, _, week = code.partition("-W")
        return cls(int(year), int(week))

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.week, 1)

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + datetime.timedelta(weeks=weeks))

    @property
    def path(self) -> str:
        """The week's part of a URL, e.g. ``2011/w08``."""
        return f"{self.year}/w{self.week:02d}"

    @property
    def code(self) -> str:
        """The week as authors and file names write it, e.g. ``2011-W08``."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def numbers(self) -> str:
        """The week as the series label shows it, e.g. ``8-2011``."""
        return f"{self.week}-{self.year}"


def week_label(week: IsoWeek, gettext: Callable[[str], str]) -> str:
    """The series label for a week, e.g. nb "Ukens tips (8-2011)".

    ``gettext`` is the translation function of the reader's language.
    """
    return gettext("Tip of the week (%(week)s-%(year)s)") % {
        "week": week.week,
        "year": week.year,
    }
