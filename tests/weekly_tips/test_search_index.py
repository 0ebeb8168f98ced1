"""The search index and search pages a build writes, and the settings behind them."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pelican.plugins.weekly_tips.search_index import pagefind_binary
from scripts import build as build_command
from tests.conftest import PELICANCONF, REPO, SITEURL, ContentTree, build_site

NOW = datetime.datetime(2021, 2, 1, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))


def sample(content: ContentTree) -> None:
    content.tip(title="Smil", date="2021-01-08 09:00", lang="nb", slug="smile")
    content.tip(title="Lytt", date="2021-01-15 09:00", lang="nb", slug="listen")
    content.tip(title="Hymyile", date="2021-01-08 09:00", lang="fi", slug="smile")
    content.page(title="Om", lang="nb", slug="about")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search")
    content = ContentTree(tmp / "content")
    sample(content)
    return build_site(tmp, content, now=NOW)


def test_only_tips_are_indexed_one_index_per_language(site):
    entry = json.loads(site.path("pagefind/pagefind-entry.json").read_text("utf-8"))
    counts = {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert counts == {"nb": 2, "fi": 1}  # no home, list or about page
    assert (site.summary.search.pages, site.summary.search.languages) == (3, 2)
    assert "Search index: 3 pages in 2 languages in" in "\n".join(site.summary.lines())


def test_every_language_has_a_search_page_linked_from_the_menu(site):
    cases = (("", "Søk", "Søk i tipsene"), ("et/", "Otsing", "Otsi nõuannetest"))
    for lang, label, heading in cases:
        page = site.html(f"{lang}search/")
        assert page.h1.text == heading
        form = page.select_one("form.search-form")
        assert form["action"] == f"{SITEURL}/{lang}search/"
        assert form["method"] == "get"
        assert form.select_one("input")["name"] == "q"
        assert form["data-bundle"] == f"{SITEURL}/pagefind/pagefind.js"
        assert [s["src"] for s in page.select("script[src]")] == [f"{SITEURL}/theme/js/search.js"]
        menu = site.html(f"{lang}about/" if lang == "" else lang).select_one(".site-nav")
        assert menu.find("a", string=label)["href"] == f"{SITEURL}/{lang}search/"


def test_the_search_messages_are_in_the_pages_language(site):
    form = site.html("fi/search/").select_one("form.search-form")
    assert form["data-none"] == "Haulla ”{query}” ei löytynyt vinkkejä."
    assert form["data-one"] == "Haulla ”{query}” löytyi {count} vinkki."
    assert form["data-many"] == "Haulla ”{query}” löytyi {count} vinkkiä."


def test_tip_pages_do_not_load_search(site):
    page = site.html("2021/w01/smile/")
    assert page.select_one("article[data-pagefind-body]") is not None
    assert [s["src"] for s in page.select("script[src]")] == [f"{SITEURL}/theme/js/copy-link.js"]
    assert "pagefind" not in page.head.decode()


def test_search_can_be_turned_off(content):
    sample(content)
    built = build_site(content.root.parent, content, now=NOW, TIPS_SEARCH=False)
    assert not built.exists("pagefind/pagefind-entry.json")
    assert not built.exists("search/")
    assert built.html("").select_one(".site-nav").find("a", string="Søk") is None
    assert built.summary.search is None


def run_with(tmp_path, capsys, extra_settings: str, env: dict | None = None):
    settings = tmp_path / "conf.py"
    settings.write_text(
        f"exec(open({PELICANCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\n{extra_settings}"
    )
    code = build_command.main(
        ["--settings", str(settings), "--content", "content", "--output", "output"]
    )
    return code, capsys.readouterr().err


def test_bad_search_settings_exit_2_naming_the_setting(content, capsys, tmp_path, monkeypatch):
    sample(content)
    code, err = run_with(tmp_path, capsys, "TIPS_SEARCH = 'yes'\n")
    assert (code, err.strip()) == (2, "error: TIPS_SEARCH: must be True or False, not 'yes'")

    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    code, err = run_with(tmp_path, capsys, "")
    assert code == 2
    assert err.startswith("error: PAGEFIND_BINARY_PATH: no pagefind binary found")


def test_a_relative_siteurl_exits_2_naming_the_setting(content, capsys, tmp_path):
    sample(content)
    code, err = run_with(tmp_path, capsys, "SITEURL = 'tips.example.com'\n")
    assert code == 2
    assert err.startswith("error: SITEURL: 'tips.example.com' is not an absolute http(s) URL")
    assert "Traceback" not in err


def test_a_new_site_with_no_tip_yet_builds_without_an_index(tmp_path, content):
    content.page(title="Om", lang="nb", slug="about")
    site = build_site(tmp_path, content, now=NOW)
    assert site.exists("about/") and site.exists("search/")
    assert site.summary.search is None and not site.exists("pagefind/pagefind-entry.json")
    # The first tip brings the index; removing it again takes the index away.
    path = content.tip(title="Smil", date="2021-01-08 09:00", lang="nb", slug="smile")
    assert build_site(tmp_path, content, now=NOW).exists("pagefind/pagefind-entry.json")
    path.unlink()
    assert not build_site(tmp_path, content, now=NOW).exists("pagefind/pagefind-entry.json")


def logging_pagefind(tmp_path, monkeypatch, fail_on: str = "") -> Path:
    """A pagefind that notes when each of its runs starts and ends, and with
    which glob, then runs the real one (or fails when its glob names ``fail_on``)."""
    log = tmp_path / "pagefind-runs.log"
    wrapper = tmp_path / "logging-pagefind"
    fail = (
        f'case "$*" in *"{fail_on}"*) echo "pagefind: no space left" >&2; exit 1;; esac\n'
        if fail_on
        else ""
    )
    wrapper.write_text(
        "#!/bin/sh\n"
        f'echo "start $*" >> "{log}"\n'
        f"{fail}"
        f'"{pagefind_binary()}" "$@"; code=$?\n'
        f'echo "end" >> "{log}"\n'
        "exit $code\n"
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))
    return log


def test_languages_are_indexed_one_at_a_time_into_the_same_index(tmp_path, content, monkeypatch):
    """One pagefind per language, never two at once (each holds its language's
    index in memory), and together the index one run of all would make."""
    sample(content)
    log = logging_pagefind(tmp_path, monkeypatch)
    site = build_site(tmp_path / "built", content, now=NOW)
    lines = log.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["start", "end", "start", "end"]
    globs = [line.split("--glob ")[1].split()[0] for line in lines if line.startswith("start")]
    assert globs == ["fi/*/w*/*/index.html", "*/w*/*/index.html"]  # fi, then nb
    entry = json.loads(site.path("pagefind/pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["fi", "nb"]
    assert [name for name in site.output.iterdir() if name.name.startswith(".pagefind")] == []


def test_a_language_that_fails_to_index_fails_the_build_and_leaves_nothing_half_made(
    tmp_path, content, capsys, monkeypatch
):
    sample(content)
    log = logging_pagefind(tmp_path, monkeypatch, fail_on="--glob */w*")  # nb, after fi
    code = build_command.main(
        ["--settings", PELICANCONF, "--content", str(content.root),
         "--output", str(tmp_path / "output"), "--cache", str(tmp_path / "cache")]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code != 0
    assert "pagefind: no space left" in err and "Traceback" not in err
    assert [line.split()[0] for line in log.read_text().splitlines()] == ["start", "end", "start"]
    output = tmp_path / "output"
    assert not (output / "pagefind").exists()
    assert [name for name in output.iterdir() if name.name.startswith(".pagefind")] == []


def index_files(output: Path) -> dict[str, bytes]:
    bundle = output / "pagefind"
    return {str(p.relative_to(bundle)): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}


def many_nb_tips(content: ContentTree, body: str = "Smil til kunden.") -> None:
    for week in range(1, 9):
        content.tip(
            title=f"Tips {week}",
            date=(datetime.date(2021, 1, 8) + datetime.timedelta(weeks=week - 1)).isoformat(),
            lang="nb",
            slug=f"tip-{week}",
            body=body if week == 3 else f"Tekst for uke {week}.",
        )
    content.tip(title="Hymyile", date="2021-01-08 09:00", lang="fi", slug="smile")


@pytest.mark.parametrize("meta", ["read", "unreadable"])
def test_after_an_edit_the_index_is_the_bytes_of_a_clean_builds(
    tmp_path, content, monkeypatch, meta
):
    """An edit's language is indexed over links to the site's chunks; if the
    new index cannot be read to know which of them it still names, it is made
    again from nothing. Either way: a clean build's index, nothing left over."""
    from pelican.plugins.weekly_tips import search_index

    many_nb_tips(content)
    build_site(tmp_path / "site", content, now=NOW)
    if meta == "unreadable":
        monkeypatch.setattr(search_index, "drop_unused", lambda target, lang: False)
    many_nb_tips(content, body="Smil til kunden, og si navnet.")
    edited = build_site(tmp_path / "site", content, now=NOW)
    clean = build_site(tmp_path / "clean", content, now=NOW)
    assert index_files(edited.output) == index_files(clean.output)
    assert [p for p in edited.output.iterdir() if p.name.startswith(".pagefind")] == []


