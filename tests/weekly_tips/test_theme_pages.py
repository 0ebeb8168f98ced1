"""The theme's layouts as a reader sees them: the archive by year, topics with counts,
the 404 page, and wording that fits the weeks (previous tip or previous week)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import SITEURL, ContentTree, build_site

OSLO = ZoneInfo("Europe/Oslo")
LATER = datetime.datetime(2021, 6, 1, 12, 0, tzinfo=OSLO)
IN_WEEK_4 = datetime.datetime(2021, 1, 29, 12, 0, tzinfo=OSLO)


def write_weeks(content: ContentTree) -> None:
    """nb tips in 52-2020, 1-2021, 3-2021 and 4-2021 (none in week 2)."""
    for title, date, slug, tags in (
        ("Jul", "2020-12-25 09:00", "christmas", ("ro",)),
        ("Nytt år", "2021-01-08 09:00", "new-year", ("ro", "tillit")),
        ("Svar raskt", "2021-01-22 09:00", "answer-fast", ("tillit",)),
        ("Si navnet", "2021-01-29 09:00", "say-the-name", ("tillit",)),
    ):
        content.tip(title=title, date=date, lang="nb", slug=slug, tags=tags)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("theme")
    content = ContentTree(tmp / "content")
    write_weeks(content)
    return build_site(tmp, content, now=LATER)


def test_the_archive_groups_the_weeks_by_year_with_their_titles(site):
    page = site.html("archive/")
    years = page.select(".archive__year")
    assert [year.h2.text for year in years] == ["2021", "2020"]
    rows = [
        (row.select_one(".archive__label").text, [a.text for a in row.select(".archive__title")])
        for row in years[0].select(".archive__week")
    ]
    assert rows == [
        ("Ukens tips (4-2021)", ["Si navnet"]),
        ("Ukens tips (3-2021)", ["Svar raskt"]),
        ("Ukens tips (1-2021)", ["Nytt år"]),
    ]
    assert page.select(".archive ul") == []  # no one-item bullet lists


def test_topics_show_how_many_tips_each_has(site):
    topics = {
        li.select_one(".topic-index__name").text: li.select_one(".topic-index__count").text
        for li in site.html("tags/").select(".topic-index li")
    }
    assert topics == {"ro": "2 tips", "tillit": "3 tips"}


def test_previous_tip_when_it_is_not_last_weeks(site):
    nav = site.html("2021/w03/answer-fast/").select_one(".week-nav")
    assert nav.select_one(".week-nav__prev span").text == "Forrige tips"  # week 1, not 2
    assert nav.select_one(".week-nav__next span").text == "Neste uke"
    first = site.html("2020/w52/christmas/").select_one(".week-nav")
    assert first.select(".week-nav__prev") == []
    assert first.select_one(".week-nav__next span").text == "Neste tips"  # 2020 has a week 53


def test_a_week_with_no_neighbours_has_no_empty_navigation(tmp_path, content):
    content.tip(title="Alene", date="2021-01-22 09:00", lang="sv", slug="alone")
    built = build_site(tmp_path, content, now=LATER)
    assert built.html("sv/2021/w03/").select(".week-nav") == []
    assert built.html("sv/2021/w03/alone/").select(".week-nav") == []


def test_the_menu_says_latest_tip_when_the_newest_is_not_this_weeks(site, tmp_path, content):
    assert site.html("archive/").select_one(".site-nav a").text == "Siste tips"
    write_weeks(content)
    current = build_site(tmp_path, content, now=IN_WEEK_4)
    assert current.html("archive/").select_one(".site-nav a").text == "Denne uken"


def test_the_404_page_offers_search_and_the_latest_tips(site):
    page = site.html("404.html")
    form = page.select_one("form.search-form")
    assert (form["action"], form["method"]) == (f"{SITEURL}/search/", "get")
    assert form.select_one("input[type=search]")["name"] == "q"
    assert [a.text for a in page.select(".recent .tip-card__title a")] == [
        "Si navnet",
        "Svar raskt",
        "Nytt år",
    ]


def test_the_wordmark_is_the_site_name_with_an_optional_logo(site, tmp_path, content):
    wordmark = site.html("sv/").select_one(".masthead .wordmark")
    assert wordmark.get_text(strip=True) == "Kundservicetips" and wordmark.img is None
    write_weeks(content)
    with_logo = build_site(tmp_path, content, now=LATER, TIPS_LOGO="images/logo.svg")
    logo = with_logo.html("").select_one(".masthead .wordmark img")
    assert (logo["src"], logo["alt"]) == (f"{SITEURL}/images/logo.svg", "")  # the name says it
