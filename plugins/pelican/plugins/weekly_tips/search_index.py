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
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pagefind.service import get_executable

from .errors import BuildError, ConfigurationError

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


def index_site(output_path: str) -> SearchIndex:
    """Index the built site in ``output_path``; raise BuildError if pagefind fails."""
    started = time.perf_counter()
    command = [
        pagefind_binary(),
        "--site",
        output_path,
        "--output-subdir",
        BUNDLE_DIR,
        "--quiet",
    ]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"the search index (pagefind) could not run: {exc}") from exc
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BuildError(f"the search index (pagefind) failed: {detail}")
    for line in result.stderr.splitlines():
        if line.strip():
            logger.warning("pagefind: %s", line.strip())
    seconds = time.perf_counter() - started
    summary = _read_entry(output_path)
    logger.info(
        "Search index: %d pages in %d languages in %.2f s",
        summary.pages,
        summary.languages,
        seconds,
    )
    return SearchIndex(summary.pages, summary.languages, seconds)


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