def test_pagefind_leaves_the_linked_chunks_and_the_ones_it_no_longer_names_go(tmp_path, content):
    """What the incremental index relies on: pagefind does not write a chunk
    that is there (the site's file stays the very file), and the chunks of the
    last index that the new one does not name are found and removed."""
    import subprocess

    from pelican.plugins.weekly_tips import search_index

    many_nb_tips(content)
    site = build_site(tmp_path / "site", content, now=NOW)
    bundle, target = site.output / "pagefind", tmp_path / "new"
    search_index.link_unchanged(str(bundle), str(target), "nb")
    stale = target / "fragment" / "nb_0123abc.pf_fragment"  # a chunk no index names
    stale.write_bytes(b"left from an older index")
    glob = search_index.tip_pages_glob(site.summary.settings, ["nb"])
    subprocess.run(
        [pagefind_binary(), "--site", str(site.output), "--output-path", str(target),
         "--glob", glob, "--quiet"], check=True,
    )  # fmt: skip
    linked = search_index._hashed_files(str(bundle), "nb")
    assert len(linked) >= 5
    assert all((target / n).stat().st_ino == (bundle / n).stat().st_ino for n in linked)
    assert search_index.drop_unused(str(target), "nb")
    assert not stale.exists()
    assert set(search_index._hashed_files(str(target), "nb")) == set(linked)
    assert not search_index.drop_unused(str(tmp_path / "nothing-here"), "nb")
