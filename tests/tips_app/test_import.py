"""`make import` on exports of our own: a weekly series with typed labels,
comments with addresses, hostile markup, broken XML, files that are no
export, and media fetched from a local server."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from scripts import check as check_command
from scripts import import_blog
from tests.conftest import PELICANCONF, build_site
from tests.tips_app.exports import WpComment, WpPost, write_wxr

SMIL = "tips/2011/2011-w08-smil-i-telefonen.nb.md"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
HOSTILE = (
    '<p onclick="steal()">Vær trygg <script>alert(1)</script>'
    '<a href="javascript:alert(2)">her</a> og skriv &lt;script&gt;alert(3)&lt;/script&gt; '
    'som tekst. Se <a href="https://gammel.example/smil-i-telefonen/">forrige tips</a>.</p>'
    '<iframe src="https://evil.example/"></iframe>'
    '<img src="data:image/png;base64,AAAA" onerror="alert(4)">\n\n'
    '[caption id="attachment_9" width="300"]<img src="https://gammel.example/wp-content/uploads/'
    '2011/03/smil.png" alt="" />Et smil hjelper[/caption]\n\n[gallery ids="1,2"]'
)


def series_export(path: Path, first_body: str = "Smil når du tar telefonen.") -> Path:
    return write_wxr(
        path,
        [
            WpPost(
                1,
                "Ukens tips (8-2011): Smil i telefonen",
                first_body + "\n\nKunden hører det.",
                "2011-02-25 08:00:00",
                slug="smil-i-telefonen",
                date_local="2011-02-25 09:00:00",
                categories=("Ukens tips",),
                tags=("telefon",),
                comments=[
                    WpComment("Ola Leser", "Takk for <b>tipset</b>!\n\nDet virker."),
                    WpComment("Spammer", "Kjøp billig", approved="spam"),
                    WpComment("Annen blogg", "[...] lenket hit [...]", kind="pingback"),
                    WpComment("Slettet", "Borte", approved="trash"),
                ],
            ),
            WpPost(
                2,
                "Ukens tips (9-2011): Svar på alle spørsmål",
                "Svar på alt kunden spør om.",
                "2011-03-11 08:00:00",
                slug="svar-pa-alt",
                date_local="2011-03-11 09:00:00",
                categories=("Ukens tips",),
            ),
            WpPost(
                3,
                "Ukens tips (10-2011): Følg opp",
                "Ring tilbake dagen etter.",
                "2011-03-10 08:00:00",
                slug="folg-opp",
                link="https://gammel.example/tags/",
                date_local="2011-03-10 09:00:00",
                categories=("Ukens tips",),
            ),
            WpPost(
                4,
                "Sommerfest på kontoret",
                "Vi feiret sommeren.",
                "2011-06-10 14:00:00",
                slug="sommerfest",
                categories=("Nyheter",),
            ),
            WpPost(
                5,
                "Ukens tips (12-2011): Utkast",
                "Kommer snart.",
                "0000-00-00 00:00:00",
                date_local="2011-03-25 10:00:00",
                status="draft",
                categories=("Ukens tips",),
            ),
            WpPost(
                6,
                "Ukens tips (14-2011): Bare for ansatte",
                "Hemmelig.",
                "2011-04-08 08:00:00",
                slug="hemmelig",
                password="hemmelig",
                categories=("Ukens tips",),
            ),
            WpPost(
                7,
                "Ukens tips (13-2011): Trygg tekst",
                HOSTILE,
                "2011-04-01 08:00:00",
                slug="trygg-tekst",
                categories=("Ukens tips",),
            ),
            WpPost(
                8,
                "Om oss",
                "Vi skriver om kundeservice.",
                "2011-01-01 12:00:00",
                slug="om-oss",
                post_type="page",
            ),
            WpPost(9, "Meny", "", "2011-01-01 12:00:00", post_type="nav_menu_item"),
        ],
    )


def run_import(capsys, export: Path, *extra: str, lang: str = "nb") -> tuple[int, str, str]:
    arguments = ["--settings", PELICANCONF, "--content", "content", "--export", str(export)]
    code = import_blog.main([*arguments, "--lang", lang, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def run_check(capsys) -> tuple[int, str]:
    code = check_command.main(["--settings", PELICANCONF, "--content", "content"])
    return code, capsys.readouterr().out


def test_a_weekly_series_with_typed_labels(content, tmp_path, capsys):
    export = series_export(tmp_path / "blog.xml")
    code, out, err = run_import(capsys, export, "--download", "0")
    assert code == 0, err
    assert 'Series: titles "Ukens tips (<week>-<year>)" (proposed)' in out
    tip = (content.root / SMIL).read_text()
    assert tip.startswith(
        '---\ntitle: "Smil i telefonen"\ndate: 2011-02-25 09:00\nlang: nb\n'
        "slug: smil-i-telefonen\nauthor: Kari Nordmann\ntags: [telefon]\n"
        'summary: "Smil når du tar telefonen."\nnewsletter: false\n---\n'
    )
    # A typed label that disagrees with the date: the date wins, the report names both.
    assert "labelled week 9-2011, but its date 2011-03-11 is in week 10-2011" in out
    # Two tips in week 10: the later is a draft, with a warning naming both.
    later = (content.root / "tips/2011/2011-w10-svar-pa-alt.nb.md").read_text()
    assert "status: draft" in later
    assert "'Svar på alle spørsmål' and tips/2011/2011-w10-folg-opp.nb.md are both in" in out
    # Outside the series, drafts, password-protected: drafts, each said why.
    assert 'tip (draft: outside the series (titles "Ukens tips (<week>-<year>)"))' in out
    assert "tip (draft: WordPress status 'draft')" in out
    assert "tip (draft: password-protected in WordPress)" in out
    # A draft has no GMT date: its local one, on the old blog's clock (UTC+1).
    assert (
        "date: 2011-03-25 10:00\n" in (content.root / "tips/2011/2011-w12-utkast.nb.md").read_text()
    )
    assert "menu items       1: 1 not imported: menus are the site's own" in out
    assert (
        "comments         4: 1 archived under its tip; 1 not imported: pingback; "
        "1 not imported: spam; 1 not imported: trash" in out
    )
    for path in content.root.rglob("*.md"):
        assert "newsletter: false" in path.read_text() or "pages" in path.parts


def test_hostile_markup_is_made_plain_and_the_site_shows_none_of_it(content, tmp_path, capsys):
    code, out, _err = run_import(capsys, series_export(tmp_path / "blog.xml"), "--download", "0")
    assert code == 0
    tip = (content.root / "tips/2011/2011-w13-trygg-tekst.nb.md").read_text()
    body = tip.split("---\n", 2)[2]  # the summary holds the text, as text
    for hostile in ("<script", "javascript:", "onerror", "onclick", "<iframe", "data:image"):
        assert hostile not in body
    assert "&lt;script>alert(3)&lt;/script>" in body  # text that looks like markup stays text
    assert "[forrige tips]({filename}/" + SMIL + ")" in tip
    assert '<figure>\n<img src="https://gammel.example/wp-content/uploads/2011/03/smil.png"' in tip
    assert "<figcaption>Et smil hjelper</figcaption>" in tip
    assert "shortcode(s) gallery kept as text" in out
    assert "removed <iframe>, <script>" in out

    assert run_check(capsys)[0] == 0
    site = build_site(tmp_path, content)
    body = site.html("/2011/w13/trygg-tekst/").find(class_="tip__body")
    assert body.find("script") is None and body.find("iframe") is None
    assert "<script>alert(3)</script>" in body.get_text()
    assert body.find("a", string="forrige tips")["href"].endswith("/2011/w08/smil-i-telefonen/")


def test_comments_are_an_archive_without_any_address(content, tmp_path, capsys):
    run_import(capsys, series_export(tmp_path / "blog.xml"), "--download", "0")
    archive = (content.root / SMIL.replace(".md", ".comments.yaml")).read_text()
    assert "author: Ola Leser" in archive and "Spammer" not in archive
    assert run_check(capsys)[0] == 0
    site = build_site(tmp_path, content)
    section = site.html("/2011/w08/smil-i-telefonen/").find("section", class_="old-comments")
    assert section.h2.get_text() == "Kommentarer fra den gamle bloggen"
    assert [p.get_text() for p in section.find_all("p")] == [
        "Ola Leser, 26. februar 2011",
        "Takk for tipset!",
        "Det virker.",
    ]
    for root in (content.root, site.output):
        for path in root.rglob("*"):
            if path.is_file() and path.suffix != ".png":
                text = path.read_bytes()
                for secret in (b"leser@privat.example", b"203.0.113.77", b"Secret Agent"):
                    assert secret not in text, path


def test_old_links_lead_to_the_new_pages_and_never_replace_the_site(content, tmp_path, capsys):
    code, out, _err = run_import(capsys, series_export(tmp_path / "blog.xml"), "--download", "0")
    assert code == 0
    assert (
        "not redirected: https://gammel.example/tags/: it is an address of this site's own" in out
    )
    assert run_check(capsys)[0] == 0
    site = build_site(tmp_path, content)
    moved = site.html("/smil-i-telefonen/")
    assert moved.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert moved.find("link", rel="canonical")["href"] == (
        "http://127.0.0.1:8000/2011/w08/smil-i-telefonen/"
    )
    assert moved.a.get_text() == "Smil i telefonen"
    assert site.html("/om-oss/").find("meta", attrs={"http-equiv": "refresh"}) is None  # the page
    assert site.html("/tags/").find("meta", attrs={"http-equiv": "refresh"}) is None
    redirects = (site.output / "_redirects").read_text().splitlines()
    assert "/smil-i-telefonen/ /2011/w08/smil-i-telefonen/ 301" in redirects
    assert "/feed/ /feeds/atom.xml 301" in redirects
    assert "/category/ukens-tips/" not in "\n".join(redirects)  # the series is no topic
    assert "/tag/telefon/ /tags/telefon/ 301" in redirects
    sitemap = (site.output / "sitemap.xml").read_text()
    assert ":8000/smil-i-telefonen/<" not in sitemap


def test_an_incremental_build_after_editing_the_redirect_list_equals_a_clean_one(
    content, tmp_path, capsys
):
    run_import(capsys, series_export(tmp_path / "blog.xml"), "--download", "0")
    build_site(tmp_path, content)
    listing = content.root / "redirects.yaml"
    listing.write_text(listing.read_text().replace('"/smil-i-telefonen/"', '"/smil/"'))
    incremental = build_site(tmp_path, content).output
    clean = build_site(tmp_path / "clean", content).output
    assert not (incremental / "smil-i-telefonen/index.html").exists()
    assert (incremental / "smil/index.html").exists()
    assert _files(incremental) == _files(clean)


def _files(root: Path) -> dict[str, bytes]:
    """Every file of a site but the search index (its own test says it is whole)."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "pagefind" not in path.parts
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
            "this is an RSS feed, not a WordPress export",
        ),
        (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<id>tag:blogger.com,1999:blog-1</id><entry><title>x</title></entry></feed>",
            "make the full backup in Blogger, Settings > Manage blog > Back up content",
        ),
        ("<!DOCTYPE html><html><body>Min blogg</body></html>", "this is a web page, not an export"),
        ("Bare tekst", "this is not an XML export"),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;">]><rss>&lol2;</rss>',
            "declares XML entities or a DTD",
        ),
    ],
)
def test_a_file_that_is_no_export_gets_one_line_and_exit_1(
    content, tmp_path, capsys, text, message
):
    export = tmp_path / "export.xml"
    export.write_text(text)
    code, out, err = run_import(capsys, export)
    assert code == 1
    assert err.strip().count("\n") == 0
    assert err.startswith(f"{export}:1: error: ") and message in err
    assert out == ""
    assert not (content.root / "tips").exists()


