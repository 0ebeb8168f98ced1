"""A build or an outbox write killed halfway (SIGKILL) leaves nothing a rerun trusts.

`make build` runs as a subprocess with the ``stall`` test plugin: it stops in
the middle of writing one chosen file (half of it written and flushed), and
the test kills the process group there. No half-written page or .eml exists
under its real name; the next run removes the hidden temporary file, and its
site and outbox are complete and the same as an uninterrupted run's.
"""

from __future__ import annotations

import datetime
import email
import os
import re
import signal
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pytest

from scripts import build as build_command
from tests.conftest import PELICANCONF, REPO, ContentTree, page_text
from tests.tip_newsletter.conftest import OSLO

FOLDERS = ["--content", "content", "--output", "output", "--cache", "cache"]
TIP_PAGE = "en/2021/w03/answer/index.html"


def settings_file(folder: Path, name: str = "conf.py", extra: str = "") -> str:
    path = folder / name
    path.write_text(
        f"exec(open({PELICANCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\n"
        f"PLUGINS = PLUGINS + ['tests.hardening.stall']\n{extra}\n"
    )
    return str(path)


def write_site(content: ContentTree, date: str = "2021-01-22 09:00") -> None:
    for lang, title in (("nb", "Svar på alt"), ("en", "Answer everything")):
        content.tip(title=title, date=date, lang=lang, slug="answer", summary="Svar.")
        content.tip(title=f"{title} 2", date="2021-01-15 09:00", lang=lang, slug="earlier")
    content.write("pages/about.en.md", page_text(title="About", lang="en", slug="about"))


def start_stalled(folder: Path, conf: str, stall_on: str) -> tuple[subprocess.Popen, Path]:
    marker = folder / "stalled"
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.build", "--settings", conf, *FOLDERS],
        cwd=folder,
        env={**os.environ, "STALL_ON": stall_on, "STALL_MARKER": str(marker)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: pagefind dies with it
    )
    return process, marker


def kill_when_stalled(process: subprocess.Popen, marker: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            output = process.communicate()[0].decode()
            pytest.fail(f"the build never reached the file to stall on:\n{output}")
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL


def hidden_temporary(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*.tmp") if p.is_file()]


def build(capsys, conf: str) -> tuple[str, str]:
    code = build_command.main(["--settings", conf, *FOLDERS])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in out + err
    return out, err


def files(folder: Path) -> dict[str, bytes]:
    """The site's files (the feed of a language without tips is "updated" now)."""
    return {
        str(p.relative_to(folder)): re.sub(rb"<updated>[^<]*</updated>", b"", p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "pagefind" not in p.parts
    }


def test_a_build_killed_while_writing_a_page(tmp_path, content, capsys):
    write_site(content)
    conf = settings_file(tmp_path)
    process, marker = start_stalled(tmp_path, conf, r"/en/2021/w03/answer/index\.html$")
    kill_when_stalled(process, marker)

    page = tmp_path / "output" / TIP_PAGE
    assert not page.exists()  # never half a page under its real name
    (partial,) = hidden_temporary(tmp_path / "output")
    assert partial.parent == page.parent and partial.name.startswith(".index.html.")
    assert partial.stat().st_size > 0 and b"</html>" not in partial.read_bytes()
    assert (tmp_path / "cache" / "build-in-progress").is_file()

    _out, err = build(capsys, conf)
    assert "WARNING: Removed 1 half-written file left by an interrupted run" in err
    assert hidden_temporary(tmp_path / "output") == []
    assert not (tmp_path / "cache" / "build-in-progress").exists()

    # The same site as a build that was never interrupted.
    reference = tmp_path / "reference"
    reference.mkdir()
    os.symlink(content.root, reference / "content")
    os.chdir(reference)
    build(capsys, conf)
    assert files(tmp_path / "output") == files(reference / "output")


def test_pages_of_an_interrupted_build_are_not_trusted_later(tmp_path, content, capsys):
    """A killed build may have written pages the render manifest does not know:
    here with another site name. Back on the first settings, each page is
    rendered again, not taken for the unchanged one of the last full build."""
    write_site(content)
    conf = settings_file(tmp_path)
    other = settings_file(tmp_path, "other.py", "TIPS_SITENAMES = {**TIPS_SITENAMES, 'en': 'X'}")
    build(capsys, conf)
    page = tmp_path / "output" / TIP_PAGE
    assert "<title>Answer everything – Tip of the week (3-2021) – Customer" in page.read_text()

    process, marker = start_stalled(tmp_path, other, r"/sitemap\.xml$")  # after every page
    kill_when_stalled(process, marker)
    assert "– X</title>" in page.read_text()

    out, _err = build(capsys, conf)
    assert "(0 unchanged, 0 removed)" in out
    assert "– Customer service tips</title>" in page.read_text()
    assert hidden_temporary(tmp_path / "output") == []


def ago(**delta) -> str:
    return (datetime.datetime.now(OSLO) - datetime.timedelta(**delta)).strftime("%Y-%m-%d %H:%M")


def emails(outbox: Path) -> dict[str, email.message.EmailMessage]:
    return {
        str(p.relative_to(outbox)): email.message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(outbox.rglob("*.eml"))
    }


def assert_complete(message) -> None:
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message.get_body(("html",)).get_content().rstrip().endswith("</html>")


@pytest.mark.parametrize(
    ("stall_on", "left"),
    [
        (r"(^|/)outbox/en/[^/]+\.eml$", "the second email, halfway"),
        (r"(^|/)outbox/sent\.json$", "the record of the first email, after its .eml"),
    ],
)
def test_an_outbox_write_killed_halfway(tmp_path, content, capsys, stall_on, left):
    write_site(content, date=ago(minutes=5))
    conf = settings_file(tmp_path)
    process, marker = start_stalled(tmp_path, conf, stall_on)
    kill_when_stalled(process, marker)
    outbox = tmp_path / "outbox"
    before = emails(outbox)
    assert [name.split("/")[0] for name in before] == ["nb"]  # en was not written
    assert_complete(before[next(iter(before))])
    assert len(hidden_temporary(outbox)) == 1
    nb_mtime = next(outbox.glob("nb/*.eml")).stat().st_mtime_ns

    out, _err = build(capsys, conf)
    week = datetime.datetime.now(OSLO).isocalendar()
    stem = f"{week.year}-W{week.week:02d}-answer"
    assert f"Newsletter: 1 new email (outbox):\n  outbox/en/{stem}.eml\n" in out
    after = emails(outbox)
    assert sorted(after) == [f"en/{stem}.eml", f"nb/{stem}.eml"]
    for message in after.values():
        assert_complete(message)
    assert next(outbox.glob("nb/*.eml")).stat().st_mtime_ns == nb_mtime  # not written twice
    assert hidden_temporary(outbox) == []
