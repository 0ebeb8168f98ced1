"""A publisher can leave the weekly send alone (issue 12), through the commands.

`make publish` and `make newsletter-status` run as in production, with the
real ``mailchimp-marketing`` client against the local fake Mailchimp: one
refused email never keeps the others from going out; a language with no
subscribers is skipped with a warning and sent once some arrive; an email that
could not be sent in time is reported as missed; a tip keeps its identity (its
series, ISO week and language) whatever its slug; the status tells the truth
on a fresh checkout.
"""

from __future__ import annotations

import re
import shutil

import pytest

from scripts import build as build_command
from scripts import check as check_command
from scripts import newsletter_status, publish, test_send
from tests.conftest import PELICANCONF, ContentTree
from tests.tip_newsletter.conftest import production_fake
from tests.tip_newsletter.fake_mailchimp import FakeMailchimp
from tests.tip_newsletter.test_commands import FOLDERS, PUBLISHCONF, ago, run

AUDIENCE = "feedc0ffee"
LANGS = ("nb", "sv", "fi", "et", "en")
CREATE = ("POST", "/campaigns")


@pytest.fixture
def fake(monkeypatch):
    with production_fake(monkeypatch, AUDIENCE) as server:
        yield server


def subscribe(fake: FakeMailchimp, *langs: str) -> None:
    for lang in langs:
        fake.add_member(AUDIENCE, f"reader-{lang}@example.test", LANGUAGE=lang)


def week_tip(content: ContentTree, lang: str, slug: str = "listen", **fields) -> None:
    fields.setdefault("date", ago(hours=2))
    fields.setdefault("title", f"Lytt først ({lang})")
    content.tip(lang=lang, slug=slug, **fields)


def sent_titles(fake: FakeMailchimp) -> list[str]:
    return sorted(c["settings"]["title"] for c in fake.sent_campaigns())


def publish_run(capsys) -> tuple[int, str, str]:
    return run(publish.main, capsys, "--settings", PUBLISHCONF, *FOLDERS)


def status_run(capsys) -> tuple[int, str, str]:
    return run(newsletter_status.main, capsys, "--settings", PUBLISHCONF, *FOLDERS)


def lang_of(title: str) -> str:
    return title.split("(")[1][:2]


# 1. One refusal never blocks the others ------------------------------------


@pytest.mark.parametrize("refused", ["nb", "et", "en"])
def test_one_refused_email_never_keeps_the_others_from_going_out(content, capsys, fake, refused):
    for lang in LANGS:
        week_tip(content, lang)
    subscribe(fake, *LANGS)
    # Mailchimp refuses to create the campaign of one language, whatever its place.
    fake.fault(*CREATE, "400", skip=LANGS.index(refused))
    code, out, err = publish_run(capsys)
    assert code == 2
    assert sorted(lang_of(t) for t in sent_titles(fake)) == sorted(set(LANGS) - {refused})
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1  # one line per failed email
    assert f"/{refused} (" in errors[0] and "Invalid Resource" in errors[0]
    assert f"listen  {refused}  FAILED: " in out

    # The next run sends what failed, and only that.
    code, out, err = publish_run(capsys)
    assert code == 0, err
    assert sorted(lang_of(t) for t in sent_titles(fake)) == sorted(LANGS)
    assert sorted(fake.state.sends.values()) == [1] * len(LANGS)


def test_a_language_without_subscribers_is_skipped_then_sent_when_they_arrive(
    content, capsys, fake
):
    for lang in LANGS:
        week_tip(content, lang)
    subscribe(fake, "nb", "sv", "fi", "en")  # nobody reads Estonian yet
    code, out, err = publish_run(capsys)
    assert code == 0, err  # not a failure
    assert "no subscribers in et yet" in err  # a warning naming the language
    assert "listen  et  skipped: no subscribers in et yet" in out
    assert sorted(lang_of(t) for t in sent_titles(fake)) == ["en", "fi", "nb", "sv"]
    assert len(fake.state.campaigns) == 4  # no empty campaign left behind

    subscribe(fake, "et")
    code, out, err = publish_run(capsys)
    assert code == 0, err
    assert sorted(lang_of(t) for t in sent_titles(fake)) == sorted(LANGS)
    assert sorted(fake.state.sends.values()) == [1] * len(LANGS)


