"""Hostile text in a tip's title, summary, tags and author comes out inert in
every place it lands, read the way each consumer reads it: HTML pages and
attributes (html.parser), JSON-LD (json), the Atom feed (feedparser and an XML
parser), the sitemap (XML), mailto: and share links (URL parsing), the .eml
message (email), and the Mailchimp payload (the fake API's record).

Each value holds markup (<script>, </script>, an <img onerror>), quotes, the
end of a CDATA section (]]>), a line break followed by what would be a new
email header, Jinja syntax, and Mailchimp merge tags (*|UNSUB|*, *|EMAIL|*).
"""

from __future__ import annotations

import email
import json
import re
import xml.etree.ElementTree as ET
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from pelican.plugins.tip_newsletter.backends import get_backend
from pelican.plugins.tip_newsletter.backends.mailchimp import MailchimpBackend
from pelican.plugins.tip_newsletter.errors import NewsletterError
from pelican.plugins.tip_newsletter.merge_tags import ZWJ, inert_html, inert_text
from pelican.plugins.tip_newsletter.settings import NewsletterSettings
from tests.conftest import SITEURL, ContentTree
from tests.tip_newsletter.conftest import Built, build_newsletter_site
from tests.tip_newsletter.fake_mailchimp import FakeMailchimp

TITLE = (
    "Say \"hi\" </script><script>alert('t')</script> ]]> *|UNSUB|* & {{ 7*7 }}"
    "\nBcc: victim@example.com"
)
SUMMARY = "<img src=x onerror=alert('s')> ]]></summary> *|EMAIL|* 100%\r\nX-Injected: yes"
TAGS = ["<script>alert('tag')</script>", 'a"b', "*|LIST:NAME|*", "x ]]> y"]
AUTHOR = 'Eve "<b>" ]]> *|FNAME|* O\'Brien'
BODY = "Write `*|EMAIL|*` and [a link](https://example.org/?u=*%7CEMAIL%7C*) as text."

# What readers see: YAML keeps the text, our reader folds each line break (and
# any run of white space) into one space.
SHOWN_TITLE = " ".join(TITLE.split())
SHOWN_SUMMARY = " ".join(SUMMARY.split())
AUDIENCE = "a1b2c3d4e5"
TIP_URL = "en/2021/w03/hostile/"
LABEL = "Tip of the week (3-2021)"
LIVE_TAGS = {"*|UNSUB|*", "*|FORWARD|*", "*|LIST:ADDRESSLINE|*"}  # our templates' own


def front_matter(lang: str, title: str) -> str:
    # JSON strings are YAML double-quoted scalars: every character gets through.
    return (
        "---\n"
        f"title: {json.dumps(title)}\n"
        "date: 2021-01-18 09:00\n"
        f"lang: {lang}\n"
        "slug: hostile\n"
        f"author: {json.dumps(AUTHOR)}\n"
        f"tags: {json.dumps(TAGS)}\n"
        f"summary: {json.dumps(SUMMARY)}\n"
        "---\n\n"
        f"{BODY}\n"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("hostile")
    content = ContentTree(tmp / "content")
    content.write("tips/2021/2021-w03-hostile.en.md", front_matter("en", TITLE))
    content.write("tips/2021/2021-w03-hostile.nb.md", front_matter("nb", "Fiendtlig"))
    content.tip(title="Earlier", date="2021-01-11 09:00", lang="en", slug="earlier")
    return build_newsletter_site(
        tmp,
        content,
        NEWSLETTER_REPLY_TO="tips@kundeservice.no",
        MAILCHIMP_AUDIENCE_ID=AUDIENCE,
        MAILCHIMP_BACKOFF=0.01,
    )


def html(site: Built, url: str) -> BeautifulSoup:
    path = site.output / (url + "index.html" if url.endswith("/") else url)
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def assert_inert_html(page: BeautifulSoup) -> None:
    """No element or attribute the author's text could have made."""
    for script in page.find_all("script"):
        assert script.get("type") == "application/ld+json" or script.get("src"), script
    assert page.find("img", onerror=True) is None and page.find("b") is None
    # The only <summary> is the theme's own, the language switcher's (pages, not emails).
    summaries = [s.find_parent("nav") for s in page.find_all("summary")]
    assert len(summaries) <= 1 and all(nav["class"] == ["language-switcher"] for nav in summaries)
    for element in page.find_all(True):
        assert not any(name.startswith("on") for name in element.attrs), element


def test_tip_page_text_and_attributes(site):
    page = html(site, TIP_URL)
    assert_inert_html(page)
    assert page.h1.get_text() == SHOWN_TITLE
    assert page.title.get_text() == f"{SHOWN_TITLE} – {LABEL} – Customer service tips"
    metas = {m.get("property") or m.get("name"): m.get("content") for m in page.find_all("meta")}
    assert metas["description"] == SHOWN_SUMMARY
    assert metas["og:title"] == metas["twitter:title"] == SHOWN_TITLE
    assert metas["og:description"] == SHOWN_SUMMARY
    assert [m["content"] for m in page.select('meta[property="article:tag"]')] == TAGS
    assert [a.get_text() for a in page.select("ul.tags a")] == TAGS
    author = page.select_one(f'a[href="{SITEURL}/en/authors/eve-b-fname-o-brien/"]')
    assert author.get_text() == AUTHOR
    # The page says the merge tags as typed: they mean nothing on the site.
    assert "*|EMAIL|*" in page.select_one(".tip__body").get_text()


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("en/", "home"),
        ("en/2021/w03/", "week"),
        ("en/archive/", "archive"),
        ("en/tags/script-alert-tag-script/", "topic"),
        ("en/authors/eve-b-fname-o-brien/", "author"),
        ("en/2021/w02/earlier/", "next week's link"),
        ("en/2021/w03/hostile/email.html", "the email's web version"),
    ],
)
def test_every_page_that_lists_the_tip(site, url, where):
    page = html(site, url)
    assert_inert_html(page)
    text = page.get_text(" ")
    assert SHOWN_TITLE in text, where
    if where in ("week", "topic", "author"):
        assert SHOWN_SUMMARY in [p.get_text() for p in page.select(".tip-card__summary")]
    if where == "topic":
        assert page.h1.get_text() == f"Topic: {TAGS[0]}"
    if where == "author":
        assert page.h1.get_text() == f"Tips by {AUTHOR}"


