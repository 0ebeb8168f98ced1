"""Hints that name the real mistake: a title in typographic quotes, quotes inside
quotes, and a subject line that inboxes cut."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from scripts import check as check_command
from tests.conftest import PELICANCONF


def run_check(capsys) -> tuple[int, list[str]]:
    code = check_command.main(["--settings", PELICANCONF, "--content", "content"])
    out, _err = capsys.readouterr()
    return code, out.splitlines()


def front_matter(title_line: str, date: str = "2021-01-08 09:00") -> str:
    return (
        f"---\n{title_line}\ndate: {date}\nlang: nb\nslug: smil\nauthor: Kari\n"
        'tags: [service]\nsummary: "Kort."\n---\n\nTekst.\n'
    )


def test_a_title_in_typographic_quotes_is_told_how_to_write_it(content, capsys):
    content.write("tips/2021/2021-w01-smil.nb.md", front_matter("title: “Smil i telefonen”"))
    code, lines = run_check(capsys)
    assert code == 0
    assert (
        "content/tips/2021/2021-w01-smil.nb.md:2: warning: the title is wrapped in typographic "
        "quotes (“...”), which are not YAML's quotes: they would show on the page and in the "
        'email\'s subject. Write straight quotes around it: title: "Smil i telefonen"'
    ) in lines


def test_straight_quotes_inside_straight_quotes_say_so(content, capsys):
    content.write("tips/2021/2021-w01-smil.nb.md", front_matter('title: "Si "takk" hver gang"'))
    content.write(
        "tips/2021/2021-w02-smil.sv.md",
        front_matter("title: 'Det är 'rätt' svar'", "2021-01-15 09:00").replace("nb", "sv"),
    )
    code, lines = run_check(capsys)
    assert code == 1
    errors = [line for line in lines if ": error: " in line]
    assert errors[0].startswith("content/tips/2021/2021-w01-smil.nb.md:2: error: the front ")
    assert errors[0].endswith(
        ' (the value in "..." has a " inside it, which ends the value early: write the inner '
        'quotes as \\" or as typographic quotes, or put the whole value in single quotes: '
        "title: 'Say \"thank you\"')"
    )
    assert errors[1].startswith("content/tips/2021/2021-w02-smil.sv.md:2: error: the front ")
    assert errors[1].endswith(
        " (the value in '...' has a ' inside it, which ends the value early: write it twice "
        "('') or put the whole value in double quotes: title: \"It's fine\")"
    )


def test_a_subject_over_70_characters_warns_that_inboxes_cut_it(content, capsys):
    soon = datetime.datetime.now(ZoneInfo("Europe/Oslo")) - datetime.timedelta(days=1)
    title = "Svar på hver eneste e-post samme dag, også de vanskelige"
    content.tip(title=title, date=f"{soon:%Y-%m-%d %H:%M}", lang="nb", slug="svar")
    content.tip(title="Kort tittel", date=f"{soon:%Y-%m-%d %H:%M}", lang="sv", slug="svar")
    code, lines = run_check(capsys)
    assert code == 0
    warned = [line for line in lines if "inboxes cut subjects" in line]
    week = soon.isocalendar()
    subject = f"Ukens tips ({week.week}-{week.year}): {title}"
    assert warned == [
        f"content/tips/{week.year}/{week.year}-w{week.week:02d}-svar.nb.md:2: warning: the "
        f"email's subject '{subject}' is {len(subject)} characters: inboxes cut subjects at "
        "about 70, so shorten the title"
    ]
