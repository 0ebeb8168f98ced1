"""Half-written files of interrupted runs: named so they can be found, and removed.

Every file the project writes (pages, feeds, the sitemap, emails in the
outbox, caches, records) is first written to a hidden temporary file beside
it, ``.<name>.<pid>.<random>.tmp``, and moved into place only when complete
(``writer.atomic_open``). A run killed in the middle leaves such a file
behind, never a half-written page or email under its real name. Nothing
trusts them: pagefind indexes only ``index.html`` files, the sitemap lists
only pages written whole, the outbox only ``.eml`` files, and the Pages
deployment and ``make serve`` leave hidden files out. The next run removes
them; the process id in the name keeps it from removing the file of a run
that is still writing (a `make serve` beside a `make preview`).
"""

from __future__ import annotations

import logging
import os
import re

logger = logging.getLogger(__name__)

SUFFIX = ".tmp"
_PARTIAL_RE = re.compile(r"\..*\.(?P<pid>\d+)\.[^./]+\.tmp")
_NAME_KEPT = 80  # of the target's name in the temporary one: file names have a limit


def partial_prefix(path: str) -> str:
    """The start of the temporary name for ``path`` (tempfile adds the random part)."""
    return f".{os.path.basename(path)[:_NAME_KEPT]}.{os.getpid()}."


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_partial_files(root: str, recursive: bool = True) -> list[str]:
    """Remove the temporary files that runs no longer alive left under ``root``."""
    removed: list[str] = []
    if not os.path.isdir(root):
        return removed
    for dirpath, dirnames, filenames in os.walk(root):
        if not recursive:
            dirnames[:] = []
        for name in filenames:
            if not name.endswith(SUFFIX):
                continue
            match = _PARTIAL_RE.fullmatch(name)
            if match is None or _alive(int(match["pid"])):
                continue
            path = os.path.join(dirpath, name)
            try:
                os.unlink(path)
            except FileNotFoundError:
                continue
            removed.append(path)
    if removed:
        logger.warning(
            "Removed %d half-written file%s left by an interrupted run (%s)",
            len(removed),
            "" if len(removed) == 1 else "s",
            ", ".join(sorted(removed)[:3]) + (", …" if len(removed) > 3 else ""),
        )
    return removed
