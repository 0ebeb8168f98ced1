"""Rebuilds render only what changed, and never leave a stale page behind."""

from __future__ import annotations

import datetime
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import weakref
from zoneinfo import ZoneInfo

from tests.conftest import PELICANCONF, REPO, build_site

NOW = datetime.datetime(2021, 2, 1, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))


def three_weeks(content):
    for slug, date, title in (
        ("one", "2021-01-08 09:00", "Første"),
        ("two", "2021-01-15 09:00", "Andre"),
        ("three", "2021-01-22 09:00", "Tredje"),
    ):
        content.tip(title=title, date=date, lang="nb", slug=slug, body=f"Tekst {slug}.")
        content.tip(title=title + " (en)", date=date, lang="en", slug=slug, body=f"Text {slug}.")


def test_an_unchanged_site_renders_nothing(content, tmp_path):
    three_weeks(content)
    first = build_site(tmp_path, content, now=NOW)
    second = build_site(tmp_path, content, now=NOW)
    assert first.summary.pages_rendered > 0
    assert second.summary.pages_rendered == 0
    assert second.summary.pages_unchanged == first.summary.pages_rendered


def test_editing_a_tip_updates_every_page_that_shows_it(content, tmp_path):
    three_weeks(content)
    build_site(tmp_path, content, now=NOW)
    path = content.tip(
        title="Andre, bedre", date="2021-01-15 09:00", lang="nb", slug="two", body="Ny tekst."
    )
    site = build_site(tmp_path, content, now=NOW)
    assert "Ny tekst." in site.html("2021/w02/two/").select_one(".tip__body").text
    # Its neighbours' week links, its week, the archive, the feed show the new title.
    assert "Andre, bedre" in site.html("2021/w01/one/").select_one('a[rel="next"]').text
    assert "Andre, bedre" in site.html("2021/w03/three/").select_one('a[rel="prev"]').text
    assert "Andre, bedre" in site.html("2021/w02/").text
    assert "Andre, bedre" in site.html("archive/").text
    assert "Andre, bedre" in site.path("feeds/atom.xml").read_text("utf-8")
    # The English pages do not show the Norwegian tip: they were not rendered.
    assert site.summary.pages_rendered < site.summary.pages_unchanged
    assert "Andre, bedre" not in site.html("en/2021/w01/one/").text
    assert path.exists()


def test_a_removed_tip_leaves_no_page_behind(content, tmp_path):
    three_weeks(content)
    build_site(tmp_path, content, now=NOW)
    for lang in ("nb", "en"):
        (content.root / f"tips/2021/2021-w03-three.{lang}.md").unlink()
    site = build_site(tmp_path, content, now=NOW)
    assert not site.exists("2021/w03/three/")
    assert not site.exists("en/2021/w03/")
    assert "2021/w03/three/index.html" in site.summary.removed
    assert site.html("2021/w02/two/").select('a[rel="next"]') == []


def test_a_renamed_slug_moves_the_page(content, tmp_path):
    three_weeks(content)
    build_site(tmp_path, content, now=NOW)
    (content.root / "tips/2021/2021-w01-one.nb.md").unlink()
    content.tip(title="Første", date="2021-01-08 09:00", lang="nb", slug="first", body="Tekst.")
    site = build_site(tmp_path, content, now=NOW)
    assert site.exists("2021/w01/first/")
    assert not site.exists("2021/w01/one/")


def test_the_sitemap_lists_unchanged_pages_too(content, tmp_path):
    three_weeks(content)
    first = build_site(tmp_path, content, now=NOW).path("sitemap.xml").read_text("utf-8")
    second_site = build_site(tmp_path, content, now=NOW)
    assert second_site.summary.pages_rendered == 0
    assert second_site.path("sitemap.xml").read_text("utf-8") == first
    assert "/2021/w02/two/</loc>" in first


def indexed_pages(site) -> dict[str, int]:
    entry = json.loads(site.path("pagefind/pagefind-entry.json").read_text("utf-8"))
    return {lang: info["page_count"] for lang, info in entry["languages"].items()}


def test_search_is_reindexed_only_when_a_tip_page_changed(content, tmp_path):
    three_weeks(content)
    content.page(title="Om", lang="nb", slug="about")
    first = build_site(tmp_path, content, now=NOW)
    assert indexed_pages(first) == {"nb": 3, "en": 3}
    content.page(title="Om", lang="nb", slug="about", body="Mer om oss.")
    unchanged = build_site(tmp_path, content, now=NOW)
    assert unchanged.summary.pages_rendered == 1  # the about page alone
    assert unchanged.summary.search is None  # no tip page changed: the index stands
    assert indexed_pages(unchanged) == {"nb": 3, "en": 3}
    (content.root / "tips/2021/2021-w03-three.en.md").unlink()
    removed = build_site(tmp_path, content, now=NOW)
    assert removed.summary.search is not None
    assert indexed_pages(removed) == {"nb": 3, "en": 2}  # the removed tip is not found


