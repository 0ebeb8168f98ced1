"""The subscribe pages: a form that works without JavaScript and records the language."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from scripts import build as build_command
from tests.conftest import REPO
from tests.tip_newsletter.conftest import SIGNUP_URL as SIGNUP
from tests.tip_newsletter.conftest import build_newsletter_site


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


def html(site, url: str) -> BeautifulSoup:
    return BeautifulSoup((site.output / url / "index.html").read_text("utf-8"), "html.parser")


def assert_signup_box(page: BeautifulSoup, lang: str, heading: str, button: str) -> None:
    """One email field and a button, posting to the hosted form with the language."""
    (box,) = page.select("aside.signup")
    assert box.h2.text == heading
    assert box["aria-labelledby"] == box.h2["id"]
    form = box.form
    assert (form["action"], form["method"]) == (SIGNUP, "post")
    (field,) = form.select("input[type=email]")
    assert field["name"] == "EMAIL" and field.has_attr("required")
    label = form.select_one(f"label[for={field['id']}]")
    assert label.text and "visually-hidden" in label["class"]  # named for screen readers
    assert form.select_one("button[type=submit]").text == button
    assert {i["name"]: i["value"] for i in form.select("input[type=hidden]")} == {"LANGUAGE": lang}
    trap = form.select_one("input[name=b_ab12cd34_f00dfeed42]")
    assert trap["tabindex"] == "-1" and trap.parent["aria-hidden"] == "true"


def test_a_signup_box_after_every_tip_and_on_each_home_page(tmp_path, pages):
    pages.tip(title="Le", date="2021-01-18 09:00", lang="sv", slug="smile")
    pages.tip(title="Older", date="2021-01-11 09:00", lang="en", slug="older")
    site = build_newsletter_site(tmp_path, pages, NEWSLETTER_SIGNUP_URL=SIGNUP)
    sv = ("Få veckans tips via mejl", "Prenumerera")
    for url, lang, words in [
        ("2021/w03/smile", "nb", ("Få ukens tips på e-post", "Meld meg på")),
        ("sv/2021/w03/smile", "sv", sv),
        ("sv", "sv", sv),
        ("en", "en", ("Get the tip of the week by email", "Subscribe")),
        ("en/2021/w02/older", "en", ("Get the tip of the week by email", "Subscribe")),
        ("fi", "fi", ("Tilaa viikon vinkki sähköpostiisi", "Tilaa")),  # no tip in fi yet
    ]:
        page = html(site, url)
        assert_signup_box(page, lang, *words)
    # On a tip's page the box comes right after the tip, before sharing and other weeks.
    tip = html(site, "2021/w03/smile")
    after = [e.name + "." + e.get("class", [""])[0] for e in tip.article.find_next_siblings()]
    assert after[0] == "aside.signup"


def test_a_site_without_signup_has_no_box_no_subscribe_page_and_no_menu_item(tmp_path, pages):
    site = build_newsletter_site(tmp_path, pages, NEWSLETTER_SIGNUP=False)
    for url in ("2021/w03/smile", "", "sv"):
        page = html(site, url)
        assert page.select(".signup, form.subscribe, .notice") == []
        assert "/subscribe/" not in str(page.select_one(".site-nav"))
    assert not (site.output / "subscribe").exists()
    assert not (site.output / "sv" / "subscribe").exists()
    assert "subscribe" not in (site.output / "sitemap.xml").read_text("utf-8")


@pytest.mark.parametrize("value", ["no", 0, None])
def test_newsletter_signup_takes_true_or_false(tmp_path, pages, value):
    with pytest.raises(Exception, match=r"NEWSLETTER_SIGNUP: .* is not True or False") as error:
        build_newsletter_site(tmp_path, pages, NEWSLETTER_SIGNUP=value)
    assert error.value.exit_code == 2


def production_conf(tmp_path, extra: str = "") -> str:
    conf = tmp_path / "publishconf.py"
    conf.write_text(
        f"exec(open({str(REPO / 'publishconf.py')!r}).read())\n"
        f"THEME = {str(REPO / 'theme')!r}\nSITEURL = 'https://tips.example'\n{extra}"
    )
    return str(conf)


FOLDERS = ["--content", "content", "--output", "output", "--cache", "cache"]


def test_a_production_build_without_the_signup_form_stops(pages, tmp_path, capsys, monkeypatch):
    """Readers never see the operator's instructions: make site refuses, naming the setting."""
    monkeypatch.delenv("NEWSLETTER_SIGNUP_URL", raising=False)
    code = build_command.main(["--settings", production_conf(tmp_path), *FOLDERS, "--staged"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: NEWSLETTER_SIGNUP_URL: not set; copy the form action")
    assert "NEWSLETTER_SIGNUP = False" in err
    assert not (tmp_path / "output").exists()


def test_a_production_build_with_the_form_or_without_signup(pages, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NEWSLETTER_SIGNUP_URL", SIGNUP)
    code = build_command.main(["--settings", production_conf(tmp_path), *FOLDERS, "--staged"])
    assert code == 0, capsys.readouterr().err
    page = (tmp_path / "output" / "2021" / "w03" / "smile" / "index.html").read_text("utf-8")
    assert f'action="{SIGNUP.replace("&", "&amp;")}"' in page
    assert "NEWSLETTER_SIGNUP_URL" not in page
    monkeypatch.delenv("NEWSLETTER_SIGNUP_URL")
    conf = production_conf(tmp_path, "NEWSLETTER_SIGNUP = False\n")
    code = build_command.main(["--settings", conf, *FOLDERS, "--staged"])
    assert code == 0, capsys.readouterr().err
    assert not (tmp_path / "output" / "subscribe").exists()
