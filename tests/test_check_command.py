"""`make check` as an author meets it: each mistake on its own line, with the
line to fix, every problem at once, and a table of translations."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scripts import build as build_command
from scripts import check as check_command
from tests.conftest import PELICANCONF, REPO, tip_text
from tips_core.naming import tip_file_path
from tips_core.weeks import IsoWeek

NB = dict(title="Smil", date="2021-01-08 09:00", lang="nb", slug="smil")
SMIL = "content/tips/2021/2021-w01-smil.nb.md"
# tip_text's layout: title on line 2 ... summary on line 8, the body on line 11.
SUMMARY_LINE = 8
BODY_LINE = 11


def run_check(capsys, *extra: str) -> tuple[int, list[str], str]:
    code = check_command.main(["--settings", PELICANCONF, "--content", "content", *extra])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def problems(lines: list[str], severity: str | None = None) -> list[str]:
    marks = (f": {severity}: ",) if severity else (": error: ", ": warning: ")
    return [line for line in lines if any(mark in line for mark in marks)]


def every_language(content, **fields) -> None:
    for lang in ("nb", "sv", "fi", "et", "en"):
        content.tip(**{**fields, "lang": lang})


def settings_file(tmp_path: Path, extra: str) -> str:
    path = tmp_path / "conf.py"
    path.write_text(
        f"exec(open({PELICANCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\n{extra}\n"
    )
    return str(path)


def test_clean_content_passes_with_a_full_table(content, capsys):
    every_language(content, **NB)
    code, lines, _err = run_check(capsys)
    assert code == 0
    assert problems(lines) == []
    assert lines[-7:] == [
        "Translations, of 1 tip:",
        "  nb  1/1 100%",
        "  sv  1/1 100%",
        "  fi  1/1 100%",
        "  et  1/1 100%",
        "  en  1/1 100%",
        lines[-1],
    ]
    assert lines[-1].startswith("Checked 5 files in ")
    assert lines[-1].endswith(": 0 errors, 0 warnings.")


def test_a_missing_translation_is_a_warning_with_the_command_to_start_it(content, capsys):
    content.tip(**NB)
    content.tip(**{**NB, "lang": "en", "title": "Smile"})
    content.tip(title="Hei", date="2021-01-15 09:00", lang="nb", slug="hei")
    code, lines, _err = run_check(capsys)
    assert code == 0
    assert problems(lines) == [
        f"{SMIL}:5: warning: not translated into sv, fi, et yet "
        "(make new TIP_LANG=sv FROM=smil starts one)",
        "content/tips/2021/2021-w02-hei.nb.md:5: warning: not translated into sv, fi, et, en "
        "yet (make new TIP_LANG=sv FROM=hei starts one)",
    ]
    table = lines[lines.index("Translations, of 2 tips:") + 1 :][:5]
    assert table == [
        "  nb  2/2 100%",
        "  sv  0/2   0%  2 missing",
        "  fi  0/2   0%  2 missing",
        "  et  0/2   0%  2 missing",
        "  en  1/2  50%  1 missing",
    ]


def test_promised_languages_come_from_a_setting(content, capsys, tmp_path):
    content.tip(**NB)
    content.tip(**{**NB, "lang": "en", "title": "Smile"})
    conf = settings_file(tmp_path, "TIPS_PROMISED_LANGUAGES = ['nb', 'en']")
    code, lines, _err = run_check(capsys, "--settings", conf)
    assert code == 0
    assert problems(lines) == []
    assert "  sv  0/1   0%  1 missing  (not promised: TIPS_PROMISED_LANGUAGES)" in lines


def test_a_summary_too_long_for_the_email_preview_is_a_warning(content, capsys):
    every_language(content, **NB, summary="x" * 141)
    code, lines, _err = run_check(capsys)
    assert code == 0
    assert len(problems(lines)) == 5  # one per language
    assert [line for line in problems(lines) if line.startswith(SMIL)] == [
        f"{SMIL}:{SUMMARY_LINE}: warning: the summary is 141 characters: inbox previews of the "
        "email show about the first 140, so shorten it (TIPS_SUMMARY_MAX_LENGTH)"
    ]


def test_a_summary_of_exactly_the_limit_is_fine(content, capsys):
    every_language(content, **NB, summary="x" * 140)
    code, lines, _err = run_check(capsys)
    assert (code, problems(lines)) == (0, [])


def test_a_broken_internal_link_is_an_error_at_its_body_line(content, capsys):
    every_language(
        content, **NB, body="Smil.\n\nSe [forrige uke]({filename}/tips/2020/smil.nb.md)."
    )
    code, lines, _err = run_check(capsys)
    assert code == 1
    assert [line for line in problems(lines) if line.startswith(SMIL)] == [
        f"{SMIL}:{BODY_LINE + 2}: error: the link {{filename}}/tips/2020/smil.nb.md points to "
        "content/tips/2020/smil.nb.md, which does not exist"
    ]
    assert lines[-1].endswith(": 5 errors, 0 warnings.")


def test_a_link_to_a_moved_file_suggests_where_it_is(content, capsys):
    content.tip(title="Før", date="2020-12-18 09:00", lang="nb", slug="for")
    content.tip(**NB, body="Se [forrige uke]({filename}/tips/2021/2020-w51-for.nb.md#start).")
    code, lines, _err = run_check(
        capsys, "--settings", settings_file(Path.cwd(), "TIPS_PROMISED_LANGUAGES = ['nb']")
    )
    assert code == 1
    assert problems(lines) == [
        f"{SMIL}:{BODY_LINE}: error: the link {{filename}}/tips/2021/2020-w51-for.nb.md#start "
        "points to content/tips/2021/2020-w51-for.nb.md, which does not exist; did you mean "
        "/tips/2020/2020-w51-for.nb.md?"
    ]


def test_links_relative_to_the_file_and_to_static_files_are_checked(content, capsys):
    content.tip(title="Før", date="2020-12-18 09:00", lang="nb", slug="for")
    content.write("images/smil.png", b"\x89PNG")
    content.write("notes/ideas.txt", "later")
    content.tip(
        **NB,
        body=(
            "Se [forrige uke]({filename}../2020/2020-w51-for.nb.md).\n\n"
            "![Smil]({static}/images/smil.png)\n\n"
            "![Smil]({static}/images/smill.png)\n\n"
            "[Ideer]({filename}/notes/ideas.txt)\n"
        ),
    )
    code, lines, _err = run_check(
        capsys, "--settings", settings_file(Path.cwd(), "TIPS_PROMISED_LANGUAGES = ['nb']")
    )
    assert code == 1
    assert [line for line in problems(lines) if SMIL in line] == [
        f"{SMIL}:{BODY_LINE + 4}: error: the link {{static}}/images/smill.png points to "
        "content/images/smill.png, which does not exist; did you mean smil.png (in the same "
        "folder)?",
        f"{SMIL}:{BODY_LINE + 6}: error: the link {{filename}}/notes/ideas.txt points to a file "
        "that is not a tip or page; link images and other files with {static}",
    ]


def test_links_to_a_draft_or_a_later_tip_are_warnings(content, capsys, tmp_path):
    content.tip(
        title="Utkast", date="2020-12-18 09:00", lang="nb", slug="utkast", extra="status: draft\n"
    )
    content.tip(title="Senere", date="2099-01-09 09:00", lang="nb", slug="senere")
    content.tip(
        **NB,
        body="[Utkast]({filename}/tips/2020/2020-w51-utkast.nb.md) og "
        "[senere]({filename}/tips/2099/2099-w02-senere.nb.md)",
    )
    conf = settings_file(tmp_path, "TIPS_PROMISED_LANGUAGES = ['nb']")
    code, lines, _err = run_check(capsys, "--settings", conf)
    assert code == 0
    assert [line for line in problems(lines) if line.startswith(SMIL)] == [
        f"{SMIL}:{BODY_LINE}: warning: the link {{filename}}/tips/2020/2020-w51-utkast.nb.md "
        "points to a draft: it is broken until that tip is published",
        f"{SMIL}:{BODY_LINE}: warning: the link {{filename}}/tips/2099/2099-w02-senere.nb.md "
        "points to a tip that appears only on 2099-01-09 09:00: until then the link is broken",
    ]


def test_a_todo_left_by_make_new_is_an_error_but_only_a_warning_in_a_draft(content, capsys):
    every_language(content, **NB, summary="TODO: one sentence", body="TODO: write the tip")
    content.tip(
        title="Utkast",
        date="2021-01-15 09:00",
        lang="nb",
        slug="utkast",
        body="Begynnelsen.\n\nTODO: resten",
        extra="status: draft\n",
    )
    code, lines, _err = run_check(capsys)
    assert code == 1
    todo_errors = [line for line in problems(lines, "error") if line.startswith(SMIL)]
    assert todo_errors == [
        f"{SMIL}:{SUMMARY_LINE}: error: a TODO from make new is still here: replace it with "
        "your text (or set 'status: draft' to commit unfinished work)",
        f"{SMIL}:{BODY_LINE}: error: a TODO from make new is still here: replace it with your "
        "text (or set 'status: draft' to commit unfinished work)",
    ]
    assert (
        f"content/tips/2021/2021-w02-utkast.nb.md:{BODY_LINE + 3}: warning: this draft still "
        "has a TODO from make new" in lines
    )


def test_an_untranslated_quote_left_in_a_translation_is_an_error(content, capsys, tmp_path):
    original = "Kunden hører om du smiler når du svarer i telefonen."
    content.tip(**NB, body=original)
    content.tip(**{**NB, "lang": "sv", "title": "Le"}, body=f"Kunden hör.\n\n> {original}")
    conf = settings_file(tmp_path, "TIPS_PROMISED_LANGUAGES = ['nb', 'sv']")
    code, lines, _err = run_check(capsys, "--settings", conf)
    assert code == 1
    assert problems(lines) == [
        f"content/tips/2021/2021-w01-smil.sv.md:{BODY_LINE + 2}: error: the quote from here "
        "on (1 line) is the untranslated 'nb' text that make new put here: translate it and "
        "delete the quote"
    ]


def test_a_bad_authoring_setting_exits_2_naming_it(content, capsys, tmp_path):
    content.tip(**NB)
    conf = settings_file(tmp_path, "TIPS_SUMMARY_MAX_LENGTH = 'long'")
    code, _lines, err = run_check(capsys, "--settings", conf)
    assert code == 2
    assert err.strip() == (
        "error: TIPS_SUMMARY_MAX_LENGTH: 'long' is not a number of characters, e.g. 140"
    )


def test_the_build_refuses_what_check_calls_an_error(content, capsys):
    content.tip(**NB, body="[Borte]({filename}/tips/borte.nb.md)")
    code = build_command.main(
        ["--settings", PELICANCONF, "--content", "content", "--output", "output", "--cache", "c"]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert f"{SMIL}:{BODY_LINE}: error: the link {{filename}}/tips/borte.nb.md" in err
    assert not Path("output").exists()


def test_the_sample_content_has_no_errors_and_no_warnings(capsys):
    code, lines, _err = run_check(capsys, "--content", str(REPO / "content"))
    assert code == 0
    assert problems(lines) == []
    assert "  fi  9/9 100%" in lines


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from scripts.corpus import write_large_site

    root = tmp_path_factory.mktemp("corpus") / "content"
    write_large_site(str(root), 5000)
    return root


def test_five_thousand_files_are_checked_with_every_problem_listed(corpus, capsys):
    """The result on a large site; scripts.time_check measures its time."""
    from scripts.corpus import tip_date, tip_path, weeks_for

    weeks = weeks_for(5000, partial=True)

    def path(number: int, lang: str) -> Path:
        return Path(tip_path(str(corpus), number, weeks, lang))

    broken, late, next_week, original = (
        path(105, "sv"),
        path(960, "en"),
        path(961, "en"),
        path(960, "nb"),
    )
    broken_text, late_text = broken.read_text("utf-8"), late.read_text("utf-8")
    broken.write_text(broken_text.replace("lang: sv", "lang: se").replace("author: ", "autor: ", 1))
    later = tip_date(961, weeks)
    late.write_text(late_text.replace("date: ", f"date: {later:%Y-%m-%d %H:%M}\n#", 1))
    try:
        code, lines, _err = run_check(capsys, "--content", str(corpus))
    finally:
        broken.write_text(broken_text)
        late.write_text(late_text)
    week = f"{later.isocalendar().year}-W{later.isocalendar().week:02d}"
    duplicate = (
        f"error: week {week} already has a tip in 'en' ({{}}:3): a series has one tip a week "
        "per language; move one to another week"
    )
    assert code == 1
    assert problems(lines, "error") == sorted(
        [
            f"{broken}:1: error: 'author' is missing: add 'author: ...' to the front matter",
            f"{broken}:4: error: unknown language 'se': use one of nb, sv, fi, et, en",
            f"{broken}:6: error: unknown field 'autor': did you mean 'author'?",
            f"{late}:3: error: this translation is in week {week} but its 'nb' version "
            f"({original}) is in week {original.name[:4]}-W{original.name[6:8]}: "
            "give translations the same date",
            f"{late}:3: " + duplicate.format(next_week),
            f"{next_week}:3: " + duplicate.format(late),
        ]
    )
    assert lines[-1].startswith("Checked 5000 files in ")
    # The broken sv file counts as a missing translation until it is fixed; the
    # moved date makes the late file's name wrong (one more warning).
    assert lines[-1].endswith(": 6 errors, 280 warnings.")
    right = tip_file_path(str(corpus), IsoWeek.of(later.date()), "tip-00960", "en")
    assert (
        f"{late}:3: warning: the file name does not match the front matter (week {week}, "
        f"slug 'tip-00960', lang en): its name is {right} (make tidy renames it)"
    ) in problems(lines, "warning")
    assert "  fi   834/1111  75%  277 missing" in lines


def test_a_scheduled_tip_is_valid_and_check_says_when_it_appears(content, capsys):
    later = datetime.datetime.now(ZoneInfo("Europe/Oslo")) + datetime.timedelta(days=9)
    every_language(content, title="Snart", date=f"{later:%Y-%m-%d} 09:00", slug="snart")
    code, lines, _err = run_check(capsys)
    assert code == 0
    assert len(problems(lines, "warning")) == 5
    assert (
        f"scheduled: stays off the site and the newsletter until {later:%Y-%m-%d} 09:00"
        in (problems(lines)[0])
    )


def test_tip_text_layout_matches_the_line_constants():
    lines = tip_text(**NB, body="BODY").split("\n")
    assert lines[SUMMARY_LINE - 1].startswith("summary:")
    assert lines[BODY_LINE - 1] == "BODY"