def test_a_refusal_to_send_to_nobody_is_a_skip_even_without_a_count(content, capsys, fake):
    """Where Mailchimp's answers carry no recipient count, its refusal to send says it."""
    fake.state.hide_counts = True
    for lang in ("nb", "et"):
        week_tip(content, lang)
    subscribe(fake, "nb")
    code, _out, err = publish_run(capsys)
    assert code == 0, err
    assert "no subscribers in et yet" in err
    assert [lang_of(t) for t in sent_titles(fake)] == ["nb"]
    assert [lang_of(c["settings"]["title"]) for c in fake.state.campaigns.values()] == ["nb"]


# 2. Nothing turns silently into "too old" ----------------------------------


def test_an_email_never_sent_in_time_is_reported_as_missed(
    content, tmp_path, capsys, fake, monkeypatch
):
    subscribe(fake, *LANGS)
    week_tip(content, "nb", slug="late", date=ago(days=8))
    week_tip(content, "nb", slug="old", date=ago(days=60))  # the archive: not news
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, err = publish_run(capsys)
    assert code == 2
    assert fake.sent_campaigns() == []  # never sent by surprise
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert "late.nb.md" in line and "MISSED" in line
    assert "NEWSLETTER_MAX_AGE_DAYS=10" in line  # how to send it on purpose
    assert "late  nb  MISSED: " in out
    table = summary.read_text("utf-8")
    assert "| late | nb | MISSED: " in table
    assert "| old |" not in table

    code, out, err = status_run(capsys)
    assert code == 0, err
    assert "late  nb  MISSED: " in out
    assert re.search(r" old +nb  skipped: too old", out)

    # Sent on purpose: one run with a larger age limit.
    monkeypatch.setenv("NEWSLETTER_MAX_AGE_DAYS", "10")
    code, out, err = publish_run(capsys)
    monkeypatch.delenv("NEWSLETTER_MAX_AGE_DAYS")
    assert code == 0, err
    assert [lang_of(t) for t in sent_titles(fake)] == ["nb"]
    code, out, err = publish_run(capsys)
    assert code == 0, err  # sent: no longer missed


# 4. A tip keeps its identity -------------------------------------------------


def check_run(capsys) -> tuple[int, str, str]:
    """`make check`: its problems, warnings included, are printed on stdout."""
    return run(check_command.main, capsys, "--settings", PUBLISHCONF, *FOLDERS)


def warnings_of(err: str, name: str) -> list[str]:
    """The warnings of one file about what was emailed."""
    return [
        line
        for line in err.splitlines()
        if name in line and ": warning: " in line and " email" in line
    ]


def test_a_new_slug_or_title_in_the_same_week_never_sends_again(content, capsys, fake):
    subscribe(fake, "nb")
    path = content.tip(title="Lytt først", date=ago(hours=2), lang="nb", slug="listen")
    assert publish_run(capsys)[0] == 0
    assert len(fake.sent_campaigns()) == 1

    # The author renames the slug (the file keeps its name) and the title.
    text = path.read_text("utf-8").replace("slug: listen", "slug: listen-first")
    path.write_text(text.replace("Lytt først", "Lytt alltid først"), "utf-8")
    code, out, err = check_run(capsys)
    assert code == 0, err
    (warning,) = warnings_of(out, path.name)
    assert f"{path.name}:5: warning: the nb email of week " in warning  # the slug's line
    assert "was already sent " in warning and "via mailchimp as 'listen' ('Lytt først')" in warning
    assert "this tip ('listen-first') is not emailed" in warning
    assert "its URL moves" in warning

    shutil.rmtree("cache")  # a fresh checkout: only Mailchimp knows what was sent
    code, out, err = publish_run(capsys)
    assert code == 0, err
    assert len(fake.state.campaigns) == 1 and len(fake.sent_campaigns()) == 1
    assert "sent as 'listen', this week's email is not sent again" in out


