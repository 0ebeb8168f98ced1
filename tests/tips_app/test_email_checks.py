"""Every content rule the build enforces, make check enforces first: the email size."""

from __future__ import annotations

import datetime

from scripts import build as build_command
from scripts import check as check_command
from tests.conftest import PELICANCONF
from tests.tip_newsletter.conftest import OSLO

HUGE = "Et veldig langt tips, " * 6000  # about 130 KB of HTML in the email


def when(**delta) -> str:
    return (datetime.datetime.now(OSLO) + datetime.timedelta(**delta)).strftime("%Y-%m-%d %H:%M")


def run(main, capsys) -> tuple[int, list[str]]:
    code = main(["--settings", PELICANCONF, "--content", "content", "--output", "output"])
    out, err = capsys.readouterr()
    return code, [line for line in (out + err).splitlines() if ": error: " in line]


def test_an_email_too_big_for_gmail_is_a_check_error_with_the_builds_message(content, capsys):
    path = content.tip(title="Enorm", date=when(days=3), lang="nb", slug="huge", body=HUGE)
    relative = path.relative_to(content.root.parent).as_posix()
    check_code, check_errors = run(check_command.main, capsys)
    build_code, build_errors = run(build_command.main, capsys)
    assert (check_code, build_code) == (1, 1)
    (line,) = check_errors
    assert line.startswith(f"{relative}:1: error: the email of this tip is ")
    assert "Gmail hides everything after 102 KB" in line
    assert build_errors == check_errors
    assert not (content.root.parent / "output").exists()  # stopped before Pelican wrote


def test_a_long_tip_that_will_never_be_emailed_is_not_rendered(content, capsys):
    content.tip(title="Gammel", date=when(days=-30), lang="nb", slug="old", body=HUGE)
    content.tip(
        title="Utenfor",
        date=when(days=2),
        lang="nb",
        slug="quiet",
        body=HUGE,
        extra="newsletter: false\n",
    )
    assert run(check_command.main, capsys) == (0, [])
