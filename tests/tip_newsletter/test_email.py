"""The emails as a subscriber's mail program gets them: .eml files parsed with `email`."""

from __future__ import annotations

import datetime
import email
from email import policy
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.tip_newsletter.backends import get_backend
from tests.conftest import SITEURL, ContentTree
from tests.tip_newsletter.conftest import (
    NOW,
    SITENAMES,
    SUMMARIES,
    TITLES,
    build_newsletter_site,
    write_pages,
    write_week_three,
)

GMAIL_CLIP_BYTES = 102 * 1024
LABELS = {
    "nb": "Ukens tips (3-2021)",
    "sv": "Veckans tips (3-2021)",
    "fi": "Viikon vinkki (3-2021)",
    "et": "Nädala nõuanne (3-2021)",
    "en": "Tip of the week (3-2021)",
}


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("email")
    content = ContentTree(tmp / "content")
    write_week_three(content)
    write_pages(content)
    content.tip(title="Eldre", date="2021-01-08 09:00", lang="nb", slug="older", summary="Gammel.")
    site = build_newsletter_site(tmp, content)
    report = site.send(get_backend(site.config, "outbox"))
    return site, report


def message(site, lang: str):
    path = site.tmp / "outbox" / lang / "2021-W03-answer-all.eml"
    raw = path.read_bytes()
    return raw, email.message_from_bytes(raw, policy=policy.default)


def test_one_eml_per_language_of_the_due_tip(sent):
    site, report = sent
    files = sorted(p.relative_to(site.tmp).as_posix() for p in (site.tmp / "outbox").rglob("*.eml"))
    assert files == [f"outbox/{lang}/2021-W03-answer-all.eml" for lang in sorted(TITLES)]
    assert [d.record.key for d in report.sent] == [
        f"tip-of-the-week/2021-W03/{lang}" for lang in TITLES
    ]


@pytest.mark.parametrize("lang", list(TITLES))
def test_a_standard_multipart_message(sent, lang):
    raw, msg = message(sent[0], lang)
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    assert msg["Subject"] == f"{LABELS[lang]}: {TITLES[lang]}"
    assert msg["Content-Language"] == lang
    assert msg["From"] == f"{SITENAMES[lang]} <tips@example.org>"
    assert msg["Reply-To"] == msg["From"]
    assert msg["Message-ID"] == f"<2021-W03-answer-all.{lang}@127.0.0.1>"
    assert msg["Date"]
    # RFC 5322 on the wire: ASCII only, lines short, non-ASCII subjects encoded.
    assert max(len(line) for line in raw.splitlines()) <= 998
    raw.decode("ascii")
    if not msg["Subject"].isascii():
        assert b"Subject: =?utf-8?" in raw.split(b"\r\n\r\n")[0]


def test_the_subject_is_the_localized_week_label_and_title(sent):
    raw, msg = message(sent[0], "nb")
    header = raw.split(b"\r\n\r\n")[0].decode("ascii")
    assert "Subject: =?utf-8?b?" in header  # RFC 2047, whole: no word or space lost
    assert msg["Subject"] == "Ukens tips (3-2021): Svar på alle spørsmål – også de vanskelige"


def test_list_unsubscribe_offers_a_reply_and_the_page(sent):
    _raw, msg = message(sent[0], "sv")
    assert msg["List-Unsubscribe"] == (
        f"<mailto:tips@example.org?subject=unsubscribe%20sv>, <{SITEURL}/sv/subscribe/>"
    )


def html_of(msg) -> BeautifulSoup:
    return BeautifulSoup(msg.get_body(("html",)).get_content(), "html.parser")


def text_of(msg) -> str:
    return msg.get_body(("plain",)).get_content().replace("\r\n", "\n")


@pytest.mark.parametrize("lang", list(TITLES))
def test_every_link_to_the_site_exists_in_the_built_site(sent, lang):
    site = sent[0]
    _raw, msg = message(site, lang)
    links = [a["href"] for a in html_of(msg).find_all("a")]
    own = [link for link in links if link.startswith(SITEURL)]
    assert len(own) >= 5  # home, tip, subscribe, web version, the about link in the tip
    missing = [link for link in own if not site.exists(link)]
    assert missing == []
    for link in own:
        assert (
            link in text_of(msg) or link.split("?")[0] in text_of(msg) or link.endswith("/about/")
        )


