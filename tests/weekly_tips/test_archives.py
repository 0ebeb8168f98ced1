"""Archives, topics and authors in pages of one language, and the 404 pages."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from pelican.plugins.weekly_tips.pagination import paginate
from scripts import build as build_command
from tests.conftest import PELICANCONF, REPO, SITEURL, ContentTree, build_site

NOW = datetime.datetime(2021, 6, 1, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))


def test_paginate_splits_a_list_and_links_the_pages():
    pages = paginate(list(range(5)), 2, "tags/trust/")
    assert [list(p.items) for p in pages] == [[0, 1], [2, 3], [4]]
    assert [p.url for p in pages] == ["tags/trust/", "tags/trust/page/2/", "tags/trust/page/3/"]
    assert [(p.prev_url, p.next_url) for p in pages] == [
        (None, "tags/trust/page/2/"),
        ("tags/trust/", "tags/trust/page/3/"),
        ("tags/trust/page/2/", None),
    ]
    assert [p.url for p in paginate([], 2, "archive/")] == ["archive/"]


def monday(week: int) -> datetime.date:
    return datetime.date.fromisocalendar(2021, week, 1)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Five nb weeks and two sv weeks, in pages of two."""
    tmp = tmp_path_factory.mktemp("archives")
    content = ContentTree(tmp / "content")
    for n in range(1, 6):
        content.tip(
            title=f"Tips {n}",
            date=f"{monday(n)} 09:00",
            lang="nb",
            slug=f"tip-{n}",
            tags=("tillit",),
        )
    for n in (1, 2):
        content.tip(
            title=f"Tips {n} på svenska",
            date=f"{monday(n)} 09:00",
            lang="sv",
            slug=f"tip-{n}",
            author="Lena Ek",
            tags=("förtroende",),
        )
    return build_site(tmp, content, now=NOW, TIPS_PAGE_SIZE=2)


def titles(page) -> list[str]:
    return [a.text for a in page.select(".tip-card__title a")]


def test_the_archive_is_paged_newest_first(site):
    urls = ("archive/", "archive/page/2/", "archive/page/3/")
    first, second, third = (site.html(url) for url in urls)
    assert [a.text for a in first.select(".archive a.week-label")] == [
        "Ukens tips (5-2021)",
        "Ukens tips (4-2021)",
    ]
    assert [a.text for a in third.select(".archive a.week-label")] == ["Ukens tips (1-2021)"]
    assert second.h1.text == "Alle ukene (side 2 av 3)"
    assert second.title.text.startswith("Alle ukene (side 2 av 3) – ")
    assert second.select_one('.pagination a[rel="prev"]')["href"] == f"{SITEURL}/archive/"
    assert second.select_one('.pagination a[rel="next"]')["href"] == f"{SITEURL}/archive/page/3/"
    assert second.select_one(".pagination__status").text == "Side 2 av 3"
    assert not site.exists("archive/page/4/")


def test_pages_of_a_list_stay_in_their_language(site):
    assert site.exists("sv/archive/")
    assert not site.exists("sv/archive/page/2/")  # two sv weeks fit on one page
    assert site.html("sv/archive/").select(".pagination") == []
    second = site.html("archive/page/2/")
    # A later page has no translation: no hreflang to another language.
    assert {link["hreflang"] for link in second.select('link[rel="alternate"][hreflang]')} == {
        "nb",
        "x-default",
    }
    for link in second.select(".archive a, .pagination a"):
        assert not link["href"].startswith(f"{SITEURL}/sv/"), link


def test_topic_and_author_pages_are_paged(site):
    assert titles(site.html("tags/tillit/")) == ["Tips 5", "Tips 4"]
    assert titles(site.html("tags/tillit/page/3/")) == ["Tips 1"]
    assert titles(site.html("authors/kari-nordmann/page/2/")) == ["Tips 3", "Tips 2"]
    assert titles(site.html("sv/tags/fortroende/")) == ["Tips 2 på svenska", "Tips 1 på svenska"]
    page = site.html("sv/authors/lena-ek/")
    assert page.h1.text == "Tips från Lena Ek"
    assert page.select(".pagination") == []


def test_each_language_has_its_own_404_page(site):
    for lang, heading in (("", "Fant ikke siden"), ("sv/", "Sidan hittades inte")):
        page = site.html(f"{lang}404.html")
        assert page.h1.text == heading
        assert page.select_one('meta[name="robots"]')["content"] == "noindex"


def test_a_bad_page_size_names_the_setting(content, capsys, tmp_path):
    content.tip(title="Smil", date="2021-01-08 09:00", lang="nb", slug="smil")
    settings = tmp_path / "conf.py"
    settings.write_text(
        f"exec(open({PELICANCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\nTIPS_PAGE_SIZE = 0\n"
    )
    code = build_command.main(
        ["--settings", str(settings), "--content", "content", "--output", "output"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: TIPS_PAGE_SIZE: must be a whole number")
    assert "Traceback" not in err
