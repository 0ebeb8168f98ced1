"""One build at a time per cache, and no trust in what an interrupted build left.

Two builds writing one output/ at once (two `make publish` runs, or
`make build` beside `make serve`) would delete and write each other's pages;
an ``flock`` on ``<CACHE_PATH>/build.lock`` makes the second wait. The kernel
drops the lock when its holder dies, so a killed build never blocks the next.

While a build writes output/, ``<CACHE_PATH>/build-in-progress`` says so. A
build that finds the note of an earlier one knows that one was interrupted
(killed, or failed while writing): it removes the half-written files it left
(partial_files.py) and renders every page again instead of trusting that the
pages on disk match the last render manifest.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

from tips_core.errors import BuildError
from tips_core.file_lock import file_lock
from tips_core.partial_files import remove_partial_files
from tips_core.safe_write import atomic_open

logger = logging.getLogger(__name__)

LOCK_FILE = "build.lock"
NOTE_FILE = "build-in-progress"
DEFAULT_TIMEOUT = 600.0  # seconds a build waits for another one


@contextlib.contextmanager
def build_lock(cache_dir: str | None, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the build lock of ``cache_dir`` (none without a cache) for the block."""
    if not cache_dir:
        yield
        return
    path = os.path.join(cache_dir, LOCK_FILE)
    with file_lock(
        path,
        timeout,
        on_timeout=lambda: BuildError(
            f"another build is still writing the site (it holds {path}); wait for "
            "it to finish and run the command again"
        ),
        waiting="Waiting for another build to finish",
    ):
        remove_partial_files(cache_dir, recursive=False)  # e.g. a content store being saved
        yield


class BuildNote:
    """The note that a build is writing output/."""

    def __init__(self, cache_dir: str | None, output_path: str):
        self.path = os.path.join(cache_dir, NOTE_FILE) if cache_dir else None
        self.output_path = output_path

    def begin(self) -> bool:
        """Note the start of writing; return whether an earlier build was
        interrupted (then its leftovers are gone)."""
        interrupted = self.path is None or os.path.exists(self.path)
        if interrupted:
            remove_partial_files(self.output_path)
        if self.path is not None:
            with atomic_open(self.path, "w") as handle:
                handle.write(f"{os.getpid()} {self.output_path}\n")
        return interrupted

    def end(self) -> None:
        """The build wrote everything it had to: the next one may trust it."""
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
