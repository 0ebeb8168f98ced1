"""`make new` as an author meets it: the right week and file, a scaffold that
`make check` holds back until it is written, and clear refusals."""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scripts import check as check_command
from scripts import new_tip
from tests.conftest import PELICANCONF, REPO, build_site

OSLO = ZoneInfo("Europe/Oslo")


def run_new(capsys, *args: str, now: str = "2021-02-03 12:00") -> tuple[int, list[str], str]:
    code = new_tip.main(["--settings", PELICANCONF, "--content", "content", "--now", now, *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def run_check(capsys, *extra: str) -> tuple[int, list[str]]:
    code = check_command.main(["--settings", PELICANCONF, "--content", "content", *extra])
    return code, capsys.readouterr().out.splitlines()


def errors(lines: list[str]) -> list[str]:
    return [line for line in lines if ": error: " in line]


@pytest.fixture
def weeks_4_and_5(content):
    for slug, date, title in (
        ("own-the-mistake", "2021-01-29 09:00", "Innrøm feilen"),
        ("follow-up", "2021-02-05 09:00", "Følg opp"),
    ):
        content.tip(
            title=title,
            date=date,
            lang="nb",
            slug=slug,
            summary="En setning.",
            tags=("klager", "oppfølging"),
            body="Første avsnitt om kunden.\n\n- Et punkt i en liste.\n\nHva gjør du i dag?",
        )
    return content


def test_a_new_tip_takes_the_week_after_the_newest(weeks_4_and_5, capsys):
    code, lines, err = run_new(
        capsys, "--lang", "nb", "--title", "Smil i chatten", "--author", "Kari"
    )
    assert code == 0, err
    assert lines[-1] == "content/tips/2021/2021-w06-smil-i-chatten.nb.md"
    assert lines[0] == (
        "New tip for Ukens tips (6-2021), by Kari: it appears on Friday 2021-02-12 09:00 "
        "(Europe/Oslo)."
    )
    text = Path(lines[-1]).read_text("utf-8")
    assert text.startswith(
        "---\n"
        'title: "Smil i chatten"\n'
        "date: 2021-02-12 09:00\n"
        "lang: nb\n"
        "slug: smil-i-chatten\n"
        "author: Kari\n"
    )
    assert "({filename}/tips/2021/2021-w05-follow-up.nb.md)" in text


def test_the_scaffold_fails_check_until_every_todo_is_written(weeks_4_and_5, capsys):
    run_new(capsys, "--lang", "nb", "--title", "Smil i chatten", "--author", "Kari")
    path = "content/tips/2021/2021-w06-smil-i-chatten.nb.md"
    code, lines = run_check(capsys)
    assert code == 1
    assert [line.split(": error: ")[0] for line in errors(lines)] == [
        f"{path}:8",  # summary
        f"{path}:10",
        f"{path}:12",
        f"{path}:14",
    ]
    written = Path(path).read_text("utf-8").split("---\n")
    written[1] = written[1].replace(
        written[1].split("summary: ")[1], '"Kunden ser smilet i ordene du velger."\n'
    )
    written[2] = "Skriv som du snakker.\n\nHva svarer du i dag?\n"
    Path(path).write_text("---\n".join(written), "utf-8")
    code, lines = run_check(capsys)
    assert (code, errors(lines)) == (0, [])


def test_the_current_week_when_it_is_later_than_the_newest_tip(weeks_4_and_5, capsys):
    code, lines, _err = run_new(
        capsys, "--lang", "nb", "--title", "Sommer", "--author", "Kari", now="2021-06-01 08:00"
    )
    assert code == 0
    assert lines[-1] == "content/tips/2021/2021-w22-sommer.nb.md"
    assert "appears on Friday 2021-06-04 09:00" in lines[0]


def test_the_first_tip_of_a_language_takes_the_current_week(weeks_4_and_5, capsys):
    code, lines, _err = run_new(
        capsys, "--lang", "fi", "--title", "Hymyile", "--author", "Aino", now="2021-02-03 12:00"
    )
    assert code == 0
    assert lines[-1] == "content/tips/2021/2021-w05-hymyile.fi.md"
    assert lines[0].startswith("New tip for Viikon vinkki (5-2021), by Aino")


def test_a_time_already_past_in_the_current_week_is_said(content, capsys):
    code, lines, _err = run_new(
        capsys, "--lang", "en", "--title", "Late", "--author", "Jane", now="2021-02-06 12:00"
    )
    assert code == 0
    assert lines[-1] == "content/tips/2021/2021-w05-late.en.md"
    assert "That time has passed, so the tip appears with the first build after you push it." in (
        lines
    )


def test_week_53_and_the_new_year(content, capsys):
    content.tip(title="Jul", date="2020-12-25 09:00", lang="nb", slug="jul")
    code, lines, _err = run_new(
        capsys, "--lang", "nb", "--title", "Nyttår", "--author", "Kari", now="2020-12-21 09:00"
    )
    assert code == 0
    # Friday 1 January 2021 is in week 53 of 2020: the file goes under 2020.
    assert lines[-1] == "content/tips/2020/2020-w53-nyttar.nb.md"
    assert "date: 2021-01-01 09:00\n" in Path(lines[-1]).read_text("utf-8")
    code, lines, _err = run_new(
        capsys, "--lang", "nb", "--title", "Januar", "--author", "Kari", now="2020-12-21 09:00"
    )
    assert code == 0
    assert lines[-1] == "content/tips/2021/2021-w01-januar.nb.md"
    assert lines[0].startswith("New tip for Ukens tips (1-2021)")


def test_the_slug_is_transliterated_from_the_title(content, capsys):
    code, lines, _err = run_new(
        capsys, "--lang", "et", "--title", "Æøå, äöõ: ü šž!", "--author", "Mari"
    )
    assert code == 0
    assert lines[-1].endswith("-aeoa-aoo-u-sz.et.md")
    assert 'title: "Æøå, äöõ: ü šž!"\n' in Path(lines[-1]).read_text("utf-8")


def test_the_publish_weekday_and_time_come_from_settings(content, capsys, tmp_path):
    conf = tmp_path / "conf.py"
    conf.write_text(
        f"exec(open({PELICANCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\n"
        "TIPS_PUBLISH_WEEKDAY = 'Monday'\nTIPS_PUBLISH_TIME = '07:30'\n"
    )
    code, lines, _err = run_new(
        capsys, "--settings", str(conf), "--lang", "sv", "--title", "Måndag", "--author", "Lena"
    )
    assert code == 0
    # sv has no tips yet: the current week, whose Monday has passed.
    assert "appears on Monday 2021-02-01 07:30" in lines[0]
    assert "That time has passed" in lines[1]


def test_a_bad_publish_setting_exits_2_naming_it(content, capsys, tmp_path):
    conf = tmp_path / "conf.py"
    conf.write_text(
        f"exec(open({PELICANCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\n"
        "TIPS_PUBLISH_WEEKDAY = 'fredag'\n"
    )
    code, _lines, err = run_new(
        capsys, "--settings", str(conf), "--lang", "sv", "--title", "x", "--author", "Lena"
    )
    assert code == 2
    assert err.strip() == (
        "error: TIPS_PUBLISH_WEEKDAY: 'fredag' is not a weekday; write one of monday, tuesday, "
        "wednesday, thursday, friday, saturday, sunday"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--lang", "nb"],
            'error: TITLE is missing: make new TIP_LANG=nb TITLE="Smile when you answer the '
            'phone" (or FROM=<slug> to translate a tip)',
        ),
        (
            ["--lang", "no", "--title", "Hei"],
            "error: unknown language 'no' (Norwegian bokmål is nb): TIP_LANG is one of nb, sv, "
            "fi, et, en",
        ),
        (
            ["--title", "Hei"],
            "error: TIP_LANG is missing: make new TIP_LANG=nb TITLE=...; the languages are nb, "
            "sv, fi, et, en",
        ),
        (
            ["--lang", "nb", "--title", "!!!"],
            "error: no slug can be made from the title '!!!': give one with SLUG=, e.g. "
            "SLUG=smile-on-the-phone (lowercase a-z, digits and hyphens)",
        ),
        (
            ["--lang", "sv", "--title", "Följ upp"],
            "error: the slug 'folj-upp' is taken by content/tips/2021/2021-w05-folj-upp.nb.md: "
            "the same slug makes a translation of that tip. Choose another with SLUG=..., or "
            "translate that tip with FROM=folj-upp",
        ),
        (
            ["--lang", "sv", "--from", "folow-up"],
            "error: no tip has the slug 'folow-up' (FROM); did you mean folj-upp?",
        ),
        (
            ["--lang", "nb", "--from", "folj-upp"],
            "error: 'folj-upp' is already in nb: content/tips/2021/2021-w05-folj-upp.nb.md; "
            "nothing was written",
        ),
    ],
)
def test_refusals_say_what_to_do_and_write_nothing(content, capsys, args, message):
    content.tip(title="Følg opp", date="2021-02-05 09:00", lang="nb", slug="folj-upp")
    before = sorted(content.root.rglob("*"))
    code, _lines, err = run_new(capsys, *args, "--author", "Kari")
    assert code == 1
    assert err.strip() == message
    assert sorted(content.root.rglob("*")) == before


