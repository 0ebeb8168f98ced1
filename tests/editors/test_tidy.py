"""File names that match what is inside: `make check` gives the right name,
`make tidy` renames (with git mv in a git checkout) and keeps links working."""

from __future__ import annotations

from scripts import check as check_command
from scripts import tidy as tidy_command
from tests.conftest import PELICANCONF, tip_text
from tests.editors import git


def run(module, capsys) -> tuple[int, list[str]]:
    code = module.main(["--settings", PELICANCONF, "--content", "content"])
    out, _err = capsys.readouterr()
    return code, out.splitlines()


def moved_week(content):
    """A tip named for week 49 whose date was moved to week 50, and a tip linking it."""
    content.write(
        "tips/2025/2025-w49-smile.nb.md",
        tip_text(title="Smil", date="2025-12-11 09:00", lang="nb", slug="smile"),
    )
    content.tip(
        title="Lytt", date="2025-12-18 09:00", lang="nb", slug="listen",
        body="Se [forrige uke]({filename}/tips/2025/2025-w49-smile.nb.md#start) og "
        "[igjen]({filename}../2025/2025-w49-smile.nb.md).",
    )  # fmt: skip


def test_check_warns_at_the_field_that_disagrees_and_gives_the_right_name(content, capsys):
    moved_week(content)
    content.write(
        "tips/2025/2025-w51-old-slug.sv.md",
        tip_text(title="Le", date="2025-12-18 09:00", lang="sv", slug="new-slug"),
    )
    content.write(
        "tips/leftover.md", tip_text(title="X", date="2025-12-25 09:00", lang="en", slug="x")
    )
    code, lines = run(check_command, capsys)
    assert code == 0
    named = [line for line in lines if "file name does not match" in line]
    assert named == [
        "content/tips/2025/2025-w49-smile.nb.md:3: warning: the file name does not match the "
        "front matter (week 2025-W50, slug 'smile', lang nb): its name is "
        "content/tips/2025/2025-w50-smile.nb.md (make tidy renames it)",
        "content/tips/2025/2025-w51-old-slug.sv.md:5: warning: the file name does not match the "
        "front matter (week 2025-W51, slug 'new-slug', lang sv): its name is "
        "content/tips/2025/2025-w51-new-slug.sv.md (make tidy renames it)",
        "content/tips/leftover.md:1: warning: the file name does not match the front matter "
        "(week 2025-W52, slug 'x', lang en): its name is "
        "content/tips/2025/2025-w52-x.en.md (make tidy renames it)",
    ]


def test_tidy_renames_with_git_mv_rewrites_links_and_check_is_then_clean(content, capsys, tmp_path):
    moved_week(content)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "two tips")
    code, lines = run(tidy_command, capsys)
    assert code == 0
    assert lines == [
        "content/tips/2025/2025-w51-listen.nb.md:11: link rewritten to the new name",
        "moved content/tips/2025/2025-w49-smile.nb.md -> content/tips/2025/2025-w50-smile.nb.md",
        "Renamed 1 file; commit the change.",
    ]
    status = git(tmp_path, "status", "--porcelain")
    assert (
        "R  content/tips/2025/2025-w49-smile.nb.md -> content/tips/2025/2025-w50-smile.nb.md"
        in (status)
    )
    text = (content.root / "tips/2025/2025-w51-listen.nb.md").read_text("utf-8")
    assert "({filename}/tips/2025/2025-w50-smile.nb.md#start)" in text
    assert "({filename}/tips/2025/2025-w50-smile.nb.md)" in text
    code, lines = run(check_command, capsys)
    assert code == 0
    assert [line for line in lines if "file name" in line or ": error: " in line] == []
    code, lines = run(tidy_command, capsys)
    assert lines == ["Every tip is named by the convention: nothing to move."]


def test_tidy_outside_git_moves_the_file_and_never_overwrites_one(content, capsys):
    content.write(
        "tips/misc/smile.nb.md",
        tip_text(title="Smil", date="2025-12-11 09:00", lang="nb", slug="smile"),
    )
    content.write(
        "tips/misc/listen.nb.md",
        tip_text(title="Lytt", date="2025-12-18 09:00", lang="nb", slug="listen"),
    )
    taken = content.write("tips/2025/2025-w51-listen.nb.md", "not a tip, but there")
    code, lines = run(tidy_command, capsys)
    assert code == 1
    assert "moved content/tips/misc/smile.nb.md -> content/tips/2025/2025-w50-smile.nb.md" in lines
    assert (
        "content/tips/misc/listen.nb.md:1: error: cannot rename this file to "
        "content/tips/2025/2025-w51-listen.nb.md: another file is there; make check says "
        "what to change"
    ) in lines
    assert (content.root / "tips/2025/2025-w50-smile.nb.md").is_file()
    assert taken.read_text() == "not a tip, but there"
