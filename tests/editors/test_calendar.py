"""`make calendar` and the checks that keep five languages in step, as an editor
meets them: the coming Friday's gaps, stubs that are not done, links into
another language, outdated translations, and the reminder's text."""

from __future__ import annotations

import json

from scripts import calendar_report
from scripts import check as check_command
from tests.conftest import PELICANCONF
from tests.editors import git

NOW = "2026-12-02 10:00"  # a Wednesday: the coming Friday is 2026-12-04, week 49


def run(module, capsys, *extra: str) -> tuple[int, list[str]]:
    code = module.main(["--settings", PELICANCONF, "--content", "content", *extra])
    out, _err = capsys.readouterr()
    return code, out.splitlines()


def week_tips(content, date: str, slug: str, langs=("nb", "sv", "fi", "et", "en"), **extra):
    for lang in langs:
        content.tip(title=f"Tip {slug}", date=date, lang=lang, slug=slug, **extra)


def stub(content, slug: str, date: str, lang: str = "sv"):
    """What `make new FROM=` writes, kept as a draft: TODOs and the quoted original."""
    return content.tip(
        title="TODO: translate: Tip",
        date=date,
        lang=lang,
        slug=slug,
        body="TODO: translate the text below.\n\n> Smile, listen, and help the caller today.",
        extra="status: draft\n",
    )


def test_the_coming_fridays_gaps_come_first_with_each_cell_and_its_file(content, capsys):
    week_tips(content, "2026-11-27 09:00", "last-week")
    week_tips(content, "2026-12-04 09:00", "this-friday", langs=("nb", "en"))
    stub(content, "this-friday", "2026-12-04 09:00")
    content.tip(
        title="Draft", date="2026-12-11 09:00", lang="nb", slug="later", extra="status: draft\n"
    )
    code, lines = run(calendar_report, capsys, "--now", NOW)
    assert code == 0
    assert lines[1] == "Week 49-2026, Friday 2026-12-04: tips missing in sv, fi, et"
    assert lines[2].split() == ["sv", "stub", "content/tips/2026/2026-w49-this-friday.sv.md"]
    assert lines[3].split() == ["fi", "missing"]
    assert lines[4].split() == ["et", "missing"]
    text = "\n".join(lines)
    assert "2026-W45  Fri 2026-11-06\n  missing in every language" in text
    assert "  nb  published                     content/tips/2026/2026-w48-last-week.nb.md" in lines
    week49 = lines.index("2026-W49  Fri 2026-12-04  <- next")
    assert lines[week49 + 1].split() == [
        "nb", "scheduled", "2026-12-04", "09:00", "content/tips/2026/2026-w49-this-friday.nb.md",
    ]  # fmt: skip
    assert "  nb  draft                         content/tips/2026/2026-w50-later.nb.md" in lines
    # 4 weeks before the coming one, and 8 from it (2026 has a week 53).
    weeks = [
        line.split()[0] for line in lines if line.startswith("2026-W") or line.startswith("2027-W")
    ]
    assert weeks[0] == "2026-W45" and weeks[-1] == "2027-W03" and len(weeks) == 12


def test_a_stub_counts_as_a_stub_in_the_table_not_as_done(content, capsys):
    week_tips(content, "2021-01-08 09:00", "smile", langs=("nb", "fi", "et", "en"))
    stub(content, "smile", "2021-01-08 09:00")
    code, lines = run(check_command, capsys)
    assert code == 0
    assert "  sv  0/1   0%  1 stub" in lines
    assert "  nb  1/1 100%" in lines


def test_check_warns_when_next_week_has_nothing_in_a_language_that_kept_the_rhythm(content, capsys):
    week_tips(content, "2026-11-20 09:00", "two-weeks-ago")
    week_tips(content, "2026-11-27 09:00", "last-week", langs=("nb", "sv", "fi", "en"))
    week_tips(content, "2026-12-04 09:00", "coming", langs=("nb", "sv", "en"))
    code, lines = run(check_command, capsys, "--now", NOW)
    assert code == 0
    warned = [line for line in lines if "is ready for week" in line]
    assert warned == [
        "content/tips/2026/2026-w47-two-weeks-ago.et.md:3: warning: 'et' has had a tip every "
        "few weeks, this one the newest, but none is ready for week 2026-W49 (Friday "
        '2026-12-04): start it with make new TIP_LANG=et TITLE="..." (make calendar shows '
        "every week)",
        "content/tips/2026/2026-w48-last-week.fi.md:3: warning: 'fi' has had a tip every "
        "few weeks, this one the newest, but none is ready for week 2026-W49 (Friday "
        '2026-12-04): start it with make new TIP_LANG=fi TITLE="..." (make calendar shows '
        "every week)",
    ]


