"""`make preview` as an author meets it: the tip's pages as they will be when
it is published (drafts and scheduled tips too), its emails when the
newsletter renders them, the files printed last, and `make serve` showing it
all at /_preview/."""

from __future__ import annotations

import datetime
import functools
import threading
import urllib.request
from email.message import EmailMessage
from http.server import ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from scripts import preview as preview_command
from scripts.serve import SiteHandler
from tests.conftest import PELICANCONF
from tips_app.email_checks import NEWSLETTER_PLUGIN
from tips_app.pipeline import load_settings
from tips_app.previews import (
    PreviewPlan,
    PreviewResult,
    extract_emails,
    preview_outbox,
    write_index,
)
from tips_core.weeks import IsoWeek

LATER = datetime.datetime.now(ZoneInfo("Europe/Oslo")).date() + datetime.timedelta(weeks=3)
WEEK = IsoWeek.of(LATER)
FRIDAY = datetime.date.fromisocalendar(WEEK.year, WEEK.week, 5)


def run_preview(capsys, *args: str) -> tuple[int, list[str], str]:
    code = preview_command.main(
        ["--settings", PELICANCONF, "--content", "content", "--preview-dir", "preview", *args]
    )
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def pages(lines: list[str]) -> list[str]:
    """The page files among the printed paths (each may be followed by its emails)."""
    return [line for line in lines if line.startswith("preview/site/")]


def html_of(path: str) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text("utf-8"), "html.parser")


@pytest.fixture
def scheduled(content):
    """Published tips, a tip scheduled three weeks ahead with a draft sv
    translation, and one more after it."""
    content.tip(title="Før", date="2021-02-05 09:00", lang="nb", slug="before")
    content.tip(
        title="Smil i chatten", date=f"{FRIDAY} 09:00", lang="nb", slug="chat", summary="Smil."
    )
    content.tip(
        title="Le i chatten",
        date=f"{FRIDAY} 09:00",
        lang="sv",
        slug="chat",
        summary="Le.",
        extra="status: draft\n",
    )
    after = FRIDAY + datetime.timedelta(weeks=1)
    content.tip(title="Etterpå", date=f"{after} 09:00", lang="nb", slug="after")
    return content


def test_a_scheduled_tip_and_its_draft_translation_are_previewed(scheduled, capsys):
    code, lines, err = run_preview(capsys, "--slug", "chat")
    assert code == 0, err
    year, week = WEEK.year, f"w{WEEK.week:02d}"
    assert pages(lines) == [
        f"preview/site/{year}/{week}/chat/index.html",
        f"preview/site/sv/{year}/{week}/chat/index.html",
    ]
    first_path = lines.index(pages(lines)[0])
    assert all(line.startswith("preview/") for line in lines[first_path:])  # paths come last
    assert lines[0] == (
        f"Preview of 'chat' as the site will be on {FRIDAY:%A %Y-%m-%d} 09:00 (Europe/Oslo), "
        "when it is published."
    )
    assert "Not translated yet: fi, et, en." in lines
    assert "With make serve running, all of it is at http://127.0.0.1:8000/_preview/" in lines
    nb, sv = (html_of(page) for page in pages(lines))
    assert nb.h1.text == "Smil i chatten"
    assert sv.h1.text == "Le i chatten"
    assert sv.select_one(".week-label").text == f"Veckans tips ({WEEK.week}-{year})"
    # The home page leads with the previewed tip; the tip after it is not out yet.
    home = html_of("preview/site/index.html")
    assert "Smil i chatten" in home.text
    assert "Etterpå" not in home.text
    assert nb.select_one('link[rel="stylesheet"]')["href"].startswith(
        "http://127.0.0.1:8000/_preview/site/"
    )
    # Nothing of the real site or outbox was touched.
    assert not Path("output").exists()
    assert not Path("outbox").exists()


def test_each_page_is_followed_by_its_email_or_the_output_says_why_not(scheduled, capsys):
    code, lines, _err = run_preview(capsys, "--slug", "chat")
    assert code == 0
    code_week = WEEK.code
    if NEWSLETTER_PLUGIN not in load_settings(PELICANCONF)["PLUGINS"]:
        assert (
            "Emails: none rendered: the newsletter plugin (pelican.plugins.tip_newsletter) is "
            "not in PLUGINS, so there is no email to preview yet."
        ) in lines
        return
    year, week = WEEK.year, f"w{WEEK.week:02d}"
    assert lines[-6:] == [
        f"preview/site/{year}/{week}/chat/index.html",
        f"preview/emails/nb/{code_week}-chat.html",
        f"preview/emails/nb/{code_week}-chat.txt",
        f"preview/site/sv/{year}/{week}/chat/index.html",
        f"preview/emails/sv/{code_week}-chat.html",
        f"preview/emails/sv/{code_week}-chat.txt",
    ]
    assert "Smil i chatten" in Path(lines[-5]).read_text("utf-8")
    assert "Le i chatten" in Path(lines[-1]).read_text("utf-8")
    assert not Path("outbox").exists()


def test_a_second_preview_builds_only_when_something_changed(scheduled, capsys):
    run_preview(capsys, "--slug", "chat")
    code, lines, _err = run_preview(capsys, "--slug", "chat")
    assert code == 0
    assert "Nothing changed since the last preview: not built again." in lines
    tip = next(scheduled.root.rglob("*-chat.nb.md"))
    tip.write_text(tip.read_text("utf-8").replace("Smil i chatten", "Smil hele veien"), "utf-8")
    code, lines, _err = run_preview(capsys, "--slug", "chat")
    assert code == 0
    assert lines[1].startswith("Built the preview site in ")
    assert html_of(pages(lines)[0]).h1.text == "Smil hele veien"


