"""`make import PAIRS=<csv>`: two separate blogs (a Norwegian WordPress blog,
then a Swedish Blogger blog) whose posts translate each other, linked by a
CSV of their old addresses; old paths the blogs share keep the first import's
target."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import build_site
from tests.tips_app.exports import BloggerPost, WpPost, write_blogger, write_wxr
from tests.tips_app.test_import import run_check, run_import
from tests.tips_app.test_import_real_exports import tree

NB = "https://gammel.example"
SV = "https://svensk.blogspot.com"
SMIL_NB = "tips/2011/2011-w08-smil-i-telefonen.nb.md"


def norwegian_blog(path: Path) -> Path:
    return write_wxr(
        path,
        [
            WpPost(
                1, "Smil i telefonen", "Smil når du tar telefonen.", "2011-02-25 08:00:00",
                slug="smil-i-telefonen", link=f"{NB}/2011/02/smil.html",
            ),
            WpPost(
                2, "Følg opp", "Ring tilbake dagen etter.", "2011-03-10 08:00:00",
                slug="folg-opp", link=f"{NB}/2011/03/folg-opp.html",
            ),
        ],
    )  # fmt: skip


def swedish_blog(path: Path) -> Path:
    return write_blogger(
        path,
        SV,
        [
            # A week after its original: it moves to the original's week.
            BloggerPost(
                11, "Le i telefonen", "<div>Le när du svarar.</div>",
                "2011-03-02T09:00:00.000+01:00", "/2011/03/le-i-telefonen.html",
            ),
            # In its original's week: it keeps its date, and takes the slug.
            BloggerPost(
                12, "Följ upp", "<div>Ring upp dagen efter.</div>",
                "2011-03-11T09:00:00.000+01:00", "/2011/03/folj-upp.html",
            ),
            # Its original's blog has no such post imported.
            BloggerPost(
                13, "Avsluta vänligt", "<div>Tacka för samtalet.</div>",
                "2011-04-06T09:00:00.000+02:00", "/2011/04/avsluta.html",
            ),
            # Its old path is also the Norwegian blog's: the first import keeps it.
            BloggerPost(
                14, "Lyssna", "<div>Låt kunden tala till punkt.</div>",
                "2011-02-16T09:00:00.000+01:00", "/2011/02/smil.html",
            ),
        ],
    )  # fmt: skip


def pairs_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", "utf-8")
    return path


PAIRS = [
    "norsk,svensk",
    f"{NB}/2011/02/smil.html,{SV}/2011/03/le-i-telefonen.html",
    f"https://www.gammel.example/2011/03/folg-opp.html,{SV}/2011/03/folj-upp.html",
    f"{NB}/2011/04/ikke-importert.html,{SV}/2011/04/avsluta.html",
    f"{NB}/2011/03/folg-opp.html,https://annen.example/2011/03/seuraa.html",
]


def test_pairs_link_translations_of_separate_blogs(content, tmp_path, capsys):
    code, _out, err = run_import(
        capsys, norwegian_blog(tmp_path / "norsk.xml"), "--series", "all", "--download", "0"
    )
    assert code == 0, err
    pairs = pairs_csv(tmp_path / "pairs.csv", PAIRS)
    swedish = swedish_blog(tmp_path / "svensk.xml")
    arguments = ("--series", "all", "--download", "0", "--pairs", str(pairs))
    code, out, err = run_import(capsys, swedish, *arguments, lang="sv")
    assert code == 0, err

    le = (content.root / "tips/2011/2011-w08-smil-i-telefonen.sv.md").read_text()
    assert (
        'title: "Le i telefonen"\ndate: 2011-02-25 09:00\nlang: sv\nslug: smil-i-telefonen\n' in le
    )
    assert (
        "svensk.xml:14: warning: 'Le i telefonen' (sv) is a translation of 'Smil i telefonen' "
        "(nb): its date moved from 2011-03-02 09:00 to 2011-02-25 09:00, into its original's "
        "week 2011-W08"
    ) in out
    folj = (content.root / "tips/2011/2011-w10-folg-opp.sv.md").read_text()
    assert "date: 2011-03-11 09:00\nlang: sv\nslug: folg-opp\n" in folj
    assert out.count("its date moved") == 1  # the report lists every move, and only those
    assert (
        f"pairs.csv:4: warning: {NB}/2011/04/ikke-importert.html is not imported yet: import "
        "that blog first, then this one again"
    ) in out
    assert (content.root / "tips/2011/2011-w14-avsluta.sv.md").exists()
    assert (
        "Translations (PAIRS=" + str(pairs) + "): 2 linked, 1 waiting for the other blog's "
        "import, 1 row naming no post of this export"
    ) in out
    # The Swedish blog's /2011/02/smil.html: the Norwegian import listed it first.
    assert f"  /2011/02/smil.html: kept: leads to {SMIL_NB} (listed before this import)" in out
    redirects = (content.root / "redirects.yaml").read_text()
    assert f'"/2011/02/smil.html": "{SMIL_NB}"' in redirects
    assert '"/2011/03/le-i-telefonen.html": "tips/2011/2011-w08-smil-i-telefonen.sv.md"' in (
        redirects
    )

    # Running it again changes nothing, and says the same.
    first = tree(content.root)
    code, again, _err = run_import(capsys, swedish, *arguments, lang="sv")
    assert code == 0
    assert tree(content.root) == first
    assert again.count("its date moved") == 1

    assert run_check(capsys)[0] == 0
    site = build_site(tmp_path, content)
    page = site.html("/2011/w08/smil-i-telefonen/")
    assert page.find("link", hreflang="sv")["href"].endswith("/sv/2011/w08/smil-i-telefonen/")
    moved = site.html("/2011/03/le-i-telefonen.html")
    assert moved.a["href"].endswith("/sv/2011/w08/smil-i-telefonen/")
    assert site.html("/2011/02/smil.html").a.get_text() == "Smil i telefonen"


def test_a_bad_pairs_row_stops_the_import_before_it_writes(content, tmp_path, capsys):
    pairs = pairs_csv(tmp_path / "pairs.csv", [PAIRS[1], f"{NB}/2011/02/smil.html", "ftp://x,y"])
    code, out, err = run_import(
        capsys, swedish_blog(tmp_path / "svensk.xml"), "--pairs", str(pairs), lang="sv"
    )
    assert code == 1
    assert err.splitlines() == [
        "pairs.csv:2: error: a row names two or more old addresses of one post, one a cell",
        "pairs.csv:3: error: 'ftp://x' is not an old address (https://...)",
    ]
    assert out == ""
    assert not (content.root / "tips").exists()


def test_a_missing_pairs_file_is_named(content, tmp_path, capsys):
    missing = tmp_path / "ingen.csv"
    code, _out, err = run_import(
        capsys, swedish_blog(tmp_path / "svensk.xml"), "--pairs", str(missing), lang="sv"
    )
    assert code == 1
    assert err == "ingen.csv:1: error: no such file: give a CSV of old addresses\n"
