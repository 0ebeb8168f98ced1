"""The newsletter through the commands: make build, make publish, make newsletter-status.

The "Done when" of issue 4: a tip dated today in nb and en; `make build` writes
two .eml files, and again nothing new; `make publish` with the Mailchimp
backend against a local server sends two campaigns, to the nb and en segments;
again, none.
"""

from __future__ import annotations

import datetime
import email
import re
from email import policy

import pytest
from bs4 import BeautifulSoup

from scripts import build as build_command
from scripts import newsletter_status, publish
from tests.conftest import PELICANCONF, REPO, SITEURL, ContentTree
from tests.tip_newsletter.conftest import OSLO, PRODUCTION, production_environment
from tests.tip_newsletter.fake_mailchimp import FakeMailchimp

PUBLISHCONF = str(REPO / "publishconf.py")
FOLDERS = ["--content", "content", "--output", "output", "--cache", "cache"]
AUDIENCE = "f00dfeed42"


def ago(**delta) -> str:
    return (datetime.datetime.now(OSLO) - datetime.timedelta(**delta)).strftime("%Y-%m-%d %H:%M")


def today_in_nb_and_en(content: ContentTree) -> str:
    date = ago(minutes=5)
    content.tip(title="Smil i stemmen", date=date, lang="nb", slug="smile", summary="Smil!")
    content.tip(title="Smile in your voice", date=date, lang="en", slug="smile", summary="Smile!")
    for lang in ("nb", "en"):
        content.page(title="Abonner", lang=lang, slug="subscribe", extra="template: subscribe\n")
    return date


def run(main, capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def fake():
    with FakeMailchimp() as server:
        server.add_audience(AUDIENCE)
        yield server


@pytest.fixture
def production(monkeypatch, fake):
    """The environment of `make publish` in production, against the local fake."""
    for name, value in production_environment(fake, AUDIENCE).items():
        monkeypatch.setenv(name, value)
    return fake


def test_done_when(content, tmp_path, capsys, production):
    fake = production
    today_in_nb_and_en(content)
    week = datetime.datetime.now(OSLO).isocalendar()
    stem = f"{week.year}-W{week.week:02d}-smile"

    # make build: two .eml files (whatever NEWSLETTER_BACKEND says: it is mailchimp here).
    code, out, err = run(build_command.main, capsys, "--settings", PELICANCONF, *FOLDERS)
    assert code == 0, err
    assert (
        f"Newsletter: 2 new emails (outbox):\n  outbox/nb/{stem}.eml\n  outbox/en/{stem}.eml\n"
        in out
    )
    assert fake.state.log == []  # a development build never reaches a provider
    for lang, label in (("nb", "Ukens tips"), ("en", "Tip of the week")):
        msg = email.message_from_bytes(
            (tmp_path / "outbox" / lang / f"{stem}.eml").read_bytes(), policy=policy.default
        )
        assert msg.get_content_type() == "multipart/alternative"
        assert msg["Subject"].startswith(f"{label} ({week.week}-{week.year}): Smil")
        page = BeautifulSoup(msg.get_body(("html",)).get_content(), "html.parser")
        for link in (a["href"] for a in page.find_all("a") if a["href"].startswith(SITEURL)):
            url = link.split("?")[0]
            path = tmp_path / "output" / url.removeprefix(SITEURL + "/")
            assert (path / "index.html" if url.endswith("/") else path).is_file(), link
        assert page.select_one("a[href^='mailto:?subject=']")
        assert len(page.select("a[href^='https://']")) == 5  # the web share links

    # make build again: nothing new.
    mtimes = sorted(p.stat().st_mtime_ns for p in (tmp_path / "outbox").rglob("*.eml"))
    code, out, err = run(build_command.main, capsys, "--settings", PELICANCONF, *FOLDERS)
    assert code == 0, err
    assert "Newsletter: nothing new to send (outbox; 2 already sent" in out
    assert sorted(p.stat().st_mtime_ns for p in (tmp_path / "outbox").rglob("*.eml")) == mtimes

    # make publish: two campaigns, to the nb and en segments.
    code, out, err = run(publish.main, capsys, "--settings", PUBLISHCONF, *FOLDERS)
    assert code == 0, err
    sent = fake.sent_campaigns()
    assert sorted(c["settings"]["title"] for c in sent) == [
        f"tip-of-the-week {stem[:8]} (en): smile",
        f"tip-of-the-week {stem[:8]} (nb): smile",
    ]
    assert sorted(c["recipients"]["segment_opts"]["conditions"][0]["value"] for c in sent) == [
        "en",
        "nb",
    ]
    assert f"{stem[:8]} smile  nb  sent now " in out and f"{stem[:8]} smile  en  sent now " in out
    assert "0 due, 2 sent (2 in this run)" in out
    html = fake.state.contents[sent[0]["id"]]["html"]
    assert f"{PRODUCTION}/" in html and SITEURL not in html  # production links

    # make publish again: none.
    code, out, err = run(publish.main, capsys, "--settings", PUBLISHCONF, *FOLDERS)
    assert code == 0, err
    assert len(fake.calls("POST", "/campaigns")) == 2
    assert sum(fake.state.sends.values()) == 2
    assert "0 due, 2 sent (0 in this run)" in out

    # make newsletter-status: sent, when, where, with the campaign id, and the outbox beside.
    code, out, err = run(newsletter_status.main, capsys, "--settings", PUBLISHCONF, *FOLDERS)
    assert code == 0, err
    nb_line = next(line for line in out.splitlines() if " smile  nb  " in line)
    campaign = next(c["id"] for c in sent if "(nb)" in c["settings"]["title"])
    assert f"sent {datetime.date.today():%Y-%m-%d}" in nb_line
    assert f"via mailchimp (campaign {campaign})" in nb_line
    assert "also outbox: " in nb_line and f"outbox/nb/{stem}.eml" in nb_line


def test_status_lists_every_tip_and_language_with_its_reason(content, capsys):
    content.tip(title="Ny", date=ago(days=1), lang="nb", slug="fresh")
    content.tip(title="New", date=ago(days=1), lang="en", slug="fresh", extra="newsletter: false\n")
    content.tip(title="Gammel", date=ago(days=30), lang="nb", slug="old")
    content.tip(title="Snart", date=ago(days=-8), lang="nb", slug="soon")
    content.tip(title="Utkast", date=ago(days=15), lang="sv", slug="draft", extra="status: draft\n")
    code, out, err = run(newsletter_status.main, capsys, "--settings", PELICANCONF, *FOLDERS)
    assert code == 0, err
    rows = (re.fullmatch(r"\S+ (\S+) +(\w\w)  (.*)", line) for line in out.splitlines()[1:-1])
    states = {(row[1], row[2]): row[3] for row in rows}
    assert states[("fresh", "nb")] == "due"
    assert states[("fresh", "en")] == "skipped: opted out (newsletter: false)"
    assert states[("old", "nb")].startswith("skipped: too old (dated ")
    assert states[("soon", "nb")].startswith("skipped: future (appears ")
    assert states[("draft", "sv")] == "skipped: draft"
    assert out.splitlines()[-1] == "1 due, 0 sent (0 in this run), 4 skipped, 0 missed."


def test_publish_without_the_key_names_it_and_builds_nothing(
    content, tmp_path, capsys, production, monkeypatch
):
    monkeypatch.delenv("MAILCHIMP_API_KEY")
    today_in_nb_and_en(content)
    code, _out, err = run(publish.main, capsys, "--settings", PUBLISHCONF, *FOLDERS)
    assert code == 2
    assert err.startswith("error: MAILCHIMP_API_KEY: not set.")
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "output").exists()


