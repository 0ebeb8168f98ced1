"""Public holidays: `make new` and `make check` warn when a tip not yet out falls
on one in its language's country (TIPS_HOLIDAY_COUNTRIES); DATE= picks another day."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from scripts import check as check_command
from scripts import new_tip
from tests.conftest import PELICANCONF
from tips_core.authoring_settings import AuthoringSettings
from tips_core.errors import ConfigurationError
from tips_core.holiday_check import free_day_before, holiday

CHRISTMAS = "Friday 2026-12-25 is a public holiday in {} (Christmas Day)"


def run(module, capsys, *extra: str, settings: str = PELICANCONF) -> tuple[int, list[str], str]:
    code = module.main(["--settings", settings, "--content", "content", *extra])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_make_new_warns_on_christmas_day_and_date_picks_another_day(content, capsys):
    content.tip(title="Advent", date="2026-12-18 09:00", lang="nb", slug="advent")
    code, lines, _err = run(
        new_tip, capsys, "--lang", "nb", "--title", "Jul", "--author", "Kari",
        "--now", "2026-12-19 09:00",
    )  # fmt: skip
    assert code == 0
    assert lines[-1] == "content/tips/2026/2026-w52-jul.nb.md"
    assert lines[-2] == (
        "content/tips/2026/2026-w52-jul.nb.md:3: warning: " + CHRISTMAS.format("NO")
        + "; date it Thursday 2026-12-24 instead (its date: line, or make new DATE=2026-12-24)"
    )  # fmt: skip
    Path(lines[-1]).unlink()
    code, lines, _err = run(
        new_tip, capsys, "--lang", "nb", "--title", "Jul", "--author", "Kari",
        "--now", "2026-12-19 09:00", "--date", "2026-12-23",
    )  # fmt: skip
    assert code == 0
    assert lines[-1] == "content/tips/2026/2026-w52-jul.nb.md"
    assert "date: 2026-12-23 09:00\n" in Path(lines[-1]).read_text("utf-8")
    assert not [line for line in lines if "warning" in line]


def test_a_translation_warns_for_its_own_country_and_may_move_within_the_week(content, capsys):
    # Christmas Eve is a public holiday in Finland, not in Norway.
    content.tip(title="Jul", date="2027-12-24 09:00", lang="nb", slug="jul")
    args = ("--lang", "fi", "--from", "jul", "--author", "Aino", "--now", "2027-12-01 09:00")
    code, lines, _err = run(new_tip, capsys, *args)
    assert code == 0
    assert lines[-2].startswith(
        "content/tips/2027/2027-w51-jul.fi.md:3: warning: Friday 2027-12-24 is a public "
        "holiday in FI (Christmas Eve); date it Thursday 2027-12-23 instead"
    )
    Path(lines[-1]).unlink()
    code, lines, err = run(new_tip, capsys, *args, "--date", "2027-12-28")
    assert code == 1
    assert "DATE=2027-12-28 is in week 2027-W52, but a translation is in its original's week" in err
    code, lines, _err = run(new_tip, capsys, *args, "--date", "2027-12-23")
    assert code == 0
    assert "date: 2027-12-23 09:00\n" in Path(lines[-1]).read_text("utf-8")


def test_check_warns_for_future_tips_only_and_not_for_english(content, capsys):
    for lang in ("nb", "sv", "fi", "et", "en"):
        content.tip(title="Jul", date="2026-12-25 09:00", lang=lang, slug="jul")
    content.tip(title="Nyttår", date="2020-12-25 09:00", lang="nb", slug="old")
    code, lines, _err = run(check_command, capsys, "--now", "2026-12-01 09:00")
    assert code == 0
    warned = [line for line in lines if "public holiday" in line]
    assert [line.split(":")[0] for line in warned] == [
        f"content/tips/2026/2026-w52-jul.{lang}.md" for lang in ("et", "fi", "nb", "sv")
    ]
    assert CHRISTMAS.format("SE") in warned[-1]


def test_the_setting_maps_languages_to_countries(tmp_path):
    assert AuthoringSettings.from_pelican({}).holiday_countries["en"] is None
    chosen = AuthoringSettings.from_pelican({"TIPS_HOLIDAY_COUNTRIES": {"en": "gb"}})
    assert chosen.holiday_countries == {"nb": None, "sv": None, "fi": None, "et": None, "en": "GB"}
    with pytest.raises(ConfigurationError, match="TIPS_HOLIDAY_COUNTRIES: 'XX' \\(for nb\\)"):
        AuthoringSettings.from_pelican({"TIPS_HOLIDAY_COUNTRIES": {"nb": "XX"}})


@pytest.mark.parametrize("country", ["NO", "SE", "FI", "EE"])
def test_sundays_are_not_holidays_and_the_suggested_day_never_is(country):
    day = datetime.date(2026, 1, 1)
    while day.year == 2026:
        if day.isoweekday() == 7 and day.month in (2, 3, 9, 10):  # no holiday Sundays then
            assert holiday(country, day) is None
        if holiday(country, day):
            other = free_day_before(country, day)
            if other is not None:
                assert holiday(country, other) is None
                assert other.isocalendar().week == day.isocalendar().week
                assert other.isoweekday() <= 5
        day += datetime.timedelta(days=1)