def test_the_tip_link_carries_utm_parameters(sent):
    _raw, msg = message(sent[0], "en")
    button = html_of(msg).find("a", string="Read the tip on the blog")
    url = urlsplit(button["href"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{SITEURL}/en/2021/w03/answer-all/"
    assert parse_qs(url.query) == {
        "utm_source": ["newsletter"],
        "utm_medium": ["email"],
        "utm_campaign": ["2021-W03-answer-all"],
    }
    assert button["href"] in text_of(msg)


def test_the_share_block_in_both_parts(sent):
    _raw, msg = message(sent[0], "nb")
    page = html_of(msg)
    assert page.find("h2", string="Del med en venn")
    mailto = page.find("a", string="Send tipset til en venn på e-post")["href"]
    assert mailto.startswith("mailto:?subject=")
    query = parse_qs(urlsplit(mailto).query)
    assert query["subject"] == [f"Et tips til deg: {TITLES['nb']}"]
    assert f"{SITEURL}/2021/w03/answer-all/" in query["body"][0]
    networks = [a.text for a in page.find_all("a") if a.text.startswith("Del på ")]
    assert networks == [f"Del på {n}" for n in ("Facebook", "LinkedIn", "X", "WhatsApp", "Bluesky")]
    for a in page.find_all("a"):
        if a.text.startswith("Del på "):
            assert f"{SITEURL}/2021/w03/answer-all/" in unquote(a["href"])
    text = text_of(msg)
    assert "Del med en venn" in text and mailto in text
    assert "Del på Bluesky:\nhttps://bsky.app/intent/compose?" in text
    # The outbox has no forward-to-a-friend service; Mailchimp's emails do.
    assert "FORWARD" not in str(page) and "Videresend" not in text


def test_the_footer_unsubscribe_web_version_and_address(sent):
    _raw, msg = message(sent[0], "fi")
    page = html_of(msg)
    assert page.find("a", string="Peru tilaus")["href"] == f"{SITEURL}/fi/subscribe/"
    web = page.find("a", string="Näytä viesti selaimessa")["href"]
    assert web == f"{SITEURL}/fi/2021/w03/answer-all/email.html"
    text = text_of(msg)
    assert f"Peru tilaus: {SITEURL}/fi/subscribe/" in text
    footer = text.split("\n-- \n", 1)[1]
    assert "(Asiakaspalveluvinkit)" in footer
    # The sender is named once, then the postal address alone.
    assert footer.count("Asiakaspalveluvinkit") == 1
    assert "\nKundeservicetips, Eksempelveien 1, 0150 Oslo\n" in footer
    assert "Kundeservicetips, Eksempelveien 1, 0150 Oslo" in page.get_text()


@pytest.mark.parametrize("lang", list(TITLES))
def test_each_language_speaks_with_its_own_name(sent, lang):
    _raw, msg = message(sent[0], lang)
    name = SITENAMES[lang]
    assert msg["From"].addresses[0].display_name == name
    assert msg["Reply-To"].addresses[0].display_name == name
    assert msg["List-Id"].startswith(f"{name} <tips-{lang}.")
    page = html_of(msg)
    assert page.find("a", string=name) is not None  # the wordmark at the top


def test_a_sender_name_and_address_per_language(tmp_path, content):
    write_week_three(content)
    write_pages(content)
    site = build_newsletter_site(
        tmp_path,
        content,
        NEWSLETTER_FROM_NAME={"sv": "Tipsen"},
        NEWSLETTER_REPLY_TO={"sv": "tips@example.se", "nb": "tips@example.no"},
    )
    site.send(get_backend(site.config, "outbox"))
    _raw, sv = message(site, "sv")
    assert str(sv["From"]) == "Tipsen <tips@example.se>"
    _raw, en = message(site, "en")
    assert en["From"].addresses[0].display_name == "Customer service tips"
    assert en["Reply-To"] is None  # no address for en: no replies invited


def test_the_tip_itself_in_both_parts(sent):
    _raw, msg = message(sent[0], "et")
    page = html_of(msg)
    assert page.h1.get_text() == TITLES["et"]
    assert page.find(string="Nädala nõuanne (3-2021)")
    body = page.find("strong", string="say so")
    assert body is not None and "font-family" in body.parent["style"]
    assert [li.get_text() for li in page.find_all("li")] == [
        "Write the question down",
        "Promise a time",
        "Call back before that time",
    ]
    text = text_of(msg)
    assert "- Write the question down\n- Promise a time\n" in text
    assert f"our about page ({SITEURL}/about/)" in text
    assert "Kari Nordmann" in text and "18. jaanuar 2021" in text


def test_the_preheader_is_the_summary(sent):
    _raw, msg = message(sent[0], "sv")
    hidden = html_of(msg).body.find("div")
    assert hidden.get_text().startswith(SUMMARIES["sv"])
    assert "display:none" in hidden["style"].replace(" ", "")


def test_html_made_for_mail_programs(sent):
    _raw, msg = message(sent[0], "nb")
    html = msg.get_body(("html",)).get_content()
    page = BeautifulSoup(html, "html.parser")
    size = len(html.encode("utf-8"))
    assert size < GMAIL_CLIP_BYTES / 3  # far under Gmail's clipping limit
    assert page.html["lang"] == "nb"
    assert page.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    assert "prefers-color-scheme: dark" in page.style.string
    assert page.find_all(["img", "script", "link", "iframe"]) == []  # nothing to fetch
    # Fluid up to 600 px; Outlook for Windows gets a fixed 600 px table of its own.
    assert "max-width: 600px" in page.select_one("table.container")["style"]
    assert '<!--[if mso]><table role="presentation" width="600"' in html
    for tag in page.select("td p, td h1, td h2, td li, td ul"):
        assert "font-family" in tag.get("style", "") or tag.name == "li", tag


def test_the_web_version_is_on_the_site(sent):
    site = sent[0]
    page = BeautifulSoup(
        (site.output / "sv/2021/w03/answer-all/email.html").read_text("utf-8"), "html.parser"
    )
    assert page.title.string == f"{LABELS['sv']}: {TITLES['sv']}"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("link", rel="canonical")["href"] == f"{SITEURL}/sv/2021/w03/answer-all/"
    assert page.find("a", string="Visa mejlet i webbläsaren") is None
    assert page.find("a", string="Avsluta prenumerationen")["href"] == f"{SITEURL}/sv/subscribe/"
    # Older tips keep theirs: links in emails sent long ago still work.
    assert (site.output / "2021/w01/older/email.html").is_file()


def test_a_tip_kept_off_the_newsletter_has_no_email(tmp_path, content):
    content.tip(
        title="Bare på bloggen",
        date="2021-01-18 09:00",
        lang="nb",
        slug="blog-only",
        extra="newsletter: false\n",
    )
    site = build_newsletter_site(tmp_path, content)
    report = site.send(get_backend(site.config, "outbox"))
    assert report.sent == []
    assert not (site.output / "2021/w03/blog-only/email.html").exists()
    assert "skipped: opted out (newsletter: false)" in "\n".join(report.lines())


def test_week_53_and_the_new_year(tmp_path, content):
    content.tip(title="Nyttårstips", date="2021-01-01 09:00", lang="nb", slug="new-year")
    site = build_newsletter_site(
        tmp_path, content, now=datetime.datetime(2021, 1, 3, 12, 0, tzinfo=NOW.tzinfo)
    )
    site.send(get_backend(site.config, "outbox"))
    msg = email.message_from_bytes(
        (tmp_path / "outbox/nb/2020-W53-new-year.eml").read_bytes(), policy=policy.default
    )
    assert msg["Subject"] == "Ukens tips (53-2020): Nyttårstips"