def test_an_export_that_is_not_utf8_names_its_line(content, tmp_path, capsys):
    export = tmp_path / "export.xml"
    export.write_bytes(b'<?xml version="1.0"?>\n<rss>\n<title>Caf\xe9</title></rss>\n')
    code, _out, err = run_import(capsys, export)
    assert code == 1
    assert err == f"{export}:3: error: the file is not UTF-8 text here (byte 0xe9): " + (
        "make the export again; an export is always UTF-8\n"
    )


def test_a_damaged_record_stops_the_import_before_it_writes(content, tmp_path, capsys):
    export = series_export(tmp_path / "blog.xml")
    (content.root / "imports").mkdir()
    (content.root / "imports/blog.nb.yaml").write_text("items: [unclosed\n")
    code, _out, err = run_import(capsys, export, "--download", "0")
    assert code == 1
    assert "content/imports/blog.nb.yaml:1: error: the import record cannot be read" in err
    assert not (content.root / "tips").exists()


def test_control_characters_are_named_by_line_and_the_import_reads_on(content, tmp_path, capsys):
    export = series_export(tmp_path / "blog.xml", first_body="Smil\x0b når du tar telefonen.")
    line = (
        export.read_text()
        .split("\n")
        .index(next(x for x in export.read_text().split("\n") if "\x0b" in x))
        + 1
    )
    code, out, _err = run_import(capsys, export, "--download", "0")
    assert code == 0
    assert f"blog.xml:{line}: warning: removed an invalid control character (U+000B)" in out
    assert "Smil når du tar telefonen." in (content.root / SMIL).read_text()


