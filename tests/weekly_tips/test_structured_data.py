"""Link previews and JSON-LD as search engines and chat apps read them."""

from __future__ import annotations

import datetime
import json
from zoneinfo import ZoneInfo

import pytest

from pelican.plugins.weekly_tips.structured_data import script_json
from tests.conftest import SITEURL, ContentTree, build_site

NOW = datetime.datetime(2021, 2, 1, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))
TRICKY_TITLE = 'Say "no" </script><script>alert(1)</script> & <!-- mean it'


def test_script_json_cannot_end_its_script_element():
    text = str(script_json({"headline": TRICKY_TITLE, "x": "\u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"headline": TRICKY_TITLE, "x": "\u2028"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("previews")
    content = ContentTree(tmp / "content")
    escaped = TRICKY_TITLE.replace('"', '\\"')
    content.tip(
        title=escaped,
        date="2021-01-08 09:00",
        lang="en",
        slug="say-no",
        author="Jane Doe",
        tags=("trust", "phone"),
        summary='Saying \\"no\\" kindly beats a promise you break.',
    )
    content.tip(title="Si nei", date="2021-01-08 09:00", lang="nb", slug="say-no")
    return build_site(tmp, content, now=NOW)


def meta(page, key: str) -> list[str]:
    return [m["content"] for m in page.select(f'meta[property="{key}"], meta[name="{key}"]')]


def test_a_tip_has_title_description_canonical_and_preview_tags(site):
    page = site.html("en/2021/w01/say-no/")
    url = f"{SITEURL}/en/2021/w01/say-no/"
    assert page.title.text == f"{TRICKY_TITLE} – Tip of the week (1-2021) – Customer service tips"
    summary = 'Saying "no" kindly beats a promise you break.'
    assert meta(page, "description") == [summary]
    assert page.select_one('link[rel="canonical"]')["href"] == url
    assert meta(page, "og:type") == ["article"]
    assert meta(page, "og:title") == [TRICKY_TITLE]
    assert meta(page, "og:description") == [summary]
    assert meta(page, "og:url") == [url]
    assert meta(page, "og:site_name") == ["Customer service tips"]
    assert meta(page, "og:locale") == ["en_GB"]
    assert meta(page, "og:locale:alternate") == ["nb_NO"]
    assert meta(page, "twitter:card") == ["summary"]
    assert meta(page, "twitter:title") == [TRICKY_TITLE]
    assert meta(page, "article:tag") == ["trust", "phone"]
    assert meta(page, "article:published_time") == ["2021-01-08T09:00:00+01:00"]


def test_json_ld_blog_posting_parses_even_with_script_in_the_title(site):
    page = site.html("en/2021/w01/say-no/")
    scripts = page.select('script[type="application/ld+json"]')
    assert len(scripts) == 1  # the title did not end the script and start another
    data = json.loads(scripts[0].string)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == TRICKY_TITLE
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == "2021-01-08T09:00:00+01:00"
    assert data["author"] == {
        "@type": "Person",
        "name": "Jane Doe",
        "url": f"{SITEURL}/en/authors/jane-doe/",
    }
    assert data["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "Tip of the week",
        "url": f"{SITEURL}/en/",
    }
    assert data["url"] == f"{SITEURL}/en/2021/w01/say-no/"
    assert data["keywords"] == ["trust", "phone"]
    inline = [s for s in page.find_all("script") if not s.get("src")]
    assert inline == scripts


def test_the_series_is_named_in_the_pages_language(site):
    page = site.html("2021/w01/say-no/")
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["isPartOf"]["name"] == "Ukens tips"
    assert data["inLanguage"] == "nb"


def test_lists_are_previewed_as_the_website(site):
    page = site.html("en/")
    assert meta(page, "og:type") == ["website"]
    assert meta(page, "og:title") == ["Customer service tips"]
    assert meta(page, "og:url") == [f"{SITEURL}/en/"]
    assert page.select('script[type="application/ld+json"]') == []