def test_a_second_tip_in_a_week_already_sent_is_not_emailed(content, capsys, fake):
    subscribe(fake, "nb")
    first = content.tip(title="Lytt først", date=ago(hours=3), lang="nb", slug="listen")
    assert publish_run(capsys)[0] == 0
    first.unlink()  # replaced by another tip of the same week
    second = content.tip(title="Smil", date=ago(hours=1), lang="nb", slug="smile")
    code, out, err = check_run(capsys)
    assert code == 0, err
    (warning,) = warnings_of(out, second.name)
    assert "as 'listen' ('Lytt først'); this tip ('smile') is not emailed" in warning
    code, _out, err = publish_run(capsys)
    assert code == 0, err
    assert len(fake.state.campaigns) == 1


def test_a_new_week_is_a_new_email_even_with_an_old_slug(content, capsys, fake, monkeypatch):
    monkeypatch.setenv("NEWSLETTER_MAX_AGE_DAYS", "30")  # last week's tip is still due
    subscribe(fake, "nb")
    old = content.tip(title="Lytt", date=ago(days=7), lang="nb", slug="listen")
    assert publish_run(capsys)[0] == 0
    (last_week,) = [c["settings"]["title"] for c in fake.sent_campaigns()]

    # Moved to this week: it becomes this week's email (after a warning).
    old.unlink()
    moved = content.tip(title="Lytt", date=ago(hours=1), lang="nb", slug="listen")
    code, out, err = check_run(capsys)
    assert code == 0, err
    (warning,) = warnings_of(out, moved.name)
    assert f"{moved.name}:3: warning: the email of week {last_week.split()[1]} was sent " in warning
    assert "will be emailed as that week's tip (a second email of the same text" in warning
    code, out, err = publish_run(capsys)
    assert code == 0, err
    titles = sent_titles(fake)
    assert len(titles) == 2 and titles[0] != titles[1]
    assert all(t.endswith(": listen") for t in titles)

    # The status matches the tip with this week's campaign, not last week's.
    code, out, err = status_run(capsys)
    assert code == 0, err
    this_week = next(c["id"] for c in fake.sent_campaigns() if c["settings"]["title"] != last_week)
    assert f"(campaign {this_week})" in out
    assert "0 due, 1 sent" in out


def test_the_outbox_keeps_identity_too(content, tmp_path, capsys):
    """`make build` writes a week's email once, whatever the tip's slug becomes."""
    path = content.tip(title="Lytt", date=ago(hours=2), lang="nb", slug="listen")
    code, out, err = run(build_command.main, capsys, "--settings", PELICANCONF, *FOLDERS)
    assert code == 0, err
    assert "Newsletter: 1 new email (outbox)" in out
    path.write_text(path.read_text("utf-8").replace("slug: listen", "slug: hear"), "utf-8")
    (tmp_path / "outbox" / "sent.json").unlink()  # the file alone says which email it is
    code, out, err = run(build_command.main, capsys, "--settings", PELICANCONF, *FOLDERS)
    assert code == 0, err
    assert "Newsletter: nothing new to send (outbox; 1 already sent)." in out
    assert len(list((tmp_path / "outbox").rglob("*.eml"))) == 1


# 6. Status you can trust on a fresh checkout ----------------------------------


def test_status_reads_mailchimp_on_a_fresh_checkout(content, capsys, fake, monkeypatch):
    subscribe(fake, "nb")
    content.tip(title="Lytt", date=ago(hours=2), lang="nb", slug="listen")
    assert publish_run(capsys)[0] == 0
    shutil.rmtree("cache")  # CI's fresh clone: no local record

    code, out, err = status_run(capsys)
    assert code == 0, err
    line = next(x for x in out.splitlines() if " listen  nb  " in x)
    zoned = r"\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d"
    assert re.search(rf"sent {zoned} via mailchimp \(campaign ", line)
    assert re.search(rf" at {zoned};", out.splitlines()[0])

    monkeypatch.delenv("MAILCHIMP_API_KEY")
    calls = len(fake.state.log)
    code, out, err = status_run(capsys)
    assert code == 0, err
    assert out.splitlines()[0].startswith(
        "MAILCHIMP_API_KEY is not set: this status knows only the local record"
    )
    assert " listen  nb  due" in out  # what the local record alone can say
    assert len(fake.state.log) == calls  # no key, no request


