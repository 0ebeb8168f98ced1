"""`make import` on exports written outside this project (../shared/imports:
Pelican's own test exports, a WordPress WXR and a Blogger backup): every item
accounted for, `make check` clean, the site builds, old links lead to the new
pages, no commenter's address anywhere, and a second run changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from scripts import check as check_command
from scripts import import_blog
from tests.conftest import PELICANCONF, REPO, build_site

EXPORTS = REPO.parent / "shared" / "imports"
WORDPRESS = EXPORTS / "wordpressexport.xml"
BLOGGER = EXPORTS / "bloggerexport.xml"

pytestmark = pytest.mark.skipif(not WORDPRESS.exists(), reason="../shared/imports is not here")


def run_import(capsys, export: Path, lang: str, *extra: str) -> tuple[int, str, str]:
    arguments = ["--settings", PELICANCONF, "--content", "content", "--export", str(export)]
    code = import_blog.main([*arguments, "--lang", lang, "--download", "0", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def run_check(capsys) -> tuple[int, str]:
    code = check_command.main(["--settings", PELICANCONF, "--content", "content"])
    out, _err = capsys.readouterr()
    return code, out


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def kind_line(out: str, kind: str) -> str:
    return next(line for line in out.splitlines() if line.strip().startswith(kind + " "))


def test_wordpress_export_every_item_reported_checked_built_and_redirected(
    content, tmp_path, capsys
):
    code, out, err = run_import(capsys, WORDPRESS, "en")
    assert code == 0, err
    # Every item of the export, by kind, with what became of it.
    assert kind_line(out, "posts").split(":")[0].split()[-1] == "11"
    assert kind_line(out, "pages").split(":")[0].split()[-1] == "2"
    assert kind_line(out, "attachments").split(":")[0].split()[-1] == "4"
    assert "4: 3 archived under its tip; 1 not imported: pingback" in kind_line(out, "comments")
    assert kind_line(out, "others").split(":")[0].split()[-1] == "3"
    every = [line for line in out.splitlines() if "wordpressexport.xml:" in line and '"' in line]
    assert len(every) == 20 + 4  # 20 items and 4 comments, each on its own line
    # The proposal, and how to choose another.
    assert 'Series: category "Category 2" (proposed)' in out
    assert "SERIES=all" in out
    assert "not redirected: http://thisisa.test/?p=173: an address with a query" in out

    tip = (content.root / "tips/2012/2012-w07-post-with-raw-data.en.md").read_text()
    assert "date: 2012-02-16 16:52\n" in tip  # 15:52 GMT, the site's time zone is Oslo's
    assert "newsletter: false" in tip
    assert "<iframe" not in tip
    assert (content.root / "pages/contact.en.md").exists()

    code, check_out = run_check(capsys)
    assert code == 0, check_out
    site = build_site(tmp_path, content)
    page = site.html("/en/2012/w07/post-with-raw-data/")
    assert page.h1.get_text() == "Post with raw data"
    # The old permalink of the published page leads to its new page.
    moved = site.html("/contact/")
    assert moved.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert moved.find("link", rel="canonical")["href"].endswith("/en/contact/")
    assert "/contact/ /en/contact/ 301" in (site.output / "_redirects").read_text()
    assert "/feed/ /en/feeds/atom.xml 301" in (site.output / "_redirects").read_text()
    assert ":8000/contact/</loc>" not in (site.output / "sitemap.xml").read_text()


def test_wordpress_export_with_every_post_archives_comments_without_addresses(
    content, tmp_path, capsys
):
    code, out, _err = run_import(capsys, WORDPRESS, "en", "--series", "all")
    assert code == 0
    assert "Series: every post (SERIES=all)" in out
    # Two posts in one week: the later is a draft, and the report names both.
    assert (
        "wordpressexport.xml:361: warning: 'With tags' and tips/2012/2012-w05-with-excerpt.en.md "
        "are both in week 2012-W05 (en)" in out
    )
    code, check_out = run_check(capsys)
    assert code == 0, check_out
    site = build_site(tmp_path, content)
    # Comments: names, dates and text under the tip; no address anywhere.
    comments = site.html("/en/2012/w16/with-comments/").find("section", class_="old-comments")
    assert comments.h2.get_text() == "Comments from the old blog"
    assert [
        li.find(class_="old-comments__author").get_text() for li in comments.find_all("li")
    ] == [
        "User2",
        "Bob",
        "bob",
    ]
    for root in (content.root, site.output):
        for path in root.rglob("*"):
            if path.is_file() and path.suffix in (".md", ".yaml", ".html", ".xml", ""):
                text = path.read_text("utf-8", errors="replace")
                assert "User2@mail.test" not in text and "bob@thisisa.test" not in text, path


def test_blogger_backup_reads_on_past_an_undeclared_prefix(content, tmp_path, capsys):
    code, out, err = run_import(capsys, BLOGGER, "nb")
    assert code == 0, err
    assert (
        "bloggerexport.xml:973: warning: the prefix 'app:' is used without its declaration" in out
    )
    assert "posts            2: 1 tip (draft: a draft in Blogger); 1 tip (published)" in out
    assert "comments         1: 1 archived under its tip" in out
    assert "others          59: 58 not imported: settings" in out
    tip = (content.root / "tips/2010/2010-w47-the-steel-windpipe.nb.md").read_text()
    assert "date: 2010-11-27 16:12\n" in tip  # 07:12 at -08:00, in Oslo
    assert "It was a cold Winter's night.\n\n- Very cold indeed." in tip

    assert run_check(capsys)[0] == 0
    site = build_site(tmp_path, content)
    comments = site.html("/2010/w47/the-steel-windpipe/").find("section", class_="old-comments")
    assert comments.h2.get_text() == "Kommentarer fra den gamle bloggen"
    assert "It's a shame you don't get more time for writing." in comments.get_text()
    moved = site.html("/2010/11/the-steel-windpipe.html")
    assert moved.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith(
        "/2010/w47/the-steel-windpipe/"
    )
    assert moved.a.get_text() == "The Steel Windpipe"
    assert "the-steel-windpipe.html" not in (site.output / "sitemap.xml").read_text()


@pytest.mark.parametrize(("export", "lang"), [(WORDPRESS, "en"), (BLOGGER, "sv")])
def test_a_second_run_changes_nothing(content, capsys, export, lang):
    assert run_import(capsys, export, lang)[0] == 0
    first = tree(content.root)
    code, out, _err = run_import(capsys, export, lang)
    assert code == 0
    assert tree(content.root) == first
    assert "Files: " in out and "written" not in out.split("Files: ")[1].splitlines()[0]


def test_dry_run_reports_and_writes_nothing(content, capsys):
    code, out, _err = run_import(capsys, WORDPRESS, "en", "--dry-run", "1")
    assert code == 0
    assert out.startswith("Would import")
    assert "Files: 14 written (dry run: nothing was written)" in out
    assert tree(content.root) == {}


def test_an_edited_file_is_never_overwritten(content, capsys):
    run_import(capsys, BLOGGER, "nb")
    tip = content.root / "tips/2010/2010-w47-the-steel-windpipe.nb.md"
    tip.write_text(tip.read_text().replace("cold Winter's night", "cold winter night"))
    code, out, _err = run_import(capsys, BLOGGER, "nb")
    assert code == 0
    assert "cold winter night" in tip.read_text()
    assert (
        "content/tips/2010/2010-w47-the-steel-windpipe.nb.md:1: warning: kept: edited since the "
        "last import" in out
    )
