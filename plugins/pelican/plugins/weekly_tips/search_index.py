"""The site's search index: pagefind, run over the built pages.

Pagefind reads the finished HTML (so it indexes exactly what readers see),
splits the index by each page's ``<html lang>`` and writes it, with the small
script the search page loads, under ``<output>/pagefind/``. Only elements
marked ``data-pagefind-body`` (the tip on a tip page) are indexed, so lists
and home pages do not repeat a tip in the results.

The binary ships inside the pinned ``pagefind-bin`` wheel: nothing is
downloaded at build time.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pagefind.service import get_executable

from tips_core.errors import BuildError, ConfigurationError

logger = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"
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

    @property
    def started(self) -> bool:
        return self._process is not None

    def start(self) -> None:
        if self._process is not None:
            return
        command = [
            pagefind_binary(),
            "--site",
            self.output_path,
            "--output-subdir",
            BUNDLE_DIR,
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


def index_site(output_path: str, settings: Mapping[str, Any]) -> SearchIndex:
    """Index the built site in ``output_path`` now."""
    return SearchJob(output_path, tip_pages_glob(settings)).wait()


def index_is_current(output_path: str) -> bool:
    return os.path.exists(os.path.join(output_path, BUNDLE_DIR, "pagefind-entry.json"))


def _read_entry(output_path: str) -> SearchIndex:
    """What pagefind says it indexed (its entry file lists pages per language)."""
    path = os.path.join(output_path, BUNDLE_DIR, "pagefind-entry.json")
    try:
        with open(path, encoding="utf-8") as handle:
            entry = json.load(handle)
    except (OSError, ValueError) as exc:
        raise BuildError(f"the search index (pagefind) wrote no readable {path}: {exc}") from exc
    languages = entry.get("languages", {})
    pages = sum(int(lang.get("page_count", 0)) for lang in languages.values())
    return SearchIndex(pages, len(languages), 0.0)