def test_lang_given_as_make_argument_gets_a_hint(content, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "sv")
    code, _lines, err = run_new(capsys, "--title", "Hej", "--author", "Lena")
    assert code == 1
    assert err.strip() == (
        "error: TIP_LANG is missing: write TIP_LANG=sv, not LANG=sv (LANG is your system's "
        "locale setting); the languages are nb, sv, fi, et, en"
    )


def git_env(monkeypatch, tmp_path, name: str | None) -> None:
    config = tmp_path / "gitconfig"
    config.write_text(f"[user]\n\tname = {name}\n" if name else "")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def test_the_author_comes_from_git(content, capsys, monkeypatch, tmp_path):
    git_env(monkeypatch, tmp_path, "Kari Nordmann")
    code, lines, _err = run_new(capsys, "--lang", "nb", "--title", "Hei")
    assert code == 0
    assert "author: Kari Nordmann\n" in Path(lines[-1]).read_text("utf-8")


def test_without_an_author_it_says_how_to_give_one(content, capsys, monkeypatch, tmp_path):
    git_env(monkeypatch, tmp_path, None)
    code, _lines, err = run_new(capsys, "--lang", "nb", "--title", "Hei")
    assert code == 1
    assert err.strip() == (
        'error: who is writing? add AUTHOR="Your Name" to the command, or tell git once: '
        'git config --global user.name "Your Name"'
    )
    conf = tmp_path / "conf.py"
    conf.write_text(
        f"exec(open({PELICANCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\n"
        "TIPS_AUTHOR = 'Kundeservicetips'\n"
    )
    code, lines, _err = run_new(capsys, "--settings", str(conf), "--lang", "nb", "--title", "Hei")
    assert code == 0
    assert "author: Kundeservicetips\n" in Path(lines[-1]).read_text("utf-8")


