"""Every content file parsed once, converted once, and kept across builds.

Converting Markdown is most of a build's cost. The store keeps, per file, the
parsed front matter (with its problems), the file's own content problems
(``file_rules.py``: raw HTML, remote images) and the converted HTML, keyed by the
file's modification time and size and, when those changed, by its bytes (a new
checkout touches every file), so a rebuild only parses and converts the files
that changed. New or changed files are converted in parallel on all
cores. ``make check``, the build's own check and Pelican's reader all read
through the store, so each file is parsed once per build.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import pickle
import secrets
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import markdown
import nh3

from .file_rules import RULE_MODULES, own_problems
from .fingerprint import fingerprint
from .forked import map_each_forked
from .problems import Problem
from .safe_write import atomic_open
from .source_file import Rules, SourceFile, read_source_bytes

logger = logging.getLogger(__name__)

MARKDOWN_EXTENSIONS = ("extra", "sane_lists")
# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 64
# Modules whose code shapes what is stored: a change to them empties the store.
_STORED_BY = ("content_store.py", "source_file.py", "yaml_loader.py", *RULE_MODULES)


def new_converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")


_worker_converter: markdown.Markdown | None = None


def _convert_in_worker(bodies: list[str]) -> list[str]:
    global _worker_converter  # one converter per worker process, reused for its batches
    if _worker_converter is None:
        _worker_converter = new_converter()
    return [_worker_converter.reset().convert(body) for body in bodies]


@dataclass
class Entry:
    stamp: tuple[int, int]  # (mtime_ns, size): unchanged at a glance
    source: SourceFile
    problems: list[Problem]  # file_rules.own_problems, found as it was parsed
    html: str | None = None
    digest: str = ""  # of the bytes parsed: unchanged, though touched (a new checkout)


def file_stamp(path: str) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size


def file_digest(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return bytes_digest(handle.read())
    except OSError:
        return ""


def bytes_digest(raw: bytes) -> str:
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()


def store_fingerprint(rules: Rules) -> str:
    """Changes whenever stored entries could differ: our parsing code, the
    Markdown version, or the rules the parser applies."""
    here = os.path.dirname(__file__)
    return fingerprint(
        (
            markdown.__version__,
            nh3.__version__,  # the raw HTML rule asks nh3 what an email keeps
            sorted(MARKDOWN_EXTENSIONS),
            rules.languages,
            str(rules.timezone),
            rules.series,
        ),
        [os.path.join(here, name) for name in _STORED_BY],
    )[:16]


# A save after a few files changed writes those entries alone to a journal
# beside the store (rewriting 5,000 entries took 0.3 s of a build after one
# edit); once the journal holds this many of them, the store is written whole.
JOURNAL_MIN_ENTRIES = 64
JOURNAL_SHARE = 0.1  # ... or this share of the store's entries, if more

# The store this process read or saved last, kept in memory while its files are
# as they were: `make serve` rebuilds without reading 5,000 entries back from disk.
_last: tuple[str, tuple, _Loaded] | None = None


@dataclass
class _Loaded:
    entries: dict[str, Entry]
    token: str  # the store file's, named by its journal
    journaled: set[str]  # paths whose entry (or absence) the journal holds


def _remember(path: str, journal: str, loaded: _Loaded) -> None:
    global _last
    _last = (path, _identities(path, journal), loaded)


def _identities(path: str, journal: str) -> tuple:
    return _file_identity(path), _file_identity(journal)


def _file_identity(path: str) -> tuple[int, int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0, 0)
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


class ContentStore:
    def __init__(self, rules: Rules, cache_dir: str | None = None):
        self.rules = rules
        name = f"content-{store_fingerprint(rules)}"
        self.path = os.path.join(cache_dir, f"{name}.pickle") if cache_dir else None
        # The entries that changed since the store file was written (a CI
        # cache restores both files by the pattern content-*.pickle).
        self.journal = os.path.join(cache_dir, f"{name}-journal.pickle") if cache_dir else ""
        loaded = self._load()
        self._entries = loaded.entries
        self._token, self._journaled = loaded.token, loaded.journaled
        self._dirty: set[str] = set()  # entries added or changed since loaded
        self._seen: set[str] = set()
        self.parsed = 0  # files parsed this build (not taken from the store)
        self.converted = 0

    def _load(self) -> _Loaded:
        empty = _Loaded({}, "", set())
        if not self.path or not os.path.exists(self.path):
            return empty
        if _last is not None and _last[:2] == (self.path, _identities(self.path, self.journal)):
            # What this process read or saved there, still in memory: a copy,
            # so that this build's changes are its own until it saves them.
            last = _last[2]
            return _Loaded(dict(last.entries), last.token, set(last.journaled))
        stored = self._read(self.path)
        if stored is None:
            return empty
        token, entries = stored
        journaled: set[str] = set()
        journal = self._read(self.journal) if os.path.exists(self.journal) else None
        if journal is not None and journal[0] == token:  # else it was of an older store
            for path, entry in journal[1].items():
                journaled.add(path)
                if entry is None:
                    entries.pop(path, None)
                else:
                    entries[path] = entry
        loaded = _Loaded(entries, token, journaled)
        _remember(self.path, self.journal, _Loaded(dict(entries), token, set(journaled)))
        return loaded

    @staticmethod
    def _read(path: str) -> tuple[str, dict[str, Entry | None]] | None:
        """A store file or its journal: its token and entries (None: a removed
        file, in a journal), or None, with a warning, when it cannot be used."""
        try:
            with open(path, "rb") as handle:
                data = pickle.load(handle)
        except Exception as exc:  # a damaged file can raise anything pickle can
            logger.warning("Ignoring an unreadable content cache %s: %s", path, exc)
            return None
        token, entries = data if isinstance(data, tuple) and len(data) == 2 else (None, None)
        if not (
            isinstance(token, str)
            and isinstance(entries, dict)
            and all(
                isinstance(path, str) and (entry is None or isinstance(entry, Entry))
                for path, entry in entries.items()
            )
        ):
            logger.warning("Ignoring a content cache of another shape: %s", path)
            return None
        return token, entries

    def read(self, path: str, kind: str) -> SourceFile:
        """The parsed file: from the store when unchanged, else read now."""
        return self.read_all([(path, kind)])[0]

    def read_all(self, files: list[tuple[str, str]]) -> list[SourceFile]:
        """Each (path, kind) parsed: from the store when unchanged, the others
        read now, on all cores when there are many (a new site, a new checkout)."""
        found: list[SourceFile | None] = []
        missing: list[tuple[int, str, str, tuple[int, int], str]] = []
        for path, kind in files:
            path = os.path.abspath(path)
            self._seen.add(path)
            stamp, digest, source = self._stored(path, kind)
            if source is None:
                missing.append((len(found), path, kind, stamp, digest))
            found.append(source)
        rules = self.rules

        def read_one(item: tuple[int, str, str, tuple[int, int], str]) -> tuple:
            _, path, kind, _, digest = item
            source, raw = read_source_bytes(path, kind, rules)
            digest = digest or (bytes_digest(raw) if raw else file_digest(path))
            return digest, source, own_problems(source)

        for (index, path, _, stamp, _), (digest, source, problems) in zip(
            missing, map_each_forked(read_one, missing), strict=True
        ):
            self._entries[path] = Entry(stamp, source, problems, digest=digest)
            self._dirty.add(path)
            found[index] = source
        self.parsed += len(missing)
        return found  # type: ignore[return-value]  # every None was filled

    def _stored(self, path: str, kind: str) -> tuple[tuple[int, int], str, SourceFile | None]:
        """The file's stamp, its digest if this had to read it, and the stored
        parse if it still holds."""
        try:
            stamp = file_stamp(path)
        except OSError:
            stamp = (0, 0)
        entry = self._entries.get(path)
        if entry is None or entry.source.kind != kind:
            return stamp, "", None
        if entry.stamp != stamp:
            # A fresh checkout (CI) gives every file a new time: the bytes decide.
            digest = file_digest(path)
            if not digest or digest != entry.digest:
                return stamp, digest, None
            entry.stamp = stamp
            self._dirty.add(path)
        return stamp, "", entry.source

    def convert_pending(self, workers: int | None = None) -> None:
        """Convert the Markdown of every good file read this build that has no HTML yet."""
        paths = [
            path
            for path, entry in self._entries.items()
            if path in self._seen and entry.html is None and entry.source.ok
        ]
        if not paths:
            return
        pending = [self._entries[path] for path in paths]
        self._dirty.update(paths)
        bodies = [entry.source.body for entry in pending]
        workers = workers or os.cpu_count() or 1
        if workers > 1 and len(pending) >= PARALLEL_THRESHOLD:
            htmls = self._convert_parallel(bodies, workers)
        else:
            converter = new_converter()
            htmls = [converter.reset().convert(body) for body in bodies]
        for entry, html in zip(pending, htmls, strict=True):
            entry.html = html
        self.converted += len(pending)

    @staticmethod
    def _convert_parallel(bodies: list[str], workers: int) -> list[str]:
        # Batches keep the inter-process traffic to a few large messages.
        size = max(16, len(bodies) // (workers * 8))
        batches = [bodies[i : i + size] for i in range(0, len(bodies), size)]
        method = "fork" if sys.platform.startswith("linux") else None
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return [html for batch in pool.map(_convert_in_worker, batches) for html in batch]

    def own_problems(self, source: SourceFile) -> list[Problem]:
        """The file's problems by itself (``file_rules``), as stored with its parse."""
        entry = self._entries.get(source.path)
        if entry is None or entry.source is not source:
            return own_problems(source)  # not a file this store read
        return entry.problems

    def entry(self, path: str) -> Entry | None:
        return self._entries.get(os.path.abspath(path))

    def html(self, path: str) -> str:
        """The converted body of a good file (converting it now if needed)."""
        path = os.path.abspath(path)
        entry = self._entries[path]
        if entry.html is None:
            entry.html = new_converter().convert(entry.source.body)
            self._dirty.add(path)
            self.converted += 1
        return entry.html

    def save(self) -> None:
        """Keep what this build saw (files that vanished are dropped): the
        entries changed since the store file was written go to its journal,
        or, when they are many, the whole store is written anew."""
        if not self.path:
            return
        removed = {path for path in self._entries if path not in self._seen}
        changed = self._dirty - removed
        if not changed and not removed and os.path.exists(self.path):
            return  # the files hold this already
        kept = {path: entry for path, entry in self._entries.items() if path in self._seen}
        journaled = self._journaled | changed | removed
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        if self._token and len(journaled) <= max(JOURNAL_MIN_ENTRIES, len(kept) * JOURNAL_SHARE):
            journal = {path: kept.get(path) for path in sorted(journaled)}
            with atomic_open(self.journal, "wb") as handle:
                pickle.dump((self._token, journal), handle, protocol=pickle.HIGHEST_PROTOCOL)
        else:
            journaled, self._token = set(), secrets.token_hex(8)
            with atomic_open(self.path, "wb") as handle:
                pickle.dump((self._token, kept), handle, protocol=pickle.HIGHEST_PROTOCOL)
            # Of the store it replaced: a journal names its store's token, so one
            # left behind by an interrupted save is never applied to this one.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.journal)
        self._entries, self._journaled, self._dirty = kept, journaled, set()
        _remember(self.path, self.journal, _Loaded(dict(kept), self._token, set(journaled)))
