"""A real multilingual build, read the way a reader sees it."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest

from tests.conftest import SITEURL, ContentTree, build_site

NOW = datetime.datetime(2021, 1, 20, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    content = ContentTree(tmp / "content")
    tips = [
        ("smile", "2020-12-25 09:00", "Smil", "Smile", ["telefon"], ["phone"]),
        (
            "promise",
            "2021-01-01 09:00",
            "Lov bare det du kan holde",
            "Promise only what you can keep",
            ["tillit"],
            ["trust"],
        ),
        ("name", "2021-01-08 09:00", "Bruk navnet", "Use their name", ["tillit"], ["trust"]),
    ]
    for slug, date, nb_title, en_title, nb_tags, en_tags in tips:
        content.tip(
            title=nb_title,
            date=date,
            lang="nb",
            slug=slug,
            tags=tuple(nb_tags),
            summary=f"Sammendrag {slug}.",
            body=f"Norsk tekst om {slug}.",
        )
        content.tip(
            title=en_title,
            date=date,
            lang="en",
            slug=slug,
            tags=tuple(en_tags),
            author="Jane Doe",
            summary=f"Summary {slug}.",
            body=f"English text on {slug}.",
        )
    content.tip(
        title="Lova bara det du kan hålla",
        date="2021-01-01 09:00",
        lang="sv",
        slug="promise",
        author="Lena Ek",
        tags=("förtroende",),
        summary="Svensk.",
    )
    content.tip(
        title="Vain suomeksi",
        date="2021-01-15 10:30",
        lang="fi",
        slug="fi-only",
        author="Aino Virtanen",
        tags=("luottamus",),
        summary="Suomeksi.",
    )
    content.tip(
        title="Kommer senere",
        date="2021-01-22 09:00",
        lang="nb",
        slug="later",
        summary="Fremtidig.",
    )
    content.tip(
        title="Utkast",
        date="2021-01-14 09:00",
        lang="nb",
        slug="draft-tip",
        summary="Utkast.",
        extra="status: draft\n",
    )
    content.page(title="Om bloggen", lang="nb", slug="about")
    content.page(title="About", lang="en", slug="about")
    return build_site(tmp, content, now=NOW)


def test_every_tip_is_written_at_its_year_and_week(site):
    for url in (
        "2020/w52/smile/",
        "2020/w53/promise/",
        "2021/w01/name/",
        "en/2020/w53/promise/",
        "sv/2020/w53/promise/",
        "fi/2021/w02/fi-only/",
    ):
        assert site.exists(url), url
    assert site.summary.published == {"nb": 3, "en": 3, "sv": 1, "fi": 1}


def test_week_label_is_localized_from_the_iso_week(site):
    assert site.html("2020/w53/promise/").select_one(".week-label").text == "Ukens tips (53-2020)"
    assert site.html("en/2020/w53/promise/").select_one(".week-label").text == (
        "Tip of the week (53-2020)"
    )
    assert site.html("sv/2020/w53/promise/").select_one(".week-label").text == (
        "Veckans tips (53-2020)"
    )
    assert site.html("fi/2021/w02/fi-only/").select_one(".week-label").text == (
        "Viikon vinkki (2-2021)"
    )


def test_pages_declare_their_language(site):
    assert site.html("2020/w53/promise/").html["lang"] == "nb"
    assert site.html("sv/2020/w53/promise/").html["lang"] == "sv"
    assert site.html("fi/").html["lang"] == "fi"


def hreflangs(page) -> dict[str, str]:
    return {
        link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')
    }


def test_hreflang_lists_self_each_translation_and_x_default(site):
    assert hreflangs(site.html("sv/2020/w53/promise/")) == {
        "nb": f"{SITEURL}/2020/w53/promise/",
        "sv": f"{SITEURL}/sv/2020/w53/promise/",
        "en": f"{SITEURL}/en/2020/w53/promise/",
        "x-default": f"{SITEURL}/2020/w53/promise/",
    }
    # A tip with only one language points x-default at itself.
    assert hreflangs(site.html("fi/2021/w02/fi-only/")) == {
        "fi": f"{SITEURL}/fi/2021/w02/fi-only/",
        "x-default": f"{SITEURL}/fi/2021/w02/fi-only/",
    }


def switcher(page) -> dict[str, str]:
    return {a["hreflang"]: a["href"] for a in page.select(".language-switcher a")}


def test_switcher_lands_on_the_same_tip_or_that_languages_home(site):
    links = switcher(site.html("sv/2020/w53/promise/"))
    assert links == {
        "nb": f"{SITEURL}/2020/w53/promise/",
        "sv": f"{SITEURL}/sv/2020/w53/promise/",
        "fi": f"{SITEURL}/fi/",
        "et": f"{SITEURL}/et/",
        "en": f"{SITEURL}/en/2020/w53/promise/",
    }
    assert switcher(site.html("about/"))["en"] == f"{SITEURL}/en/about/"
    assert switcher(site.html("about/"))["sv"] == f"{SITEURL}/sv/"


def test_dates_are_written_in_each_language(site):
    assert site.html("fi/2021/w02/fi-only/").select_one(".tip time").text == (
        "perjantai 15. tammikuuta 2021"
    )
    assert site.html("2020/w53/promise/").select_one(".tip time").text == "fredag 1. januar 2021"
    assert site.html("en/2020/w53/promise/").select_one(".tip time").text == (
        "Friday, January 1, 2021"
    )
    assert site.html("sv/2020/w53/promise/").select_one(".tip time").text == (
        "fredag 1 januari 2021"
    )


def test_each_language_has_its_own_feed(site):
    nb = feedparser.parse(site.path("feeds/atom.xml").read_bytes())
    assert [e.title for e in nb.entries] == [
        "Ukens tips (1-2021): Bruk navnet",
        "Ukens tips (53-2020): Lov bare det du kan holde",
        "Ukens tips (52-2020): Smil",
    ]
    sv = feedparser.parse(site.path("sv/feeds/atom.xml").read_bytes())
    assert [e.link for e in sv.entries] == [f"{SITEURL}/sv/2020/w53/promise/"]
    en = feedparser.parse(site.path("en/feeds/atom.xml").read_bytes())
    assert {e.link.split("/")[3] for e in en.entries} == {"en"}
    page = site.html("sv/")
    assert page.select_one('link[type="application/atom+xml"]')["href"] == (
        f"{SITEURL}/sv/feeds/atom.xml"
    )


def test_home_leads_with_the_newest_tip_of_its_language(site):
    assert site.html("").select_one("#latest-title").text.strip() == "Bruk navnet"
    assert site.html("sv/").select_one("#latest-title").text.strip() == (
        "Lova bara det du kan hålla"
    )
    assert site.html("fi/").select_one("#latest-title").text.strip() == "Vain suomeksi"
    earlier = [a.text for a in site.html("en/").select(".recent .tip-card__title a")]
    assert earlier == ["Promise only what you can keep", "Smile"]
    assert "Selles keeles pole veel ühtegi nõuannet." in site.html("et/").text


def test_week_pages_and_prev_next_stay_in_the_language(site):
    week = site.html("2020/w53/")
    assert week.h1.text == "Ukens tips (53-2020)"
    assert [a.text for a in week.select(".tip-card__title a")] == ["Lov bare det du kan holde"]
    assert week.select_one('a[rel="prev"]')["href"] == f"{SITEURL}/2020/w52/"
    assert week.select_one('a[rel="next"]')["href"] == f"{SITEURL}/2021/w01/"

    tip = site.html("en/2020/w53/promise/")
    assert tip.select_one('.week-nav a[rel="prev"]')["href"] == f"{SITEURL}/en/2020/w52/smile/"
    assert tip.select_one('.week-nav a[rel="next"]')["href"] == f"{SITEURL}/en/2021/w01/name/"
    lonely = site.html("sv/2020/w53/promise/")
    assert lonely.select(".week-nav a") == []


def test_archive_lists_every_week_newest_first(site):
    labels = [a.text for a in site.html("archive/").select(".archive a.week-label")]
    assert labels == ["Ukens tips (1-2021)", "Ukens tips (53-2020)", "Ukens tips (52-2020)"]


def test_tip_page_shows_author_tags_and_share_block(site):
    page = site.html("2020/w53/promise/")
    assert "Kari Nordmann" in page.select_one(".tip .meta").text
    assert [a.text for a in page.select(".tags a")] == ["tillit"]
    assert page.select_one(".tags a")["href"] == f"{SITEURL}/tags/tillit/"
    share = page.select_one(".share")
    assert share.h2.text == "Del med en venn"
    mailto = share.select_one("a.share__email")["href"]
    assert mailto.startswith("mailto:?subject=Et%20tips%20til%20deg%3A%20Lov%20bare")
    assert "http%3A%2F%2F127.0.0.1%3A8000%2F2020%2Fw53%2Fpromise%2F" in mailto
    # A row of buttons: an icon drawn inline (nothing fetched from the networks) and a
    # name that says what the button does.
    buttons = share.select(".share__links a")
    assert buttons[0] is share.select_one("a.share__email")
    networks = [a.select_one(".visually-hidden").text for a in buttons[1:]]
    assert networks == [f"Del på {n}" for n in ("Facebook", "LinkedIn", "X", "WhatsApp", "Bluesky")]
    assert all(a.svg is not None and a.svg["aria-hidden"] == "true" for a in buttons)
    assert share.find_all(["img", "script", "iframe"]) == []
    for link in buttons[1:]:
        assert "127.0.0.1%3A8000%2F2020%2Fw53%2Fpromise%2F" in link["href"]
    assert share.select_one("input#share-url")["value"] == f"{SITEURL}/2020/w53/promise/"


def test_tag_and_author_pages_are_per_language(site):
    assert [a.text for a in site.html("tags/tillit/").select(".tip-card__title a")] == [
        "Bruk navnet",
        "Lov bare det du kan holde",
    ]
    assert [a.text for a in site.html("en/tags/trust/").select(".tip-card__title a")] == [
        "Use their name",
        "Promise only what you can keep",
    ]
    assert site.exists("en/authors/jane-doe/")
    assert not site.exists("authors/jane-doe/")


def test_future_and_draft_tips_stay_off_the_site(site):
    assert not site.exists("2021/w03/later/")
    assert not site.exists("2021/w02/draft-tip/")
    assert [s.slug for s in site.summary.scheduled] == ["later"]
    assert [s.slug for s in site.summary.drafts] == ["draft-tip"]
    assert "Kommer senere" not in site.path("feeds/atom.xml").read_text("utf-8")


def test_interface_is_translated(site):
    assert site.html("fi/").select_one(".skip-link").text == "Siirry sisältöön"
    assert site.html("et/").select_one(".skip-link").text == "Liigu sisu juurde"
    assert site.html("sv/404.html").h1.text == "Sidan hittades inte"