def test_a_broken_post_is_named_and_the_others_are_imported(content, tmp_path, capsys):
    export = series_export(tmp_path / "blog.xml")
    text = export.read_text().replace(
        "<title><![CDATA[Sommerfest på kontoret]]></title>", "<title>Sommerfest <b>fest</title>"
    )
    export.write_text(text)
    code, out, _err = run_import(capsys, export, "--download", "0")
    assert code == 0
    assert "error: this item (from line" in out and "it was left out" in out
    assert (content.root / SMIL).exists()
    assert not list(content.root.rglob("*sommerfest*"))


def test_an_unknown_series_lists_what_there_is(content, tmp_path, capsys):
    code, _out, err = run_import(capsys, series_export(tmp_path / "blog.xml"), "--series", "Tips")
    assert code == 1
    assert err.startswith("error: SERIES='Tips' is no category, tag or title pattern")
    assert "categories: Nyheter, Ukens tips" in err


class _Images(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def image_server(tmp_path):
    root = tmp_path / "www"
    (root / "wp-content/uploads/2011/03").mkdir(parents=True)
    (root / "wp-content/uploads/2011/03/smil.png").write_bytes(PNG)
    handler = functools.partial(_Images, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_images_are_downloaded_and_linked_with_static(content, tmp_path, capsys, image_server):
    export = series_export(tmp_path / "blog.xml")
    export.write_text(
        export.read_text()
        .replace("https://gammel.example/wp-content", image_server + "/wp-content")
        .replace("Kunden hører det.", f'<img src="{image_server}/mangler.png" alt="Borte">')
    )
    code, out, _err = run_import(capsys, export)
    assert code == 0
    assert (content.root / "images/2011/smil.png").read_bytes() == PNG
    tip = (content.root / "tips/2011/2011-w13-trygg-tekst.nb.md").read_text()
    assert '<img src="{static}/images/2011/smil.png" alt="Et smil hjelper">' in tip
    assert f"{image_server}/mangler.png: not fetched, kept remote: 404" in out
    code, check_out = run_check(capsys)
    assert code == 0
    host = image_server.removeprefix("http://")
    assert (
        f"content/{SMIL}:13: warning: this image is loaded from {host} on every page view"
        in check_out
    )
    site = build_site(tmp_path, content)
    assert (site.output / "images/2011/smil.png").read_bytes() == PNG


def test_images_come_from_a_local_uploads_folder(content, tmp_path, capsys):
    uploads = tmp_path / "uploads/2011/03"
    uploads.mkdir(parents=True)
    (uploads / "smil.png").write_bytes(PNG)
    code, out, _err = run_import(
        capsys,
        series_export(tmp_path / "blog.xml"),
        "--uploads",
        str(tmp_path / "uploads"),
        "--download",
        "0",
    )
    assert code == 0
    assert (content.root / "images/2011/smil.png").read_bytes() == PNG
    assert "copied to content/images/2011/smil.png" in out
    shutil.rmtree(tmp_path / "uploads")
    code, out, _err = run_import(capsys, series_export(tmp_path / "blog.xml"), "--download", "0")
    # The image stays linked: nothing is written again.
    assert "Files: 9 unchanged\n" in out


def test_polylang_translations_share_a_slug_and_their_original_week(content, tmp_path, capsys):
    export = write_wxr(
        tmp_path / "polylang.xml",
        [
            WpPost(
                1,
                "Ukens tips (8-2011): Smil i telefonen",
                "Smil når du tar telefonen.",
                "2011-02-25 08:00:00",
                slug="smil-i-telefonen",
                lang="nb",
                group="pll_4d1",
            ),
            WpPost(
                2,
                "Tip of the week (9-2011): Smile on the phone",
                "Smile when you pick up the phone.",
                "2011-03-02 08:00:00",
                slug="smile-on-the-phone",
                lang="en",
                group="pll_4d1",
            ),
        ],
    )
    code, out, _err = run_import(capsys, export, "--series", "all", "--download", "0")
    assert code == 0
    english = content.root / "tips/2011/2011-w08-smil-i-telefonen.en.md"
    assert 'title: "Smile on the phone"\ndate: 2011-02-25 09:00\nlang: en\n' in english.read_text()
    assert (
        "'Smile on the phone' (en) is a translation of 'Smil i telefonen' (nb): its date moved "
        "from 2011-03-02 09:00 to 2011-02-25 09:00, into its original's week 2011-W08" in out
    )
    assert run_check(capsys)[0] == 0
    site = build_site(tmp_path, content)
    page = site.html("/2011/w08/smil-i-telefonen/")
    assert page.find("link", hreflang="en")["href"].endswith("/en/2011/w08/smil-i-telefonen/")


def test_each_wordpress_comment_is_reported_at_its_own_line(content, tmp_path, capsys):
    export = series_export(tmp_path / "blog.xml")
    lines = export.read_text().split("\n")
    code, out, _err = run_import(capsys, export, "--download", "0", "--dry-run", "1")
    assert code == 0
    for author, result in [
        ("Ola Leser", "archived under its tip"),
        ("Spammer", "not imported: spam"),
        ("Annen blogg", "not imported: pingback"),
    ]:
        named = lines.index(f"      <wp:comment_author><![CDATA[{author}]]></wp:comment_author>")
        start = named - 1  # the <wp:comment> line, counted from 1
        assert lines[start - 1].strip() == "<wp:comment>"
        assert f'blog.xml:{start}: comment "{author}": {result}' in out
