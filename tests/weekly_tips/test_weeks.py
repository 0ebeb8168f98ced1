"""The weekly series: ISO weeks and their labels in every language."""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import REPO
from tips_core.i18n import Catalogs
from tips_core.weeks import IsoWeek, week_label


@pytest.mark.parametrize(
    ("day", "year", "week"),
    [
        ("2011-02-25", 2011, 8),
        ("2020-12-27", 2020, 52),  # a Sunday: still week 52
        ("2020-12-28", 2020, 53),
        ("2020-12-31", 2020, 53),
        ("2021-01-01", 2020, 53),  # the calendar year has turned; the ISO year has not
        ("2021-01-03", 2020, 53),
        ("2021-01-04", 2021, 1),
        ("2024-12-30", 2025, 1),  # and the other way round
        ("2026-12-31", 2026, 53),
    ],
)
def test_week_is_the_iso_week_and_iso_year(day, year, week):
    assert IsoWeek.of(datetime.date.fromisoformat(day)) == IsoWeek(year, week)


def test_week_paths_are_zero_padded():
    assert IsoWeek(2011, 8).path == "2011/w08"
    assert IsoWeek(2021, 1).code == "2021-W01"
    assert IsoWeek(2020, 53).path == "2020/w53"


def test_shifting_crosses_week_53_and_the_new_year():
    assert IsoWeek(2020, 52).shifted(1) == IsoWeek(2020, 53)
    assert IsoWeek(2020, 53).shifted(1) == IsoWeek(2021, 1)
    assert IsoWeek(2021, 1).shifted(-1) == IsoWeek(2020, 53)
    assert IsoWeek(2019, 52).shifted(1) == IsoWeek(2020, 1)  # 2019 has no week 53


@pytest.fixture(scope="module")
def catalogs():
    languages = ("nb", "sv", "fi", "et", "en")
    return Catalogs(str(REPO / "theme" / "translations"), languages, "nb")


@pytest.mark.parametrize(
    ("lang", "week", "label"),
    [
        ("nb", IsoWeek(2011, 8), "Ukens tips (8-2011)"),
        ("en", IsoWeek(2011, 8), "Tip of the week (8-2011)"),
        ("sv", IsoWeek(2020, 52), "Veckans tips (52-2020)"),
        ("fi", IsoWeek(2020, 53), "Viikon vinkki (53-2020)"),
        ("et", IsoWeek(2021, 1), "Nädala nõuanne (1-2021)"),
    ],
)
def test_week_label_in_every_language(catalogs, lang, week, label):
    assert week_label(week, catalogs.gettext(lang)) == label
