"""The subscribe pages: a form that works without JavaScript and records the language."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.tip_newsletter.conftest import build_newsletter_site

SIGNUP = "https://example.us21.list-manage.com/subscribe/post?u=ab12cd34&id=f00dfeed42"


def subscribe_page(site, url: str) -> BeautifulSoup:
    return BeautifulSoup((site.output / url / "index.html").read_text("utf-8"), "html.parser")


@pytest.fixture
def pages(content):
    content.tip(title="Smil", date="2021-01-18 09:00", lang="nb", slug="smile")
    for lang, title in (("nb", "Abonner"), ("sv", "Prenumerera"), ("et", "Telli")):
        content.page(
            title=title,
            lang=lang,
            slug="subscribe",
            body="One tip a week.",
            extra="template: subscribe\n",
        )
    return content


def test_the_form_posts_to_the_hosted_signup_form_with_the_language(tmp_path, pages):
    site = build_newsletter_site(tmp_path, pages, NEWSLETTER_SIGNUP_URL=SIGNUP)
    page = subscribe_page(site, "sv/subscribe")
    form = page.select_one("form.subscribe")
    assert (form["action"], form["method"]) == (SIGNUP, "post")
    email = form.select_one("input[name=EMAIL]")
    assert (email["type"], email.has_attr("required")) == ("email", True)
    assert page.select_one(f"label[for={email['id']}]").text == "Din e-postadress"
    hidden = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert hidden == {"LANGUAGE": "sv"}
    trap = form.select_one("input[name=b_ab12cd34_f00dfeed42]")
    assert trap["tabindex"] == "-1" and trap["value"] == ""
    assert form.select_one("button[type=submit]").text == "Prenumerera"
    what = form.select_one(".subscribe__what").text
    assert "ett mejl i veckan" in what and "avsluta prenumerationen" in what
    assert page.find_all("script") == []  # a plain form: no JavaScript needed
    et_form = subscribe_page(site, "et/subscribe").select_one("form.subscribe")
    assert {i["name"]: i["value"] for i in et_form.select("input[type=hidden]")} == {
        "LANGUAGE": "et"
    }


def test_the_hidden_field_follows_the_segments(tmp_path, pages):
    site = build_newsletter_site(
        tmp_path,
        pages,
        NEWSLETTER_SIGNUP_URL=SIGNUP,
        NEWSLETTER_SEGMENTS={"nb": "merge:TIPLANG=norsk", "sv": "language"},
    )
    nb = subscribe_page(site, "subscribe").select_one("form.subscribe")
    assert {i["name"]: i["value"] for i in nb.select("input[type=hidden]")} == {"TIPLANG": "norsk"}
    # Mailchimp's own language field cannot be set by a hosted form: nothing to record.
    sv = subscribe_page(site, "sv/subscribe").select_one("form.subscribe")
    assert sv.select("input[type=hidden]") == []


def test_without_the_setting_the_page_says_how_to_set_it_up(tmp_path, pages):
    site = build_newsletter_site(tmp_path, pages)
    page = subscribe_page(site, "subscribe")
    assert page.select_one("form.subscribe") is None
    assert "NEWSLETTER_SIGNUP_URL" in page.select_one(".notice").text
    assert "Påmeldingen er ikke satt opp ennå" in page.select_one(".notice").text
