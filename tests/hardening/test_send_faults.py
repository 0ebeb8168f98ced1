"""`make publish` killed (SIGKILL) at each step of a Mailchimp send, then run
again; and two `make publish` runs started at once. Each tip goes out once per
language, whatever step the kill hit.

The publish program runs as a subprocess against the local fake Mailchimp API.
The fake pauses at the chosen request, before or after carrying it out, and
the test kills the process group right there; then `make publish` runs again
(its main, in this process) and the fake's record of sends is checked.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import publish
from tests.conftest import REPO, ContentTree
from tests.tip_newsletter.conftest import OSLO, production_environment
from tests.tip_newsletter.fake_mailchimp import FakeMailchimp

PUBLISHCONF = str(REPO / "publishconf.py")
FOLDERS = ["--content", "content", "--output", "output", "--cache", "cache"]
AUDIENCE = "f00dfeed42"
LANGS = ("nb", "en")
CREATE = ("POST", "/campaigns")
CONTENT = ("PUT", r"/campaigns/\w+/content")
SEND = ("POST", r"/campaigns/\w+/actions/send")


def write_checkout(folder: Path) -> str:
    """A checkout with a tip dated today in nb and en; returns its settings file."""
    content = ContentTree(folder / "content")
    date = (datetime.datetime.now(OSLO) - datetime.timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    for lang in LANGS:
        content.tip(title=f"Smil ({lang})", date=date, lang=lang, slug="smile", summary="Smil!")
        content.page(title="Abonner", lang=lang, slug="subscribe", extra="template: subscribe\n")
    conf = folder / "conf.py"
    conf.write_text(
        f"exec(open({PUBLISHCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\n"
        "TIPS_SEARCH = False\n"  # the search index plays no part here
    )
    return str(conf)


@pytest.fixture
def fake(monkeypatch):
    with FakeMailchimp() as server:
        server.add_audience(AUDIENCE)
        for name, value in environment(server).items():
            monkeypatch.setenv(name, value)
        yield server


def environment(fake: FakeMailchimp) -> dict[str, str]:
    return production_environment(fake, AUDIENCE)


def start_publish(folder: Path, conf: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scripts.publish", "--settings", conf, *FOLDERS],
        cwd=folder,
        env=dict(os.environ),  # the fake's settings, set by the fixture
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def assert_each_sent_once(fake: FakeMailchimp) -> None:
    sent = sorted(c["settings"]["title"] for c in fake.sent_campaigns())
    week = datetime.datetime.now(OSLO).isocalendar()
    code = f"{week.year}-W{week.week:02d}"
    assert sent == [f"tip-of-the-week {code} ({lang}): smile" for lang in sorted(LANGS)]
    assert sorted(fake.state.sends.values()) == [1, 1]


def publish_again(capsys, folder: Path, conf: str) -> str:
    os.chdir(folder)
    code = publish.main(["--settings", conf, *FOLDERS])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in out + err
    return out


KILL_POINTS = [
    # (when, request, pause kind, matching requests let through first, sends at the kill)
    ("the campaign was created, its answer not back", CREATE, "commit-pause", 0, 0),
    ("the campaign was created, its content not set", CONTENT, "pause", 0, 0),
    ("its content was set, the answer not back", CONTENT, "commit-pause", 0, 0),
    ("the send request went out, Mailchimp did not act", SEND, "pause", 0, 0),
    ("Mailchimp sent it, the answer not back", SEND, "commit-pause", 0, 1),
    ("the first email was sent, the second not created", CREATE, "pause", 1, 1),
]


@pytest.mark.parametrize(
    ("when", "request_", "kind", "skip", "sent_at_kill"),
    KILL_POINTS,
    ids=[point[0] for point in KILL_POINTS],
)
def test_killed_at_each_step_then_run_again(
    fake, tmp_path, capsys, when, request_, kind, skip, sent_at_kill
):
    conf = write_checkout(tmp_path)
    fault = fake.fault(*request_, kind, skip=skip)
    process = start_publish(tmp_path, conf)
    try:
        reached = fault.reached.wait(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # there, or on the way out of a failure
        output = process.communicate()[0]
        fault.release.set()
    assert reached, output
    assert process.returncode == -signal.SIGKILL
    assert sum(fake.state.sends.values()) == sent_at_kill

    out = publish_again(capsys, tmp_path, conf)
    assert_each_sent_once(fake)
    assert "0 due, 2 sent" in out.splitlines()[-1]
    assert len(fake.sent_campaigns()) == len(LANGS)
    # Nothing half-made is left behind: at most the one campaign per language.
    assert len(fake.state.campaigns) == len(LANGS)


@pytest.mark.parametrize("checkouts", ["one checkout", "two checkouts"])
def test_two_publish_runs_started_at_once_send_once(fake, tmp_path, checkouts):
    """In one checkout the second run waits for the first (the build and sending
    locks) and finds everything sent. Two checkouts (two machines) share nothing
    but Mailchimp: the fake holds their first creates until both have come, so both
    make the same campaign at the same moment, and only one of the twins is sent."""
    folders = [tmp_path / "a", tmp_path / "b"] if checkouts == "two checkouts" else [tmp_path] * 2
    if checkouts == "two checkouts":
        fake.fault(*CREATE, "together", times=2)
    confs = [write_checkout(folder) for folder in dict.fromkeys(folders)]
    if len(confs) == 1:
        confs *= 2
    processes = [start_publish(f, c) for f, c in zip(folders, confs, strict=True)]
    try:
        outputs = [p.communicate(timeout=180)[0] for p in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
        assert "Traceback" not in output
    assert_each_sent_once(fake)
    assert len(fake.state.campaigns) == len(LANGS)  # a twin made at the same moment is gone