def test_a_new_process_reuses_the_last_build_whatever_its_hash_seed(content, tmp_path):
    """`make build` in CI and hooks is a new process each time, with another hash
    seed: the render keys must not depend on it, or every page is rendered again."""
    three_weeks(content)
    command = [
        sys.executable, "-m", "scripts.build", "--settings", PELICANCONF,
        "--content", str(content.root), "--output", str(tmp_path / "output"),
        "--cache", str(tmp_path / "cache"),
    ]  # fmt: skip
    outputs = []
    for seed in ("1", "2"):
        result = subprocess.run(
            command,
            cwd=REPO,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert re.search(r"Wrote [1-9]\d* pages", outputs[0])
    assert re.search(r"Wrote 0 pages .*\(\d+ unchanged, 0 removed\)", outputs[1]), outputs[1]


def bundle_files(site) -> dict[str, tuple[int, bytes]]:
    """The search index's files: inode (a file left alone keeps it) and bytes."""
    root = site.output / "pagefind"
    return {
        str(p.relative_to(root)): (p.stat().st_ino, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def entry_of(site) -> dict:
    return json.loads(site.path("pagefind/pagefind-entry.json").read_text("utf-8"))


def test_an_edit_indexes_its_language_again_and_no_other(content, tmp_path):
    three_weeks(content)
    build_site(tmp_path / "inc", content, now=NOW)
    before = bundle_files(build_site(tmp_path / "inc", content, now=NOW))
    content.tip(title="Andre (en)", date="2021-01-15 09:00", lang="en", slug="two",
                body="Text two, searchable as zanzibar.")  # fmt: skip
    after_site = build_site(tmp_path / "inc", content, now=NOW)
    after = bundle_files(after_site)
    nb = [name for name in before if name.startswith(("index/nb_", "fragment/nb_"))]
    assert nb and all(after[name] == before[name] for name in nb)  # not even rewritten
    assert {n for n in after if "en_" in n} != {n for n in before if "en_" in n}
    # The same index a clean build makes, and nothing of the old English one left.
    clean = build_site(tmp_path / "clean", content, now=NOW)
    assert {n: b for n, (_, b) in after.items()} == {
        n: b for n, (_, b) in bundle_files(clean).items()
    }  # the entry file too, byte for byte


def test_a_language_whose_last_tip_is_removed_leaves_the_index(content, tmp_path):
    three_weeks(content)
    build_site(tmp_path, content, now=NOW)
    for slug, week in (("one", 1), ("two", 2), ("three", 3)):
        (content.root / f"tips/2021/2021-w0{week}-{slug}.en.md").unlink()
    site = build_site(tmp_path, content, now=NOW)
    assert indexed_pages(site) == {"nb": 3}
    assert not [n for n in bundle_files(site) if "en_" in n or n == "wasm.en.pagefind"]


def test_an_index_of_another_pagefind_version_is_made_again_whole(content, tmp_path):
    three_weeks(content)
    first = build_site(tmp_path, content, now=NOW)
    entry_file = first.path("pagefind/pagefind-entry.json")
    entry = entry_of(first)
    entry_file.write_text(json.dumps({**entry, "version": "0.0.1"}), "utf-8")
    before = bundle_files(first)
    content.tip(title="Andre (en)", date="2021-01-15 09:00", lang="en", slug="two", body="New.")
    site = build_site(tmp_path, content, now=NOW)
    assert entry_of(site)["version"] == entry["version"]
    after = bundle_files(site)
    nb = [name for name in before if name.startswith("fragment/nb_")]
    assert nb and all(after[name][0] != before[name][0] for name in nb)  # written again
    assert indexed_pages(site) == {"nb": 3, "en": 3}


def test_a_fresh_checkout_reuses_the_caches_by_content(content, tmp_path):
    """CI restores cache/ and output/ into a new checkout, where every file has
    a new modification time: the bytes decide what changed."""
    three_weeks(content)
    build_site(tmp_path, content, now=NOW)
    later = datetime.datetime.now().timestamp() + 3600
    for path in content.root.rglob("*.md"):
        os.utime(path, (later, later))
    edited = content.root / "tips/2021/2021-w02-two.nb.md"
    edited.write_text(edited.read_text("utf-8").replace("Tekst two.", "Tekst TWO."), "utf-8")
    os.utime(edited, (later, later))  # its time and size are those of the touched ones
    site = build_site(tmp_path, content, now=NOW)
    assert site.summary.context.store.parsed == 1  # the edited file alone
    assert "Tekst TWO." in site.html("2021/w02/two/").select_one(".tip__body").text
    assert 0 < site.summary.pages_rendered < site.summary.pages_unchanged


def test_a_long_running_process_keeps_the_content_store_in_memory(content, tmp_path, monkeypatch):
    """`make serve` rebuilds in one process: the store it saved is not read back,
    unless something else wrote the file since."""
    from tips_core import content_store

    three_weeks(content)
    build_site(tmp_path, content, now=NOW)
    loads = []
    real_load = content_store.pickle.load

    def load(handle):  # the store's file (Jinja's compiled templates use pickle too)
        if os.path.basename(handle.name).startswith("content-"):
            loads.append(handle)
        return real_load(handle)

    monkeypatch.setattr(content_store.pickle, "load", load)
    content.tip(title="Andre", date="2021-01-15 09:00", lang="nb", slug="two", body="Ny tekst.")
    site = build_site(tmp_path, content, now=NOW)
    assert loads == [] and site.summary.context.store.parsed == 1
    assert "Ny tekst." in site.html("2021/w02/two/").select_one(".tip__body").text
    # Another process wrote the store: this one reads it again.
    (journal,) = (tmp_path / "cache").glob("content-*-journal.pickle")  # the edit's entry
    journal.write_bytes(journal.read_bytes())
    again = build_site(tmp_path, content, now=NOW)
    # The store and its journal, read again.
    assert sorted(handle.name.endswith("-journal.pickle") for handle in loads) == [False, True]
    assert again.summary.context.store.parsed == 0


def test_a_long_running_process_lets_go_of_each_builds_tips(content, tmp_path):
    """`make serve` builds again at every save: the tips of the builds before
    must not stay in memory (Pelican caches each tip's text by the tip)."""
    from pelican import signals

    earlier = []

    def note(generator):
        earlier.extend(weakref.ref(a) for a in generator.articles + generator.translations)

    three_weeks(content)
    signals.article_generator_finalized.connect(note)
    try:
        build_site(tmp_path, content, now=NOW)
    finally:
        signals.article_generator_finalized.disconnect(note)
    assert len(earlier) == 6
    for attempt in range(2):
        content.tip(title="Andre", date="2021-01-15 09:00", lang="nb", slug="two",
                    body=f"Ny tekst {attempt}.")  # fmt: skip
        site = build_site(tmp_path, content, now=NOW)
        assert f"Ny tekst {attempt}." in site.html("2021/w02/two/").select_one(".tip__body").text
    gc.collect()
    assert [ref() for ref in earlier if ref() is not None] == []


def test_a_translations_address_reaches_its_sibling_and_its_text_does_not(content, tmp_path):
    """A tip page shows its translations' addresses (hreflang links), not their
    text: editing a translation's text leaves its sibling's page as it was;
    a translation whose slug changes (translations share a slug) is no longer
    linked from it."""
    three_weeks(content)
    nb_page = "2021/w02/two/"
    written = build_site(tmp_path, content, now=NOW).path(nb_page + "index.html").stat().st_mtime_ns
    en_file = content.root / "tips/2021/2021-w02-two.en.md"
    en_file.write_text(en_file.read_text("utf-8").replace("Text two.", "Text two, longer."))
    site = build_site(tmp_path, content, now=NOW)
    assert "longer" in site.html("en/2021/w02/two/").select_one(".tip__body").text
    assert site.path(nb_page + "index.html").stat().st_mtime_ns == written
    english = 'link[rel="alternate"][hreflang="en"]'
    assert site.html(nb_page).select_one(english)["href"].endswith("/en/2021/w02/two/")
    en_file.write_text(en_file.read_text("utf-8").replace("slug: two", "slug: second"))
    site = build_site(tmp_path, content, now=NOW)
    assert site.html(nb_page).select_one(english) is None
    clean = build_site(tmp_path / "clean", content, now=NOW)
    assert (
        site.path(nb_page + "index.html").read_bytes()
        == clean.path(nb_page + "index.html").read_bytes()
    )


def test_a_removed_image_leaves_the_site(content, tmp_path):
    """Pelican copies images itself; one removed from content/ is removed from
    the site, as a clean build would not have it."""
    three_weeks(content)
    image = content.root / "images" / "smile.svg"
    image.parent.mkdir()
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    site = build_site(tmp_path, content, now=NOW)
    assert site.exists("images/smile.svg")
    image.unlink()
    site = build_site(tmp_path, content, now=NOW)
    assert not site.exists("images/smile.svg")
    assert "images/smile.svg" in site.summary.removed


def test_a_new_build_compiles_no_template_again(content, tmp_path, monkeypatch):
    """Compiled templates are kept in the cache (template_cache.py): a build
    after an edit compiles none, yet shows an edited template at once."""
    import jinja2

    three_weeks(content)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme, ignore=shutil.ignore_patterns("*.mo"))
    build_site(tmp_path, content, now=NOW, THEME=str(theme))
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return compile_template(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    content.tip(title="Andre", date="2021-01-15 09:00", lang="nb", slug="two", body="Ny tekst.")
    site = build_site(tmp_path, content, now=NOW, THEME=str(theme))
    assert "Ny tekst." in site.html("2021/w02/two/").text
    assert compiled == []
    article = theme / "templates" / "article.html"
    article.write_text(
        article.read_text("utf-8").replace("</article>", "<p>Redigert mal</p></article>", 1),
        "utf-8",
    )
    site = build_site(tmp_path, content, now=NOW, THEME=str(theme))
    assert "Redigert mal" in site.html("2021/w02/two/").text
    assert "article.html" in compiled
