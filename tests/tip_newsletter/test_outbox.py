"""The outbox, console and locmem backends: at most once per tip and language."""

from __future__ import annotations

import io
import json
import threading

import pytest

from pelican.plugins.tip_newsletter.backends import get_backend
from pelican.plugins.tip_newsletter.backends.console import ConsoleBackend
from pelican.plugins.tip_newsletter.errors import ContentError, LockTimeout
from pelican.plugins.tip_newsletter.ledger import file_lock
from tests.tip_newsletter.conftest import TITLES, build_newsletter_site, write_week_three


@pytest.fixture
def site(tmp_path, content):
    write_week_three(content)
    return build_newsletter_site(tmp_path, content)


def emls(site) -> list[str]:
    return sorted(p.name for p in (site.tmp / "outbox").rglob("*.eml"))


def test_a_rerun_writes_nothing_new(site):
    first = site.send(get_backend(site.config, "outbox"))
    assert len(first.sent) == 5
    mtimes = {p: p.stat().st_mtime_ns for p in (site.tmp / "outbox").rglob("*.eml")}
    again = site.send(get_backend(site.config, "outbox"))
    assert again.sent == []
    assert {p: p.stat().st_mtime_ns for p in (site.tmp / "outbox").rglob("*.eml")} == mtimes
    assert again.short_lines() == ["Newsletter: nothing new to send (outbox; 5 already sent)."]


def test_the_record_says_what_went_where(site):
    site.send(get_backend(site.config, "outbox"))
    record = json.loads((site.tmp / "outbox" / "sent.json").read_text("utf-8"))
    assert sorted(record["sent"]) == sorted(f"tip-of-the-week/2021-W03/{lang}" for lang in TITLES)
    nb = record["sent"]["tip-of-the-week/2021-W03/nb"]
    assert nb["where"].endswith("outbox/nb/2021-W03-answer-all.eml")
    assert nb["sent_at"].endswith("+01:00")  # the site's time zone


def test_a_file_without_its_record_still_counts_as_sent(site):
    site.send(get_backend(site.config, "outbox"))
    (site.tmp / "outbox" / "sent.json").unlink()  # a run stopped between file and record
    again = site.send(get_backend(site.config, "outbox"))
    assert again.sent == []
    assert "file found without its record" in "\n".join(again.lines())


def test_two_runs_at_once_write_each_email_once(site):
    reports = []
    start = threading.Barrier(4)

    def run():
        start.wait()
        reports.append(site.send(get_backend(site.config, "outbox")))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(r.sent) for r in reports) == [0, 0, 0, 5]
    assert len(emls(site)) == 5


def test_a_held_lock_makes_the_other_run_wait_then_give_up(tmp_path):
    path = str(tmp_path / "x.lock")
    with file_lock(path, 1), pytest.raises(LockTimeout) as error, file_lock(path, 0.1):
        pass
    assert "another run is sending the newsletter" in str(error.value)
    with file_lock(path, 0.1):  # released when the holder is done
        pass


def test_a_tip_that_cannot_be_emailed_stops_the_run_before_anything_is_sent(tmp_path, content):
    write_week_three(content)
    huge = "Et veldig langt tips. " * 6000
    path = content.tip(title="Enormt", date="2021-01-11 09:00", lang="sv", slug="huge", body=huge)
    with pytest.raises(ContentError) as error:
        build_newsletter_site(tmp_path, content)
    (problem,) = error.value.problems
    assert (problem.path, problem.line) == (str(path), 1)
    assert "Gmail hides everything after 102 KB" in problem.message
    assert not (tmp_path / "outbox").exists()


def test_console_and_locmem(site):
    stream = io.StringIO()
    console = ConsoleBackend(site.config, stream)
    report = site.send(console)
    assert len(report.sent) == 5
    assert stream.getvalue().count("Content-Type: multipart/alternative") == 5
    assert site.send(ConsoleBackend(site.config, io.StringIO())).sent == []

    locmem = get_backend(site.config, "locmem")
    site.send(locmem)
    assert [m["X-Newsletter-Tip"] for m in locmem.messages] == [
        f"answer-all/{lang}" for lang in TITLES
    ]
    assert site.send(locmem).sent == []
