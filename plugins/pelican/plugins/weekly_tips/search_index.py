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

import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pagefind.service import get_executable

from tips_core.errors import BuildError, ConfigurationError

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


def tip_pages_glob(settings: Mapping[str, Any]) -> str:
    """A glob matching every tip page, from ARTICLE_SAVE_AS and ARTICLE_LANG_SAVE_AS.

    Only tip pages hold indexable text (``data-pagefind-body``); sparing
    pagefind the thousands of list pages halves its time.
    """
    patterns = {
        re.sub(r"\{[^}]*\}", "*", settings[key])
        for key in ("ARTICLE_SAVE_AS", "ARTICLE_LANG_SAVE_AS")
        if settings.get(key)
    }
    return "{" + ",".join(sorted(patterns)) + "}" if len(patterns) > 1 else patterns.pop()


class SearchJob:
    """pagefind, run in the background as soon as the tip pages are written.

    The build goes on rendering weeks, lists and feeds on one core while
    pagefind indexes on the other; the pipeline waits for it at the end.
    """

    def __init__(self, output_path: str, glob: str):
        self.output_path = output_path
        self.glob = glob
        self._process: subprocess.Popen | None = None
        self._started = 0.0
        self._new_bundle: str | None = None

    @property
    def started(self) -> bool:
        return self._process is not None

    def start(self) -> None:
        if self._process is not None:
            return
        binary = pagefind_binary()
        remove_new_bundles(self.output_path)  # of a build that was interrupted
        self._new_bundle = tempfile.mkdtemp(prefix=NEW_BUNDLE_PREFIX, dir=self.output_path)
        command = [
            binary,
            "--site",
            self.output_path,
            "--output-path",
            self._new_bundle,
            "--glob",
            self.glob,
            "--quiet",
        ]
        self._started = time.perf_counter()
        try:
            self._process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except OSError as exc:
            self._remove_new_bundle()
            raise BuildError(f"the search index (pagefind) could not run: {exc}") from exc

    def wait(self) -> SearchIndex:
        """Finish the index (starting it now if nothing did); raise BuildError on failure."""
        self.start()
        assert self._process is not None
        try:
            stdout, stderr = self._process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            self._process.kill()
            raise BuildError(f"the search index (pagefind) did not finish: {exc}") from exc
        if self._process.returncode != 0:
            detail = (stderr or stdout).strip()
            raise BuildError(f"the search index (pagefind) failed: {detail}")
        for line in stderr.splitlines():
            if line.strip():
                logger.warning("pagefind: %s", line.strip())
        assert self._new_bundle is not None
        replace_bundle(self._new_bundle, os.path.join(self.output_path, BUNDLE_DIR))
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
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._remove_new_bundle()

    def _remove_new_bundle(self) -> None:
        if self._new_bundle is not None:
            shutil.rmtree(self._new_bundle, ignore_errors=True)
            self._new_bundle = None


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
