"""An exclusive lock on a file, held for a block, waiting a while for it.

Builds take turns on one site (weekly_tips.build_guard) and newsletter runs
take turns on one backend's record (tip_newsletter.ledger). An OS lock
(flock) is released when its holder exits, however it exits: a run killed
mid-way never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.05


@contextmanager
def file_lock(
    path: str, timeout: float, on_timeout: Callable[[], Exception], waiting: str
) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the block.

    Waits up to ``timeout`` seconds for another holder, logging ``waiting`` once;
    then raises ``on_timeout()``.
    """
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "a+") as handle:  # closing it releases the lock
        deadline = time.monotonic() + timeout
        waited = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise on_timeout() from None
                if not waited:
                    logger.warning("%s (%s)", waiting, path)
                    waited = True
                time.sleep(POLL_SECONDS)
        yield
