"""No broken internal link, asset or fragment; every feed parses; the sitemap
and robots.txt describe the whole site."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser

from tests.site_quality.conftest import LANGUAGES
from tests.site_quality.link_check import LinkChecker

SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


def test_no_internal_link_asset_or_fragment_is_broken(sample_site):
    report = LinkChecker(sample_site.output, sample_site.base_url).check()
    assert report.problems == []
    assert report.pages == len(sample_site.pages())
    assert report.internal > 5000  # every page links to CSS, feeds, menus and alternates
    print(
        f"Links: {report.pages} pages, {report.internal} internal links, "
        f"{report.external} external (not fetched), {len(report.problems)} broken"
    )


def test_the_link_checker_finds_broken_links_assets_and_fragments(tmp_path):
    site = "http://127.0.0.1:9"
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<a id="top" href="#top">ok</a><a href="#nowhere">bad fragment</a>'
        f'<a href="{site}/b/">missing page</a><link rel="stylesheet" href="/style.css">'
        '<a href="https://example.org/">other host</a><a href="mailto:?subject=x">mail</a>',
        "utf-8",
    )
    report = LinkChecker(tmp_path, site).check()
    assert report.problems == [
        "a/index.html: #nowhere -> no element with id 'nowhere'",
        f"a/index.html: {site}/b/ -> no file b/index.html",
        "a/index.html: /style.css -> no file style.css",
    ]
    assert report.external == 2


def test_every_language_feed_parses_and_holds_its_tips(sample_site):
    for lang in LANGUAGES:
        prefix = "" if lang == "nb" else f"{lang}/"
        feed = feedparser.parse(sample_site.path(f"{prefix}feeds/atom.xml").read_bytes())
        assert not feed.bozo, f"{lang}: {feed.get('bozo_exception')}"
        assert feed.feed.language == lang
        links = [entry.link for entry in feed.entries]
        assert len(links) == sample_site.summary.published[lang]
        assert all(link.startswith(sample_site.url(prefix)) for link in links), lang


def test_sitemap_lists_every_page_with_its_language_versions(sample_site):
    root = ET.parse(sample_site.output / "sitemap.xml").getroot()
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", SITEMAP_NS)
        }
        for url in root.findall("s:url", SITEMAP_NS)
    }
    listed = set(entries)
    # Every page that asks to be indexed: not the 404 pages, nor the emails'
    # web versions (both say noindex; a web version's canonical is its tip).
    pages = {
        sample_site.url(p.relative_to(sample_site.output).as_posix().removesuffix("index.html"))
        for p in sample_site.pages()
        if '<meta name="robots" content="noindex">' not in p.read_text("utf-8")
    }
    assert listed == pages
    assert not any(url.endswith("email.html") for url in listed)
    # A tip in five languages: each version, and x-default on the nb one.
    tip = sample_site.tip_urls("fi")[0]
    slug_path = tip.removeprefix("fi/")
    alternates = entries[sample_site.url(tip)]
    assert set(alternates) == {*LANGUAGES, "x-default"}
    assert alternates["x-default"] == sample_site.url(slug_path)
    assert alternates["sv"] == sample_site.url("sv/" + slug_path)
    # Each page lists itself among its alternates.
    for loc, links in entries.items():
        assert loc in links.values(), loc
        assert "x-default" in links, loc


def test_robots_txt_points_to_the_sitemap(sample_site):
    robots = (sample_site.output / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {sample_site.url('sitemap.xml')}" in robots.splitlines()
