"""The content store across builds: after a few edits only those files' entries
are written (a journal beside the store), and a new process reads exactly what
the last build saw, whatever is left of the journal."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import tip_text
from tips_core import content_store
from tips_core.content_store import ContentStore
from tips_core.source_file import TIP, Rules

RULES = Rules(("nb",), ZoneInfo("Europe/Oslo"))


def write_tips(folder: Path, count: int) -> list[str]:
    paths = []
    for i in range(count):
        path = folder / f"tip-{i:03}.md"
        path.write_text(
            tip_text(title=f"Tips {i}", date="2021-01-04 09:00", lang="nb", slug=f"tip-{i}"),
            encoding="utf-8",
        )
        paths.append(str(path))
    return paths


def build_once(cache: Path, paths: list[str]) -> ContentStore:
    """What a build does with the store, in a new process."""
    content_store._last = None
    store = ContentStore(RULES, str(cache))
    sources = store.read_all([(path, TIP) for path in paths])
    assert all(source.ok for source in sources), [s.problems for s in sources]
    store.convert_pending(workers=1)
    store.save()
    return store


def edit(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"\n{text}\n")


@pytest.fixture
def site(tmp_path):
    content, cache = tmp_path / "content", tmp_path / "cache"
    content.mkdir()
    return write_tips(content, 100), cache


def store_file(cache: Path) -> Path:
    (path,) = [p for p in cache.glob("content-*.pickle") if not p.name.endswith("-journal.pickle")]
    return path


def test_an_edit_writes_its_entry_alone_and_a_new_process_reads_it(site):
    paths, cache = site
    build_once(cache, paths)
    whole = store_file(cache)
    before = (whole.stat().st_mtime_ns, whole.read_bytes())
    edit(paths[7], "Ny setning.")
    build_once(cache, paths)
    assert (whole.stat().st_mtime_ns, whole.read_bytes()) == before  # not written again
    journal = whole.with_name(whole.stem + "-journal.pickle")
    assert journal.exists() and journal.stat().st_size < whole.stat().st_size / 20
    store = build_once(cache, paths)
    assert store.parsed == 0 and store.converted == 0
    assert "Ny setning." in store.html(paths[7])
    assert "Ny setning." not in store.html(paths[8])


def test_many_edits_write_the_store_whole_and_drop_the_journal(site, monkeypatch):
    monkeypatch.setattr(content_store, "JOURNAL_MIN_ENTRIES", 4)
    paths, cache = site
    build_once(cache, paths)
    for round_ in range(3):  # the journal grows with each build, then the store is rewritten
        for path in paths[round_ * 4 : round_ * 4 + 4]:
            edit(path, f"Runde {round_}.")
        build_once(cache, paths)
    assert [p.name for p in cache.glob("*-journal.pickle")] == []
    store = build_once(cache, paths)
    assert store.parsed == 0
    assert all(f"Runde {i // 4}." in store.html(paths[i]) for i in range(12))


def test_a_removed_file_is_dropped_from_the_journal_too(site):
    paths, cache = site
    build_once(cache, paths)
    store = build_once(cache, paths[1:])
    assert store.entry(paths[0]) is None
    assert build_once(cache, paths[1:]).entry(paths[0]) is None
    again = build_once(cache, paths)  # back: read again, not taken from a stale entry
    assert again.parsed == 1


def test_a_journal_of_an_older_store_is_not_applied(site, monkeypatch):
    paths, cache = site
    build_once(cache, paths)
    edit(paths[3], "Først.")
    build_once(cache, paths)  # journal: tip 3 as "Først."
    journal = next(cache.glob("*-journal.pickle"))
    kept_journal = journal.read_bytes()
    monkeypatch.setattr(content_store, "JOURNAL_MIN_ENTRIES", 0)
    monkeypatch.setattr(content_store, "JOURNAL_SHARE", 0)
    edit(paths[3], "Så.")
    build_once(cache, paths)  # the store written whole, its journal removed
    journal.write_bytes(kept_journal)  # as if an interrupted save had left it
    monkeypatch.undo()
    store = build_once(cache, paths)
    assert store.parsed == 0 and "Så." in store.html(paths[3])


def test_a_damaged_journal_is_ignored_and_its_files_read_again(site, caplog):
    paths, cache = site
    build_once(cache, paths)
    edit(paths[5], "Endret.")
    build_once(cache, paths)
    next(cache.glob("*-journal.pickle")).write_bytes(b"not a pickle")
    with caplog.at_level(logging.WARNING):
        store = build_once(cache, paths)
    assert "unreadable content cache" in caplog.text and "journal" in caplog.text
    assert store.parsed == 1 and "Endret." in store.html(paths[5])


def test_a_process_that_built_before_sees_another_process_s_journal(site):
    """`make serve` keeps the store in memory; `make check` or a build in another
    process may have written a journal since."""
    paths, cache = site
    build_once(cache, paths)
    in_memory = ContentStore(RULES, str(cache))  # this process: from memory
    assert in_memory.read_all([(p, TIP) for p in paths]) and in_memory.parsed == 0
    edit(paths[9], "Fra en annen prosess.")
    os.utime(paths[9])
    content_store._last, kept = None, content_store._last
    other = ContentStore(RULES, str(cache))  # another process
    other.read_all([(p, TIP) for p in paths])
    other.save()
    content_store._last = kept  # back in this process, whose memory is older
    store = ContentStore(RULES, str(cache))
    store.read_all([(p, TIP) for p in paths])
    assert store.parsed == 0  # the other process's entry, read from its journal


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_new_process_parses_exactly_the_files_changed_since_the_last_save(
    site, monkeypatch, seed
):
    """Random rounds of edits, removals and additions, each built by a new
    process, with a journal small enough to be written whole now and then: a
    build parses the files changed since the last one and no other, and holds
    every file's latest text."""
    import random

    monkeypatch.setattr(content_store, "JOURNAL_MIN_ENTRIES", 6)
    paths, cache = site
    rng = random.Random(seed)
    build_once(cache, paths)
    present, latest = list(paths), {}
    for round_ in range(25):
        edited = set(rng.sample(present, rng.randint(0, 4)))
        for path in edited:
            edit(path, f"Runde {round_}.")
            latest[path] = f"Runde {round_}."
        gone = set(rng.sample(sorted(set(present) - edited), rng.randint(0, 2)))
        absent = sorted(set(paths) - set(present))
        back = set(rng.sample(absent, min(len(absent), rng.randint(0, 1))))
        present = [p for p in paths if (p in present and p not in gone) or p in back]
        store = build_once(cache, present)
        assert store.parsed == len(edited - gone) + len(back)
        for path in present:
            assert latest.get(path, "Smile, listen") in store.html(path)