def test_a_translation_starts_from_the_original(weeks_4_and_5, capsys):
    code, lines, err = run_new(capsys, "--lang", "sv", "--from", "follow-up")
    assert code == 0, err
    path = "content/tips/2021/2021-w05-follow-up.sv.md"
    assert lines == [
        "Translation of 'follow-up' from nb into sv, week 2021-W05, dated 2021-02-05 09:00 like "
        "the original.",
        "Next: translate the quoted text, the title, summary and tags, delete every TODO, run "
        "make check, then make preview SLUG=follow-up.",
        path,
    ]
    assert Path(path).read_text("utf-8") == (
        "---\n"
        'title: "TODO: translate: Følg opp"\n'
        "date: 2021-02-05 09:00\n"
        "lang: sv\n"
        "slug: follow-up\n"
        "author: Kari Nordmann\n"
        "tags: [klager, oppfølging]  # translate the tags\n"
        'summary: "TODO: translate: En setning."\n'
        "---\n"
        "TODO: translate the text quoted below from Norsk bokmål (nb) into Svenska (sv), and "
        "the title, summary and tags above; then delete the quote. The original is "
        "content/tips/2021/2021-w05-follow-up.nb.md.\n"
        "\n"
        "> Første avsnitt om kunden.\n"
        ">\n"
        "> - Et punkt i en liste.\n"
        ">\n"
        "> Hva gjør du i dag?\n"
    )


def test_check_holds_a_translation_back_until_it_is_translated(weeks_4_and_5, capsys, tmp_path):
    run_new(capsys, "--lang", "sv", "--from", "follow-up", "--title", "Följ upp")
    path = Path("content/tips/2021/2021-w05-follow-up.sv.md")
    code, lines = run_check(capsys)
    assert code == 1
    assert [line.split(": error: ")[0] for line in errors(lines)] == [
        f"{path}:8",  # the summary
        f"{path}:10",  # the instructions
        f"{path}:12",  # the quote
    ]
    assert "the quote from here on (2 lines) is the untranslated 'nb' text" in errors(lines)[2]
    text = path.read_text("utf-8")
    front = text.split("---\n")[1].replace("TODO: translate: En setning.", "En mening.")
    path.write_text(f"---\n{front}---\nFörsta stycket om kunden.\n", "utf-8")
    code, lines = run_check(capsys)
    assert (code, errors(lines)) == (0, [])
    site = build_site(tmp_path, weeks_4_and_5, now=datetime.datetime(2021, 2, 6, tzinfo=OSLO))
    page = site.html("sv/2021/w05/follow-up/")
    assert page.h1.text == "Följ upp"
    assert page.select_one('link[hreflang="nb"]')["href"].endswith("/2021/w05/follow-up/")


def test_a_translation_refuses_a_week_its_language_already_has(weeks_4_and_5, capsys):
    weeks_4_and_5.tip(title="Annat", date="2021-02-04 09:00", lang="sv", slug="annat")
    code, _lines, err = run_new(capsys, "--lang", "sv", "--from", "follow-up")
    assert code == 1
    assert err.strip() == (
        "error: sv already has a tip in week 2021-W05 (content/tips/2021/2021-w05-annat.sv.md), "
        "and a translation of 'follow-up' must be in that week too: a series has one tip a week "
        "per language. Move one of them first"
    )


def test_an_existing_file_is_never_overwritten(weeks_4_and_5, capsys):
    broken = weeks_4_and_5.write("tips/2021/2021-w05-follow-up.sv.md", "half a file")
    code, _lines, err = run_new(capsys, "--lang", "sv", "--from", "follow-up")
    assert code == 1
    assert err.strip() == (
        "error: content/tips/2021/2021-w05-follow-up.sv.md already exists: nothing was written"
    )
    assert broken.read_text() == "half a file"


def test_make_passes_arguments_as_typed(tmp_path):
    """Through make: a title with quotes and $ reaches the script unchanged."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    result = subprocess.run(
        ["make", "--no-print-directory", "new", "TIP_LANG=xx", 'TITLE=Say "hi" for $5'],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 2  # make's own code for a failed recipe
    assert result.stderr.splitlines()[0] == (
        "error: unknown language 'xx': TIP_LANG is one of nb, sv, fi, et, en"
    )