@pytest.mark.parametrize("value", ["0", "nan", "inf", "-3", "soon"])
def test_a_bad_timeout_is_one_settings_line(content, capsys, fake, monkeypatch, value):
    content.tip(title="Lytt", date=ago(hours=2), lang="nb", slug="listen")
    monkeypatch.setenv("MAILCHIMP_TIMEOUT", value)
    for command in (publish_run, status_run):
        code, _out, err = command(capsys)
        assert code == 2
        assert err.startswith("error: MAILCHIMP_TIMEOUT: ") and len(err.splitlines()) == 1
    assert fake.state.log == []


# make test-send (issue 15, point 9): one address, the campaign the real send uses --


def run_test_send(capsys, *extra: str) -> tuple[int, str, str]:
    return run(test_send.main, capsys, "--settings", PELICANCONF, *FOLDERS, *extra)


def test_a_test_send_goes_to_one_address_then_the_real_send_uses_that_campaign(
    content, capsys, fake
):
    subscribe(fake, "nb", "sv")
    for lang in ("nb", "sv"):
        week_tip(content, lang)
    code, out, err = run_test_send(capsys, "--slug", "listen", "--to", "editor@example.test")
    assert code == 0, err
    assert fake.sent_campaigns() == []  # never to subscribers
    assert sorted(to for _id, to in fake.state.tests) == [["editor@example.test"]] * 2
    assert "nb: campaign " in out and "sv: campaign " in out
    assert "Not translated yet: fi, et, en." in out
    tested = set(fake.state.campaigns)
    html = fake.state.contents[next(iter(tested))]["html"]
    assert "https://kundeservicetips.example/" in html  # the links subscribers will get

    # Again: the same campaigns, brought up to date; no new ones.
    assert run_test_send(capsys, "--slug", "listen", "--to", "editor@example.test")[0] == 0
    assert set(fake.state.campaigns) == tested

    # The real send resumes the tested campaigns: no new campaign, each sent once.
    code, out, err = publish_run(capsys)
    assert code == 0, err
    assert {c["id"] for c in fake.sent_campaigns()} == tested
    assert len(fake.calls(*CREATE)) == 2
    assert sorted(fake.state.sends.values()) == [1, 1]

    # After the real send, a test says it was sent and sends nothing.
    code, _out, err = run_test_send(capsys, "--slug", "listen", "--to", "editor@example.test")
    assert code == 2 and "was already sent to the subscribers" in err
    assert len(fake.state.tests) == 4


def test_a_scheduled_tip_can_be_tested_before_it_is_published(content, capsys, fake):
    subscribe(fake, "nb")
    week_tip(content, "nb", date=ago(days=-3))
    code, _out, err = run_test_send(capsys, "--slug", "listen", "--to", "editor@example.test")
    assert code == 0, err
    assert len(fake.state.tests) == 1 and fake.sent_campaigns() == []


def test_a_test_send_through_the_outbox_is_not_a_send(content, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NEWSLETTER_BACKEND", raising=False)
    week_tip(content, "nb")
    code, out, err = run_test_send(capsys, "--slug", "listen", "--to", "editor@example.test")
    assert code == 0, err
    (eml,) = (tmp_path / "outbox" / "test-send" / "nb").glob("*.eml")
    assert "To: editor@example.test" in eml.read_text("utf-8")
    assert not (tmp_path / "outbox" / "nb").exists()
    code, out, err = run(build_command.main, capsys, "--settings", PELICANCONF, *FOLDERS)
    assert "Newsletter: 1 new email (outbox)" in out  # the test did not count as sent


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--slug", "listen"), "TO is missing"),
        (("--slug", "listen", "--to", "not an address"), "is not one email address"),
        (("--slug", "nothing", "--to", "a@b.test"), "no tip has the slug 'nothing'"),
    ],
)
def test_a_test_send_says_what_is_wrong(content, capsys, extra, message):
    week_tip(content, "nb")
    code, _out, err = run_test_send(capsys, *extra)
    assert code == 1
    assert message in err and "Traceback" not in err
