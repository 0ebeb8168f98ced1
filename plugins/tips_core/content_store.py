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

import hashlib
import logging
import multiprocessing
import os
import pickle
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


# The store this process read or saved last, kept in memory while its file is
# as it was: `make serve` rebuilds without reading 5,000 entries back from disk.
_last: tuple[str, tuple[int, int, int], dict[str, Entry]] | None = None


def _remember(path: str, entries: dict[str, Entry]) -> None:
    global _last
    _last = (path, _file_identity(path), entries)


def _file_identity(path: str) -> tuple[int, int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0, 0)
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


class ContentStore:
    def __init__(self, rules: Rules, cache_dir: str | None = None):
        self.rules = rules
        self.path = (
            os.path.join(cache_dir, f"content-{store_fingerprint(rules)}.pickle")
            if cache_dir
            else None
        )
        self._entries: dict[str, Entry] = self._load()
        self._seen: set[str] = set()
        self._changed = False  # anything to save
        self.parsed = 0  # files parsed this build (not taken from the store)
        self.converted = 0

    def _load(self) -> dict[str, Entry]:
        if not self.path or not os.path.exists(self.path):
            return {}
        identity = _file_identity(self.path)
        if _last is not None and _last[:2] == (self.path, identity):
            return _last[2]  # what this process read or saved there, still in memory
        try:
            with open(self.path, "rb") as handle:
                entries = pickle.load(handle)
        except Exception as exc:  # a damaged file can raise anything pickle can
            logger.warning("Ignoring an unreadable content cache %s: %s", self.path, exc)
            return {}
        if not isinstance(entries, dict) or not all(
            isinstance(path, str) and isinstance(entry, Entry) for path, entry in entries.items()
        ):
            logger.warning("Ignoring a content cache of another shape: %s", self.path)
            return {}
        _remember(self.path, entries)
        return entries

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
            found[index] = source
        self.parsed += len(missing)
        self._changed |= bool(missing)
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
            self._changed = True
        return stamp, "", entry.source

    def convert_pending(self, workers: int | None = None) -> None:
        """Convert the Markdown of every good file read this build that has no HTML yet."""
        pending = [
            entry
            for path, entry in self._entries.items()
            if path in self._seen and entry.html is None and entry.source.ok
        ]
        if not pending:
            return
        bodies = [entry.source.body for entry in pending]
        workers = workers or os.cpu_count() or 1
        if workers > 1 and len(pending) >= PARALLEL_THRESHOLD:
            htmls = self._convert_parallel(bodies, workers)
        else:
            converter = new_converter()
            htmls = [converter.reset().convert(body) for body in bodies]
        for entry, html in zip(pending, htmls, strict=True):
            entry.html = html
            self._changed = True
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
        entry = self._entries[os.path.abspath(path)]
        if entry.html is None:
            entry.html = new_converter().convert(entry.source.body)
            self._changed = True
            self.converted += 1
        return entry.html

    def save(self) -> None:
        """Keep what this build saw (files that vanished are dropped)."""
        if not self.path:
            return
        kept = {path: entry for path, entry in self._entries.items() if path in self._seen}
        if not self._changed and len(kept) == len(self._entries) and os.path.exists(self.path):
            return  # the file holds this already
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with atomic_open(self.path, "wb") as handle:
            pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
        _remember(self.path, kept)
        self._entries, self._changed = kept, False