def test_json_ld(site):
    page = html(site, TIP_URL)
    (script,) = page.select('script[type="application/ld+json"]')
    raw = script.string
    assert "</" not in raw and "<!--" not in raw and "]]>" not in raw
    data = json.loads(raw)
    assert data["headline"] == SHOWN_TITLE
    assert data["description"] == SHOWN_SUMMARY
    assert data["author"]["name"] == AUTHOR
    assert data["keywords"] == TAGS


def test_atom_feed(site):
    raw = (site.output / "en" / "feeds" / "atom.xml").read_bytes()
    root = ET.fromstring(raw)  # well-formed XML
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert len(root.findall("a:entry", ns)) == 2
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    entry = next(e for e in feed.entries if e.link == f"{SITEURL}/{TIP_URL}")
    assert entry.title == f"{LABEL}: {SHOWN_TITLE}"
    # <summary type="html">: HTML that shows the text, tags and all.
    summary = BeautifulSoup(entry.summary, "html.parser")
    assert summary.find(True) is None and summary.get_text() == SHOWN_SUMMARY
    assert entry.author == AUTHOR
    assert [t.term for t in entry.tags] == TAGS
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert content.find("script") is None and "*|EMAIL|*" in content.get_text()


def test_sitemap(site):
    root = ET.fromstring((site.output / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in root.iterfind("s:url/s:loc", ns)]
    assert f"{SITEURL}/{TIP_URL}" in locs
    assert f"{SITEURL}/en/tags/script-alert-tag-script/" in locs
    assert all(re.fullmatch(r"http://127\.0\.0\.1:8000/[a-z0-9/.-]*", loc) for loc in locs)


def share_links(page: BeautifulSoup) -> tuple[str, list[str]]:
    mailto = page.select_one("a.share__email")["href"]
    web = [a["href"] for a in page.select(".share__links a:not(.share__email)")]
    return mailto, web


def assert_share_links(mailto: str, web: list[str]) -> None:
    parts = urlsplit(mailto)
    assert parts.scheme == "mailto" and parts.path == ""
    assert not re.search(r"[\s<>\"']", mailto)
    query = parse_qs(parts.query, strict_parsing=True)
    assert sorted(query) == ["body", "subject"]  # nothing added, e.g. &bcc=
    assert query["subject"] == [f"A tip for you: {SHOWN_TITLE}"]
    assert SHOWN_TITLE in query["body"][0] and SHOWN_SUMMARY in query["body"][0]
    assert query["body"][0].rstrip().endswith(f"{SITEURL}/{TIP_URL}")
    expected = {
        "www.facebook.com": ["u"],
        "www.linkedin.com": ["url"],
        "x.com": ["text", "url"],
        "wa.me": ["text"],
        "bsky.app": ["text"],
    }
    for link in web:
        parts = urlsplit(link)
        assert not re.search(r"[\s<>\"']", link)
        query = parse_qs(parts.query, strict_parsing=True)
        assert sorted(query) == expected[parts.hostname]
        for value in query.get("text", []):
            assert value in (SHOWN_TITLE, f"{SHOWN_TITLE} {SITEURL}/{TIP_URL}")


def test_mailto_and_share_links_on_the_page(site):
    assert_share_links(*share_links(html(site, TIP_URL)))


@pytest.fixture(scope="module")
def eml(site, tmp_path_factory):
    settings = dict(site.settings, NEWSLETTER_OUTBOX=str(tmp_path_factory.mktemp("outbox")))
    built = Built(settings, site.summary, site.tmp)
    built.send(get_backend(built.config, "outbox"))
    raw = (Path(built.config.outbox) / "en" / "2021-W03-hostile.eml").read_bytes()
    return raw, email.message_from_bytes(raw, policy=policy.default)


def test_email_headers_are_not_injected(eml):
    raw, msg = eml
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert msg["Subject"] == f"{LABEL}: {SHOWN_TITLE}"
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    names = [name for name, _value in msg.items()]
    assert sorted(names) == sorted(
        [
            "Subject",
            "From",
            "Reply-To",
            "To",
            "Date",
            "Message-ID",
            "List-Id",
            "List-Unsubscribe",
            "X-Newsletter-Email",
            "X-Newsletter-Tip",
            "MIME-Version",
            "Content-Type",
            "Content-Language",
        ]
    )
    assert not re.search(r"^(Bcc|X-Injected):", head, re.MULTILINE | re.IGNORECASE)


def test_email_parts(eml):
    _raw, msg = eml
    text = msg.get_body(("plain",)).get_content()
    assert SHOWN_TITLE in text and AUTHOR in text
    page = BeautifulSoup(msg.get_body(("html",)).get_content(), "html.parser")
    assert_inert_html(page)
    assert page.h1.get_text() == SHOWN_TITLE
    assert page.title.get_text() == f"{LABEL}: {SHOWN_TITLE}"
    assert f"Written by {AUTHOR}" in page.get_text()
    assert_share_links(
        page.select_one('a[href^="mailto:?"]')["href"],
        [a["href"] for a in page.select(".share a[href^='https://']")],
    )


def test_merge_tags_are_made_inert_but_read_the_same():
    assert inert_text("*|EMAIL|* and *|UNSUB|*") == f"*{ZWJ}|EMAIL|{ZWJ}* and *{ZWJ}|UNSUB|{ZWJ}*"
    assert inert_text("a | b * c") == "a | b * c"
    html = inert_html('<p>*|EMAIL|*</p><a href="https://e.org/?u=*%7CEMAIL%7c*">x</a>')
    assert html == '<p>*&#124;EMAIL&#124;*</p><a href="https://e.org/?u=%2A%7CEMAIL%7c%2A">x</a>'
    page = BeautifulSoup(html, "html.parser")
    assert page.p.get_text() == "*|EMAIL|*"


def merge_tags(text: str) -> set[str]:
    """What Mailchimp would read as merge tags, raw or percent-encoded."""
    return set(re.findall(r"\*\|[^|*]*\|\*", text)) | set(
        re.findall(r"\*%7[cC][^*%]*%7[cC]\*", text)
    )


def test_the_mailchimp_payload_holds_only_our_own_merge_tags(site, tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    with FakeMailchimp() as fake:
        fake.add_audience(AUDIENCE)
        settings = dict(site.settings, NEWSLETTER_STATE_PATH=str(state), MAILCHIMP_API_URL=fake.url)
        built = Built(settings, site.summary, tmp_path)
        backend = MailchimpBackend(built.config, {"MAILCHIMP_API_KEY": fake.state.api_key})
        report = built.send(backend)
        assert sorted(d.record.key for d in report.sent) == [
            "tip-of-the-week/2021-W03/en",
            "tip-of-the-week/2021-W03/nb",
        ]
        (campaign,) = fake.campaigns_titled("tip-of-the-week 2021-W03 (en): hostile")
        content = fake.state.contents[campaign["id"]]
    subject = campaign["settings"]["subject_line"]
    preview = campaign["settings"]["preview_text"]
    assert merge_tags(subject) == merge_tags(preview) == set()
    assert "\n" not in subject and "\r" not in subject
    # Readers see the characters as the author typed them.
    assert subject.replace(ZWJ, "") == f"{LABEL}: {SHOWN_TITLE}"
    assert preview.replace(ZWJ, "") == SHOWN_SUMMARY
    for part in (content["html"], content["plain_text"]):
        assert merge_tags(part) <= LIVE_TAGS
        assert "*|UNSUB|*" in part and "*|FORWARD|*" in part
    page = BeautifulSoup(content["html"], "html.parser")
    assert_inert_html(page)
    assert page.h1.get_text().replace(ZWJ, "") == SHOWN_TITLE
    assert "Write *|EMAIL|* and" in page.get_text()
    assert "Write *|EMAIL|* and" in content["plain_text"].replace(ZWJ, "")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NEWSLETTER_FROM_NAME", "Tips\nBcc: victim@example.com", "NEWSLETTER_FROM_NAME: "),
        ("TIPS_SITENAMES", {"en": "Tips\r\nX-Injected: yes"}, "TIPS_SITENAMES['en']: "),
    ],
)
def test_a_sender_or_site_name_with_a_line_break_is_refused(site, name, value, message):
    """They go into the From and List-Id headers: the setting is named, nothing is sent."""
    settings = dict(site.settings, **{name: value})
    with pytest.raises(NewsletterError) as error:
        NewsletterSettings.from_pelican(settings)
    assert str(error.value).startswith(message)
    assert "holds a line break or another control character" in str(error.value)
    assert error.value.exit_code == 2
