"""Work split over the machine's cores by forking the build process.

Rendering a page needs the whole site in memory (tips, templates, catalogs),
which would cost more to send to a pool's workers than to render. A forked
child starts with all of it, shared copy-on-write, and sends back only a small
result. Used for the render cache's deferred pages (render_cache.py).

The parent works on its own share meanwhile. A child's failure is raised in
the parent with the child's message; a child never returns into the caller's
code (it leaves with ``os._exit``), so no ``finally`` or ``atexit`` of the
build runs twice.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a fork costs more than the other core saves.
MIN_ITEMS_PER_CHILD = 24
# Far beyond any share's work (50,000 pages render in minutes).
CHILD_TIMEOUT_SECONDS = 900


class ChildFailed(RuntimeError):
    """A forked child raised: its exception's text, with the traceback's last lines."""


_DEFAULT_THRESHOLDS = (700, 10, 10)  # Python's own


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def split(items: Sequence[T], parts: int) -> list[list[T]]:
    """Round robin, so that each part gets pages of every kind (their costs differ)."""
    return [list(items[i::parts]) for i in range(parts)]


def map_forked(
    work: Callable[[list[T]], R], items: Sequence[T], workers: int | None = None
) -> list[R]:
    """``work`` over ``items`` split in shares, one share per core: the parent's
    own first, then each child's. ``work``'s result must pickle."""
    if not hasattr(os, "fork"):
        return [work(list(items))]
    workers = min(workers or cores(), max(1, len(items) // MIN_ITEMS_PER_CHILD))
    if workers <= 1:
        return [work(list(items))]
    shares = split(items, workers)
    # Objects the collector never visits are not copied into a child by it.
    # Frozen, they are not walked either: collections see only what the shares
    # make, so they can run as often as Python's defaults say, and the cycles
    # a page's render leaves (Jinja's contexts) go before they pile up.
    # A caller that froze its objects already (a build: pipeline.py) keeps
    # them frozen after, with what it made since.
    thresholds, outer_freeze = gc.get_threshold(), gc.get_freeze_count() > 0
    gc.freeze()
    gc.set_threshold(*_DEFAULT_THRESHOLDS)
    try:
        children = [_start(work, share) for share in shares[1:]]
        try:
            results = [work(shares[0])]
        except BaseException:
            for pid, path in children:
                _stop(pid, path)
            raise
    finally:
        gc.set_threshold(*thresholds)
        if not outer_freeze:
            gc.unfreeze()
    failures = []
    for index, (pid, path) in enumerate(children):
        try:
            outcome, value = _collect(pid, path)
        except BaseException:  # an interrupt while waiting: leave no child behind
            for other_pid, other_path in children[index:]:
                _stop(other_pid, other_path)
            raise
        if outcome == "ok":
            results.append(value)
        else:
            failures.append(value)
    if failures:
        raise ChildFailed(failures[0])
    return results


def map_each_forked(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``work`` on each item, shared out as by ``map_forked``; the results in
    the items' order."""
    shares = map_forked(lambda share: [work(item) for item in share], items)
    results: list = [None] * len(items)
    for index, share in enumerate(shares):  # share i held items[i::len(shares)]
        results[index :: len(shares)] = share
    return results


def _start(work: Callable[[list[T]], R], share: list[T]) -> tuple[int, str]:
    fd, path = tempfile.mkstemp(prefix="tips-forked-", suffix=".pickle")
    os.close(fd)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid, path
    code = 1
    try:  # the child: never returns
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent reports an interrupt
        # What goes wrong is raised and reported by the parent; a log line here
        # could wait forever on a stream another thread of the parent held.
        logging.disable(logging.CRITICAL)
        try:
            outcome = ("ok", work(share))
        except BaseException as exc:  # handed to the parent, which raises
            outcome = ("failed", _describe(exc))
        with open(path, "wb") as handle:
            pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    finally:
        os._exit(code)


def _describe(exc: BaseException) -> str:
    """An error of ours says what to do already; anything else gets its place."""
    if getattr(exc, "exit_code", None) is not None:  # tips_core.errors.TipsError
        return str(exc)
    where = "".join(traceback.format_exception(exc)[-3:])
    return f"{type(exc).__name__}: {exc}\n{where}"


def _collect(pid: int, path: str) -> tuple[str, object]:
    try:
        deadline = time.monotonic() + CHILD_TIMEOUT_SECONDS
        while True:  # a child that never ends must not hang the build (or make serve)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                _stop(pid, path)
                return "failed", f"a rendering process did not finish in {CHILD_TIMEOUT_SECONDS} s"
            time.sleep(0.005)
        if os.waitstatus_to_exitcode(status) != 0:
            return "failed", f"a rendering process ended with status {status}"
        with open(path, "rb") as handle:
            return pickle.load(handle)
    finally:
        _unlink(path)


def _stop(pid: int, path: str) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    _unlink(path)


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