def test_a_link_into_another_language_names_the_tip_in_the_translations_own(content, capsys):
    content.tip(title="Smil", date="2021-01-08 09:00", lang="nb", slug="smile")
    content.tip(title="Le", date="2021-01-08 09:00", lang="sv", slug="smile")
    content.tip(title="Lytt", date="2021-01-15 09:00", lang="nb", slug="listen")
    content.tip(
        title="Lyssna",
        date="2021-01-15 09:00",
        lang="sv",
        slug="listen",
        body="Se [förra veckan]({filename}/tips/2021/2021-w01-smile.nb.md).\n\n"
        "And [this]({filename}/tips/2021/2021-w02-listen.nb.md).",
    )
    content.tip(
        title="Listen", date="2021-01-15 09:00", lang="en", slug="listen",
        body="See [last week]({filename}/tips/2021/2021-w01-smile.nb.md).",
    )  # fmt: skip
    code, lines = run(check_command, capsys)
    assert code == 0
    warnings = [line for line in lines if "version of" in line]
    assert warnings == [
        "content/tips/2021/2021-w02-listen.en.md:11: warning: this links to the 'nb' version "
        "of 'smile', so readers of 'en' land in another language; 'smile' has no 'en' "
        "version yet (make new TIP_LANG=en FROM=smile)",
        "content/tips/2021/2021-w02-listen.sv.md:11: warning: this links to the 'nb' version "
        "of 'smile', so readers of 'sv' land in another language; link its 'sv' version "
        "instead: {filename}/tips/2021/2021-w01-smile.sv.md",
        "content/tips/2021/2021-w02-listen.sv.md:13: warning: this links to the 'nb' version "
        "of 'listen', so readers of 'sv' land in another language; link its 'sv' version "
        "instead: {filename}/tips/2021/2021-w02-listen.sv.md",
    ]


def test_a_translation_whose_original_changed_later_is_outdated(content, capsys, tmp_path):
    week_tips(content, "2026-12-04 09:00", "coming", langs=("nb", "sv", "fi"))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "three versions")
    nb = content.root / "tips/2026/2026-w49-coming.nb.md"
    nb.write_text(nb.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")
    fi = content.root / "tips/2026/2026-w49-coming.fi.md"
    git(tmp_path, "commit", "-qam", "the original grows")
    fi.write_text(fi.read_text("utf-8") + "\nYksi kappale lisää.\n", "utf-8")
    git(tmp_path, "commit", "-qam", "fi follows")
    code, lines = run(check_command, capsys, "--now", NOW)
    assert code == 0
    outdated = [line for line in lines if "outdated" in line]
    assert len(outdated) == 1
    assert outdated[0].startswith(
        "content/tips/2026/2026-w49-coming.sv.md:1: warning: outdated: its 'nb' original "
        "(content/tips/2026/2026-w49-coming.nb.md) changed on "
    )
    assert outdated[0].endswith(": bring it up to date")
    _code, lines = run(calendar_report, capsys, "--now", NOW)
    assert (
        "  sv  scheduled 2026-12-04 09:00, outdated  content/tips/2026/2026-w49-coming.sv.md"
        in lines
    )


def test_outside_git_nothing_is_outdated_and_the_build_never_asks(content, capsys):
    week_tips(content, "2021-01-08 09:00", "smile", langs=("nb", "sv"))
    code, lines = run(check_command, capsys, "--now", NOW)
    assert code == 0
    assert not [line for line in lines if "outdated" in line]


def test_the_reminder_names_the_gaps_and_says_when_the_week_is_complete(content, capsys):
    week_tips(content, "2026-12-11 09:00", "next", langs=("nb", "sv", "en"))
    code, lines = run(calendar_report, capsys, "--now", "2026-12-04 09:30", "--reminder")
    assert code == 0
    reminder = json.loads(lines[-1])
    assert reminder["title"] == "Week 50: tips missing in fi, et"
    assert reminder["complete"] is False
    assert "| fi | missing |  |" in reminder["body"]
    assert (
        "| nb | scheduled 2026-12-11 09:00 | `content/tips/2026/2026-w50-next.nb.md` |"
        in (reminder["body"])
    )
    week_tips(content, "2026-12-11 09:00", "next", langs=("fi", "et"))
    _code, lines = run(calendar_report, capsys, "--now", "2026-12-04 09:30", "--reminder")
    reminder = json.loads(lines[-1])
    assert reminder["complete"] is True
    assert reminder["title"] == "Week 50: tips ready in every language"
