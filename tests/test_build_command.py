"""`make build` as an author meets it: exit codes and messages."""

from __future__ import annotations

from scripts import build as build_command
from tests.conftest import PELICANCONF, REPO, page_text, tip_text


def run_build(capsys, *extra: str) -> tuple[int, str, str]:
    code = build_command.main(
        [
            "--settings",
            PELICANCONF,
            "--content",
            "content",
            "--output",
            "output",
            "--cache",
            "cache",
            *extra,
        ]
    )
    out, err = capsys.readouterr()
    return code, out, err


def good_tip(**changes) -> str:
    fields = dict(title="Smil", date="2021-01-08 09:00", lang="nb", slug="smil")
    fields.update(changes)
    return tip_text(**fields)


def test_a_good_build_says_what_it_read_and_wrote(content, capsys):
    content.tip(title="Smil", date="2021-01-08 09:00", lang="nb", slug="smil")
    content.tip(title="Smile", date="2021-01-08 09:00", lang="en", slug="smil")
    content.write("pages/about.nb.md", page_text(title="Om", lang="nb", slug="about"))
    code, out, err = run_build(capsys)
    assert code == 0, err
    assert "Read 3 files: 2 tips published (nb 1, sv 0, fi 0, et 0, en 1), 1 pages" in out
    assert (content.root.parent / "output" / "2021" / "w01" / "smil" / "index.html").exists()


def test_bad_front_matter_stops_the_build_naming_file_and_line(content, capsys):
    content.tip(title="Smil", date="2021-01-08 09:00", lang="nb", slug="smil")
    content.write(
        "tips/2021/2021-w02-bad.nb.md",
        good_tip(slug="bad").replace('title: "Smil"', "title: Ukens tips (2-2021): Smil"),
    )
    code, _out, err = run_build(capsys)
    assert code == 1
    assert (
        "content/tips/2021/2021-w02-bad.nb.md:2: error: the front matter is not valid YAML" in err
    )
    assert "nothing was built" in err
    assert not (content.root.parent / "output").exists()


def test_every_problem_in_every_file_is_listed(content, capsys):
    content.write("tips/a.nb.md", good_tip(slug="a").replace("lang: nb", "lang: no"))
    content.write("tips/b.nb.md", good_tip(slug="b", date="2021-02-30 09:00"))
    content.write(
        "tips/c.sv.md", good_tip(slug="c", lang="sv").replace("author: Kari Nordmann\n", "")
    )
    content.write("tips/notes.txt", "remember to write a tip")
    code, _out, err = run_build(capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in lines] == [
        "content/tips/a.nb.md:4",
        "content/tips/b.nb.md:3",
        "content/tips/c.sv.md:1",
        "content/tips/notes.txt:1",
    ]
    assert "4 errors in the content" in err


def test_a_duplicate_week_names_both_files_date_lines(content, capsys):
    content.write("tips/first.nb.md", good_tip(slug="first", date="2021-01-04 09:00"))
    content.write("tips/second.nb.md", good_tip(slug="second", date="2021-01-10 18:00"))
    code, _out, err = run_build(capsys)
    assert code == 1
    assert (
        "content/tips/first.nb.md:3: error: week 2021-W01 already has a tip in 'nb' "
        "(content/tips/second.nb.md:3)" in err
    )
    assert "content/tips/second.nb.md:3: error: week 2021-W01" in err


def test_a_draft_in_a_published_week_is_no_duplicate(content, capsys, tmp_path):
    content.write("tips/first.nb.md", good_tip(slug="first", date="2021-01-04 09:00"))
    content.write(
        "tips/next.nb.md",
        tip_text(
            title="Neste", date="2021-01-08 09:00", lang="nb", slug="next", extra="status: draft\n"
        ),
    )
    code, out, err = run_build(capsys)
    assert code == 0, err
    assert "Draft, not published: content/tips/next.nb.md" in out
    # Published as well, it is the second tip of the week again: an error.
    content.write("tips/next.nb.md", good_tip(slug="next", date="2021-01-08 09:00"))
    code, _out, err = run_build(capsys)
    assert code == 1
    assert "content/tips/next.nb.md:3: error: week 2021-W01 already has a tip in 'nb'" in err


def test_the_same_week_in_two_languages_is_fine(content, capsys):
    content.write("tips/first.nb.md", good_tip(slug="first"))
    content.write("tips/first.sv.md", good_tip(slug="first", lang="sv"))
    code, _out, err = run_build(capsys)
    assert code == 0, err


def test_a_bad_setting_exits_2_naming_the_setting(content, capsys, tmp_path):
    content.tip(title="Smil", date="2021-01-08 09:00", lang="nb", slug="smil")
    settings = tmp_path / "conf.py"
    settings.write_text(
        f"exec(open({PELICANCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\n"
        "TIMEZONE = 'Mars/Olympus'\n"
    )
    code = build_command.main(
        [
            "--settings",
            str(settings),
            "--content",
            "content",
            "--output",
            "output",
            "--cache",
            "cache",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert (
        err.strip()
        == "error: TIMEZONE: 'Mars/Olympus' is not a known time zone, e.g. 'Europe/Oslo'"
    )
    assert "Traceback" not in err


def test_the_sample_content_builds_in_every_language(capsys):
    code = build_command.main(
        [
            "--settings",
            PELICANCONF,
            "--content",
            str(REPO / "content"),
            "--output",
            "output",
            "--cache",
            "cache",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "45 tips published (nb 9, sv 9, fi 9, et 9, en 9), 10 pages" in out