def test_a_wrong_key_exits_2_and_is_never_shown(content, capsys, production, monkeypatch):
    wrong = "0badc0de0badc0de0badc0de0badc0de-us21"
    monkeypatch.setenv("MAILCHIMP_API_KEY", wrong)
    today_in_nb_and_en(content)
    code, out, err = run(publish.main, capsys, "--settings", PUBLISHCONF, *FOLDERS, "--verbose")
    assert code == 2
    assert (
        err.strip()
        .splitlines()[-1]
        .startswith(
            "error: MAILCHIMP_API_KEY: Mailchimp refused the key while reading the audience"
        )
    )
    assert "Traceback" not in err
    for secret in (wrong, wrong.split("-")[0], wrong[:8]):
        assert secret not in out and secret not in err
    assert production.state.campaigns == {}


def test_an_unknown_audience_exits_2(content, capsys, production, monkeypatch):
    monkeypatch.setenv("MAILCHIMP_AUDIENCE_ID", "nosuchlist")
    today_in_nb_and_en(content)
    code, _out, err = run(publish.main, capsys, "--settings", PUBLISHCONF, *FOLDERS)
    assert code == 2
    assert err.strip() == (
        "error: MAILCHIMP_AUDIENCE_ID: Mailchimp has no audience 'nosuchlist' in this account "
        "(Audience > Settings > Audience name and defaults > Audience ID)"
    )


def test_the_key_in_a_settings_file_is_refused(content, tmp_path, capsys, production):
    conf = tmp_path / "conf.py"
    conf.write_text(
        f"exec(open({PUBLISHCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\n"
        "MAILCHIMP_API_KEY = 'abcdef12-us1'\n"
    )
    code, out, err = run(publish.main, capsys, "--settings", str(conf), *FOLDERS)
    assert code == 2
    assert "error: MAILCHIMP_API_KEY: remove it from the settings file" in err
    assert "abcdef12" not in out + err


def test_site_sends_nothing(content, tmp_path, capsys, production):
    today_in_nb_and_en(content)
    code = build_command.main(["--settings", PUBLISHCONF, *FOLDERS, "--no-outbox"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Newsletter" not in out
    assert not (tmp_path / "outbox").exists() and production.state.log == []


def test_publish_needs_an_absolute_siteurl(content, tmp_path, capsys, production, monkeypatch):
    monkeypatch.setenv("SITEURL", "")
    today_in_nb_and_en(content)
    code, _out, err = run(publish.main, capsys, "--settings", PUBLISHCONF, *FOLDERS)
    assert code == 2
    assert err.strip() == (
        "error: SITEURL: '' is not an absolute address, and emails need one for their links; "
        "set SITEURL in the environment of `make publish`"
    )
    assert not (tmp_path / "output").exists() and production.state.log == []


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan"])
def test_a_bad_timeout_in_the_environment_is_one_settings_line(
    content, capsys, production, monkeypatch, value
):
    monkeypatch.setenv("MAILCHIMP_TIMEOUT", value)
    today_in_nb_and_en(content)
    for main in (publish.main, newsletter_status.main):
        code, out, err = run(main, capsys, "--settings", PUBLISHCONF, *FOLDERS)
        assert code == 2
        (line,) = err.strip().splitlines()
        assert line.startswith("error: MAILCHIMP_TIMEOUT: "), line
        assert "Traceback" not in out + err
    assert production.state.log == []
