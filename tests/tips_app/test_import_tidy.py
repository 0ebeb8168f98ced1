"""An imported tip renamed by `make tidy` (its author moved its date) stays the
import's own file: its comment archive, its redirect and the import record
follow it, and importing the same export again writes nothing new."""

from __future__ import annotations

from scripts import tidy as tidy_command
from tests.conftest import PELICANCONF, build_site
from tests.editors import git
from tests.tips_app.test_import import SMIL, run_check, run_import, series_export
from tests.tips_app.test_import_real_exports import tree

MOVED = "tips/2011/2011-w09-smil-i-telefonen.nb.md"


def test_a_tidied_tip_keeps_its_comments_redirect_and_record(content, tmp_path, capsys):
    export = series_export(tmp_path / "blog.xml")
    assert run_import(capsys, export, "--download", "0")[0] == 0
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "imported")
    tip = content.root / SMIL
    tip.write_text(tip.read_text().replace("date: 2011-02-25 09:00", "date: 2011-03-04 09:00"))

    code = tidy_command.main(["--settings", PELICANCONF, "--content", "content"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0, out
    assert f"moved content/{SMIL} -> content/{MOVED}" in out
    comments = SMIL.replace(".md", ".comments.yaml")
    assert f"moved content/{comments} -> content/{MOVED.replace('.md', '.comments.yaml')}" in out
    assert "content/redirects.yaml:4: redirect target rewritten to the new name" in out
    assert "content/imports/blog.nb.yaml: the import record follows the new names" in out
    assert not list(content.root.rglob("2011-w08-*"))
    redirects = (content.root / "redirects.yaml").read_text()
    assert f'"/smil-i-telefonen/": "{MOVED}"' in redirects
    record = (content.root / "imports/blog.nb.yaml").read_text()
    assert SMIL not in record and MOVED in record

    after_tidy = tree(content.root)
    code, out, _err = run_import(capsys, export, "--download", "0")
    assert code == 0
    assert tree(content.root) == after_tidy
    files = out.split("Files: ")[1].splitlines()[0]
    assert files == "1 kept: edited since the last import, 8 unchanged"
    assert f"content/{MOVED}:1: warning: kept: edited since the last import" in out
    assert "Redirects (content/redirects.yaml): 6 already listed" in out

    assert run_check(capsys)[0] == 0
    site = build_site(tmp_path, content)
    assert site.html("/smil-i-telefonen/").a["href"].endswith("/2011/w09/smil-i-telefonen/")
    page = site.html("/2011/w09/smil-i-telefonen/")
    assert page.find("section", class_="old-comments").h2.get_text() == (
        "Kommentarer fra den gamle bloggen"
    )
    linking = site.html("/2011/w13/trygg-tekst/").find("a", string="forrige tips")
    assert linking["href"].endswith("/2011/w09/smil-i-telefonen/")
