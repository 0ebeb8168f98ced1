"""The site's search index: pagefind, run over the built pages.

Pagefind reads the finished HTML (so it indexes exactly what readers see),
splits the index by each page's ``<html lang>`` and writes it, with the small
script the search page loads, under ``<output>/pagefind/``. Only elements
marked ``data-pagefind-body`` (the tip on a tip page) are indexed, so lists
and home pages do not repeat a tip in the results.

Pagefind adds to the folder it writes and never removes a chunk of an earlier
index (its chunk names are hashes of their content), so each index is written
to a new folder and then moved into place: files of the new index first, the
entry file last, then whatever the new index does not hold is removed.

The binary ships inside the pinned ``pagefind-bin`` wheel: nothing is
downloaded at build time.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pagefind.service import get_executable

from tips_core.errors import BuildError, ConfigurationError
from tips_core.safe_write import atomic_open

logger = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"
ENTRY_FILE = "pagefind-entry.json"
NEW_BUNDLE_PREFIX = ".pagefind-new-"  # a hidden folder in the output, while indexing
TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class SearchIndex:
    pages: int
    languages: int
    seconds: float


def search_enabled(settings: Mapping[str, Any]) -> bool:
    value = settings.get("TIPS_SEARCH", True)
    if not isinstance(value, bool):
        raise ConfigurationError(f"TIPS_SEARCH: must be True or False, not {value!r}")
    return value


def pagefind_binary() -> str:
    """The pagefind executable (PAGEFIND_BINARY_PATH overrides the wheel's)."""
    try:
        path = get_executable()
    except FileNotFoundError:
        path = None
    if path is None or not os.path.isfile(path):
        raise ConfigurationError(
            "PAGEFIND_BINARY_PATH: no pagefind binary found; run `make build` to install "
            "the pinned requirements (pagefind-bin), or point PAGEFIND_BINARY_PATH at one"
        )
    return str(path)


def tip_pages_glob(settings: Mapping[str, Any], languages: Iterable[str] | None = None) -> str:
    """A glob matching every tip page, from ARTICLE_SAVE_AS and ARTICLE_LANG_SAVE_AS;
    with ``languages``, the tip pages of those languages only.

    Only tip pages hold indexable text (``data-pagefind-body``); sparing
    pagefind the thousands of list pages halves its time.
    """
    if languages is None:
        patterns = {
            _glob(settings[key]) for key in ("ARTICLE_SAVE_AS", "ARTICLE_LANG_SAVE_AS")
            if settings.get(key)
        }  # fmt: skip
    else:
        patterns = {_language_glob(settings, lang) for lang in languages}
    return "{" + ",".join(sorted(patterns)) + "}" if len(patterns) > 1 else patterns.pop()


def _glob(save_as: str) -> str:
    return re.sub(r"\{[^}]*\}", "*", save_as)


def _language_glob(settings: Mapping[str, Any], lang: str) -> str:
    """The default language's tips are saved as ARTICLE_SAVE_AS, the others' as
    ARTICLE_LANG_SAVE_AS (tips_core.urls.content_location)."""
    key = "ARTICLE_SAVE_AS" if lang == settings.get("DEFAULT_LANG") else "ARTICLE_LANG_SAVE_AS"
    return _glob(settings[key].replace("{lang}", lang))


def tip_page_language(
    settings: Mapping[str, Any], languages: Iterable[str], name: str
) -> str | None:
    """The language whose tip-page glob ``name`` matches (a glob's ``*`` stays
    within one folder, as pagefind's does)."""
    default = settings.get("DEFAULT_LANG")
    for lang in sorted(languages, key=lambda lang: lang == default):  # prefixed ones first
        pattern = re.escape(_language_glob(settings, lang)).replace(r"\*", "[^/]*")
        if re.fullmatch(pattern, name):
            return lang
    return None


class SearchJob:
    """pagefind, run in the background as soon as the tip pages are written.

    The build goes on rendering weeks, lists and feeds while pagefind indexes;
    the pipeline waits for it at the end. Pagefind writes each language's
    index to files of its own, so languages are indexed one after another,
    each by a pagefind process of its own, and merged (``merge_bundle``): the
    same files one run over every language writes, with a fifth of its memory
    held at a time. After an edit only the edited tips' languages are indexed
    again and merged into the index there is (``start(languages)``).
    """

    def __init__(self, output_path: str, settings: Mapping[str, Any], live: Iterable[str] = ()):
        self.output_path = output_path
        self.settings = settings
        self.live = set(live)  # the languages with tips on the site
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen | None = None
        self._stopped = threading.Event()
        self._failure: Exception | None = None
        self._started = 0.0
        self._new_bundle: str | None = None
        self._replaced: set[str] | None = None  # the languages merged; None: all
        self._ran = False

    @property
    def started(self) -> bool:
        return self._ran

    def start(self, languages: Iterable[str] | None = None) -> None:
        """Index every tip page; with ``languages``, those languages' only,
        merged into the index in the output (the index of a language no longer
        live is dropped)."""
        if self._ran:
            return
        self._ran = True
        self._started = time.perf_counter()
        live = self.live
        entry = _entry_or_none(self.output_path) if languages is not None else None
        if entry is None:
            # Everything; by language when they are known (one run of all otherwise).
            groups: list[list[str] | None] = [[lang] for lang in sorted(live)] or [None]
            self._replaced = None
        else:
            gone = set(entry.get("languages", {})) - live  # e.g. a language no longer built
            self._replaced = set(languages) | gone
            groups = [[lang] for lang in sorted(self._replaced & live)]
            if not groups:
                return  # only dropping: done in wait()
        binary = pagefind_binary()
        remove_new_bundles(self.output_path)  # of a build that was interrupted
        self._new_bundle = tempfile.mkdtemp(prefix=NEW_BUNDLE_PREFIX, dir=self.output_path)
        self._thread = threading.Thread(
            target=self._index, args=(binary, groups), name="pagefind", daemon=True
        )
        self._thread.start()

    def _index(self, binary: str, groups: list[list[str] | None]) -> None:
        """Index each group of languages in turn into the new bundle (in the
        background thread); a failure is kept for ``wait`` to raise.

        The next group's pagefind starts before this one's files are merged:
        the merge runs in this thread of the build process, which renders
        pages meanwhile, and pagefind need not wait for it."""
        assert self._new_bundle is not None
        try:
            targets = [
                # The first group writes the new bundle; the others write beside it
                # and are merged in, as an edit's languages are into the site's.
                self._new_bundle if number == 0 else self._new_bundle + f"-{number}"
                for number in range(len(groups))
            ]
            running = self._launch(binary, targets[0], groups[0])
            for number, group in enumerate(groups):
                self._finish(running)
                if self._stopped.is_set():
                    return
                if self._replaced is not None and group:  # an edit's language
                    self._drop_unused(binary, targets[number], group)
                if number + 1 < len(groups):
                    running = self._launch(binary, targets[number + 1], groups[number + 1])
                if number > 0:
                    if not merge_bundle(targets[number], self._new_bundle, set(group or ())):
                        raise BuildError("the search index (pagefind) changed version while it ran")
                    shutil.rmtree(targets[number], ignore_errors=True)
            entry = _bundle_entry(self._new_bundle)
            if entry is None:
                raise BuildError(f"the search index (pagefind) wrote no readable {ENTRY_FILE}")
            _write_entry(self._new_bundle, entry)
        except BuildError as exc:
            self._failure = exc
        except OSError as exc:  # a full disk, say: the build says so and fails
            self._failure = BuildError(f"the search index could not be written: {exc}")
        except Exception as exc:  # a bug of ours: raised as it is, in the build's thread
            self._failure = exc
        finally:
            if self._process is not None and self._process.poll() is None:
                self._process.kill()  # started for a group a failure left unindexed
                self._process.wait()

    def _drop_unused(self, binary: str, target: str, group: list[str]) -> None:
        """After an edit's language was indexed into ``target`` over the chunks
        linked from the site's index: those its index no longer names go. If
        its index cannot be read, the language is indexed again from nothing."""
        if not drop_unused(target, group[0]):
            shutil.rmtree(target, ignore_errors=True)
            self._finish(self._launch(binary, target, group, link=False))

    def _launch(
        self, binary: str, output: str, group: list[str] | None, link: bool = True
    ) -> subprocess.Popen:
        if link and self._replaced is not None and group:
            link_unchanged(os.path.join(self.output_path, BUNDLE_DIR), output, group[0])
        glob = tip_pages_glob(self.settings, group)
        command = [
            binary, "--site", self.output_path, "--output-path", output, "--glob", glob, "--quiet"
        ]  # fmt: skip
        try:
            self._process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except OSError as exc:
            raise BuildError(f"the search index (pagefind) could not run: {exc}") from exc
        if self._stopped.is_set():  # cancelled while it started
            self._process.kill()
        return self._process

    def _finish(self, process: subprocess.Popen) -> None:
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            process.kill()
            process.wait()
            raise BuildError(f"the search index (pagefind) did not finish: {exc}") from exc
        if self._stopped.is_set():
            return
        if process.returncode != 0:
            detail = (stderr or stdout).strip()
            raise BuildError(f"the search index (pagefind) failed: {detail}")
        for line in stderr.splitlines():
            if line.strip():
                logger.warning("pagefind: %s", line.strip())

    def wait(self) -> SearchIndex:
        """Finish the index (starting it now if nothing did); raise BuildError on failure."""
        self.start()
        bundle = os.path.join(self.output_path, BUNDLE_DIR)
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._failure is not None:
            raise self._failure
        assert self._new_bundle is not None or self._replaced is not None
        if self._replaced is None:
            replace_bundle(self._new_bundle, bundle)
        elif not merge_bundle(self._new_bundle, bundle, self._replaced):
            # Another pagefind version wrote the rest: index everything again.
            self._remove_new_bundle()
            self._ran = False
            self.start()
            return self.wait()
        self._remove_new_bundle()
        seconds = time.perf_counter() - self._started
        summary = _read_entry(self.output_path)
        logger.info(
            "Search index: %d pages in %d languages in %.2f s",
            summary.pages,
            summary.languages,
            seconds,
        )
        return SearchIndex(summary.pages, summary.languages, seconds)

    def cancel(self) -> None:
        self._stopped.set()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._remove_new_bundle()

    def _remove_new_bundle(self) -> None:
        if self._new_bundle is not None:
            remove_new_bundles(self.output_path)
            self._new_bundle = None


# pagefind's files of one language: pagefind.<lang>_<hash>.pf_meta,
# wasm.<lang>.pagefind, and <lang>_<hash>.pf_<kind> in index/, fragment/, filter/.
# All but the wasm file are named by a hash of their content (``hashed``).
_LANGUAGE_FILE = re.compile(
    r"(?:pagefind\.(?P<meta>(?P<meta_lang>[^_/]+)_[0-9a-f]+)\.pf_meta"
    r"|wasm\.(?P<wasm>[^/]+)\.pagefind"
    r"|[a-z]+/(?P<chunk>(?P<chunk_lang>[^_/]+)_[0-9a-f]+)\.pf_[a-z]+)"
)


def file_language(name: str) -> str | None:
    """The language a file of the bundle (a path relative to it) belongs to."""
    match = _LANGUAGE_FILE.fullmatch(name.replace(os.sep, "/"))
    return match and (match["meta_lang"] or match["wasm"] or match["chunk_lang"])


def _hashed_files(root: str, lang: str) -> dict[str, str]:
    """The files of ``lang`` under ``root`` named by a hash of their content (the
    index chunks, fragments and filters, and the meta file that names them):
    name -> the ``<lang>_<hash>`` it is named by."""
    found = {}
    for name in _files(root):
        match = _LANGUAGE_FILE.fullmatch(name.replace(os.sep, "/"))
        if match and (match["meta_lang"] or match["chunk_lang"]) == lang:
            found[name] = match["meta"] or match["chunk"]
    return found


def link_unchanged(bundle: str, target: str, lang: str) -> None:
    """Link the site's chunks of ``lang`` into ``target`` before pagefind writes
    there. Pagefind names a chunk by a hash of its content and leaves a chunk
    that is there, so after an edit it writes only the few that changed, and
    the new bundle's unchanged files, deleted once it is merged, are names of
    files the site keeps: no thousand files written and deleted per edit (on
    some file systems, ext4 without a journal, inodes deleted a moment ago make
    the next thousand slow to create)."""
    for name in _hashed_files(bundle, lang):
        linked = os.path.join(target, name)
        os.makedirs(os.path.dirname(linked), exist_ok=True)
        try:
            os.link(os.path.join(bundle, name), linked)
        except FileExistsError:
            continue
        except OSError:  # no hard links here: pagefind writes every chunk
            return


def drop_unused(target: str, lang: str) -> bool:
    """Remove from ``target`` the chunks of ``lang`` that its index does not name
    (linked from the site's last index: pagefind leaves them there). False,
    removing nothing, when its entry or meta file cannot be read."""
    entry = _bundle_entry(target)
    try:
        named = entry["languages"][lang]["hash"]  # type: ignore[index]
        with open(os.path.join(target, f"pagefind.{named}.pf_meta"), "rb") as handle:
            meta = gzip.decompress(handle.read())
    except (TypeError, KeyError, OSError, EOFError, zlib.error):
        return False
    pattern = re.escape(lang).encode() + rb"_[0-9a-f]+"
    named_all = {match.decode() for match in re.findall(pattern, meta)} | {named}
    for name, stem in _hashed_files(target, lang).items():
        if stem not in named_all:
            os.unlink(os.path.join(target, name))
    return True


def merge_bundle(new: str | None, bundle: str, languages: set[str]) -> bool:
    """Replace the index of ``languages`` in ``bundle`` by the one in ``new``
    (``None``: none of them has tips any more); False, changing nothing, when
    ``new`` was written by another pagefind version than ``bundle``.

    New files first, the entry file last, then the replaced files, as in
    ``replace_bundle``."""
    old_entry = _bundle_entry(bundle) or {"languages": {}}
    new_entry = _load_json(os.path.join(new, ENTRY_FILE)) if new else None
    if new_entry is not None and new_entry.get("version") != old_entry.get("version"):
        return False
    wanted = _files(new) - {ENTRY_FILE} if new else set()
    for name in sorted(wanted):
        source, target = os.path.join(new, name), os.path.join(bundle, name)
        if _same_bytes(source, target):
            continue  # most of a language indexed again is as it was (left with ``new``)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(source, target)
    entry = dict(new_entry or old_entry)
    kept = {k: v for k, v in old_entry["languages"].items() if k not in languages}
    entry["languages"] = kept | (new_entry or {}).get("languages", {})
    _write_entry(bundle, entry)
    for name in sorted(_files(bundle) - wanted):
        if file_language(name) in languages:
            os.unlink(os.path.join(bundle, name))
    return True


def _same_bytes(path: str, other: str) -> bool:
    """Whether two files hold the same bytes. Comparing a small file is a
    tenth of what replacing it costs (after an edit, a thousand of a
    language's files: half a second)."""
    try:
        if os.path.samefile(path, other):
            return True  # linked from the site's index (link_unchanged)
        if os.path.getsize(path) != os.path.getsize(other):
            return False
        with open(path, "rb") as first, open(other, "rb") as second:
            return first.read() == second.read()
    except OSError:
        return False


def _write_entry(bundle: str, entry: dict) -> None:
    """The entry file with its languages in order (pagefind writes them in any),
    so that an index merged language by language is the bytes of any other."""
    entry = dict(entry, languages=dict(sorted(entry["languages"].items())))
    with atomic_open(os.path.join(bundle, ENTRY_FILE), "w") as handle:
        json.dump(entry, handle, ensure_ascii=False, separators=(",", ":"))


def _entry_or_none(output_path: str) -> dict | None:
    return _bundle_entry(os.path.join(output_path, BUNDLE_DIR))


def _bundle_entry(bundle: str) -> dict | None:
    entry = _load_json(os.path.join(bundle, ENTRY_FILE))
    return entry if isinstance(entry, dict) and isinstance(entry.get("languages"), dict) else None


def _load_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def remove_new_bundles(output_path: str) -> None:
    if not os.path.isdir(output_path):
        return
    for name in os.listdir(output_path):
        if name.startswith(NEW_BUNDLE_PREFIX):
            shutil.rmtree(os.path.join(output_path, name), ignore_errors=True)


def _files(root: str) -> set[str]:
    return {
        os.path.relpath(os.path.join(dirpath, name), root)
        for dirpath, _dirnames, filenames in os.walk(root)
        for name in filenames
    }


def replace_bundle(new: str, bundle: str) -> None:
    """Move the index written to ``new`` into ``bundle``, leaving nothing of the old.

    Chunks first and the entry file (which names them) last, so a search run
    meanwhile finds every file its entry file names.
    """
    wanted = _files(new)
    for name in sorted(wanted, key=lambda n: n == ENTRY_FILE):
        target = os.path.join(bundle, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(os.path.join(new, name), target)
    for name in sorted(_files(bundle) - wanted):
        os.unlink(os.path.join(bundle, name))
    for dirpath, _dirnames, filenames in os.walk(bundle, topdown=False):
        if dirpath != bundle and not filenames and not os.listdir(dirpath):
            os.rmdir(dirpath)


def remove_bundle(output_path: str) -> None:
    """A site without a tip page has nothing to search (and pagefind refuses to
    index nothing): no index, and none of an earlier build left behind."""
    shutil.rmtree(os.path.join(output_path, BUNDLE_DIR), ignore_errors=True)


def index_entry_exists(output_path: str) -> bool:
    """The output holds a search index's entry file (made by some earlier build)."""
    return os.path.exists(os.path.join(output_path, BUNDLE_DIR, ENTRY_FILE))


def _read_entry(output_path: str) -> SearchIndex:
    """What pagefind says it indexed (its entry file lists pages per language)."""
    path = os.path.join(output_path, BUNDLE_DIR, ENTRY_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            entry = json.load(handle)
    except (OSError, ValueError) as exc:
        raise BuildError(f"the search index (pagefind) wrote no readable {path}: {exc}") from exc
    languages = entry.get("languages", {})
    pages = sum(int(lang.get("page_count", 0)) for lang in languages.values())
    return SearchIndex(pages, len(languages), 0.0)