def test_an_unknown_or_missing_slug_is_refused(scheduled, capsys):
    code, _lines, err = run_preview(capsys, "--slug", "chta")
    assert (code, err.strip()) == (1, "error: no tip has the slug 'chta'; did you mean chat?")
    code, _lines, err = run_preview(capsys)
    assert (code, err.strip()) == (
        1,
        "error: SLUG is missing: make preview SLUG=<the slug of the tip>",
    )


def test_content_errors_stop_the_preview_with_their_lines(scheduled, capsys):
    scheduled.write("tips/bad.nb.md", "---\ntitle: Hei\nlang: xx\n---\nText\n")
    code, _lines, err = run_preview(capsys, "--slug", "chat")
    assert code == 1
    assert "content/tips/bad.nb.md:3: error: unknown language 'xx'" in err
    assert not Path("preview").exists()


def an_email(subject: str, html: str, text: str) -> bytes:
    message = EmailMessage()
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message.as_bytes()


def test_emails_in_the_preview_outbox_are_split_into_html_and_text(scheduled, tmp_path):
    """The part the newsletter plugin plugs into: its .eml at PRODUCT.md's path."""
    root = tmp_path / "preview"
    outbox = root / "outbox" / "nb"
    outbox.mkdir(parents=True)
    (outbox / f"{WEEK.code}-chat.eml").write_bytes(
        an_email("Ukens tips: Smil i chatten", "<p>Smil – alltid.</p>", "Smil – alltid.")
    )
    from tests.conftest import settings_for
    from tips_app.pipeline import check

    report = check(settings_for(tmp_path, scheduled.root))
    versions = [tip for tip in report.tips if tip.fields["slug"] == "chat"]
    versions.sort(key=lambda tip: tip.fields["lang"] != "nb")
    plan = PreviewPlan("chat", versions, ["fi", "et", "en"], versions[0].fields["date"])
    result = PreviewResult(plan, pages={"nb": "nb.html", "sv": "sv.html"})
    settings = dict(settings_for(tmp_path, scheduled.root), NEWSLETTER_OUTBOX=str(root / "outbox"))
    extract_emails(result, str(root), preview_outbox(settings))
    html_path = root / "emails" / "nb" / f"{WEEK.code}-chat.html"
    text_path = root / "emails" / "nb" / f"{WEEK.code}-chat.txt"
    assert result.paths() == ["nb.html", str(html_path), str(text_path), "sv.html"]
    assert html_path.read_text("utf-8").strip() == "<p>Smil – alltid.</p>"
    assert text_path.read_text("utf-8").strip() == "Smil – alltid."
    assert result.emails["sv"].note.startswith("the newsletter wrote no email for it")
    index = BeautifulSoup(Path(write_index(result, str(root))).read_text("utf-8"), "html.parser")
    assert [a["href"] for a in index.select("a")] == [
        "../nb.html",
        f"emails/nb/{WEEK.code}-chat.html",
        f"emails/nb/{WEEK.code}-chat.txt",
        "../sv.html",
    ]


@pytest.fixture
def server(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the site")
    handler = functools.partial(SiteHandler, directory=str(output))
    SiteHandler.preview_dir = str(tmp_path / "preview")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    SiteHandler.preview_dir = None


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def test_serve_shows_the_preview_at_a_stable_url(scheduled, capsys, server):
    code, _lines, _err = run_preview(capsys, "--slug", "chat")
    assert code == 0
    status, index = fetch(f"{server}/_preview/")
    assert status == 200
    links = [a["href"] for a in BeautifulSoup(index, "html.parser").select("a")]
    page_links = [link for link in links if link.startswith("site/")]
    assert page_links == [
        f"site/{WEEK.year}/w{WEEK.week:02d}/chat/",
        f"site/sv/{WEEK.year}/w{WEEK.week:02d}/chat/",
    ]
    for email_link in (link for link in links if link.startswith("emails/")):
        assert fetch(f"{server}/_preview/{email_link}")[0] == 200
    status, page = fetch(f"{server}/_preview/{page_links[1]}")
    assert status == 200
    assert BeautifulSoup(page, "html.parser").h1.text == "Le i chatten"
    assert fetch(f"{server}/_preview/site/theme/css/main.css")[0] == 200
    assert fetch(f"{server}/_preview")[1] == index  # redirected to the folder
    assert fetch(f"{server}/") == (200, "the site")


def test_unfinished_work_is_previewed_not_refused(scheduled, capsys):
    """A TODO stops make check and the build, but a preview is for looking at it."""
    tip = next(scheduled.root.rglob("*-chat.nb.md"))
    tip.write_text(tip.read_text("utf-8").replace("Smile, listen", "TODO: Smile, listen"), "utf-8")
    code, lines, err = run_preview(capsys, "--slug", "chat")
    assert code == 0, err
    assert "TODO: Smile, listen" in html_of(pages(lines)[0]).select_one(".tip__body").text


def test_a_preview_holds_nothing_of_a_later_previous_one(scheduled, capsys):
    code, lines, _err = run_preview(capsys, "--slug", "after")
    assert code == 0
    [after_page] = pages(lines)
    assert Path(after_page).exists()
    code, _lines, _err = run_preview(capsys, "--slug", "chat")
    assert code == 0
    assert not Path(after_page).exists()  # "after" is not out yet on chat's date
