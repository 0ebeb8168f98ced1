"""Work split over the machine's cores by forking the build process.

Rendering a page needs the whole site in memory (tips, templates, catalogs),
which would cost more to send to a pool's workers than to render. A forked
child starts with all of it, shared copy-on-write, and sends back only a small
result. Used for the render cache's deferred pages and the signatures of a
cold build's tips (render_cache.py), the parse of many files (content_store.py),
and, one child on its own (``Background``), the content's state a build works
out while Pelican runs (tips_app/pipeline.py).

The items are dealt out in small batches as the processes ask for them (a
pipe holds the batches' numbers), so that each process works until nothing is
left and all end together, however the machine shares its cores between them.
The children run at a lower priority: while the search index (pagefind, one
process that the build waits for at its end) indexes beside the renderers, it
keeps a core and the renderers share what is left, instead of pagefind ending
alone on one core after them.

A child's failure is raised in the parent with the child's message; a child
never returns into the caller's code (it leaves with ``os._exit``), so no
``finally`` or ``atexit`` of the build runs twice.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import pickle
import signal
import struct
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
# Batches per process: small enough that the processes end within a batch of
# each other, few enough that their numbers fit in a pipe's buffer.
BATCHES_PER_WORKER = 64
CHILD_NICENESS = 10  # a tenth of a core's share, beside a process at the default
_BATCH = struct.Struct("=I")


class ChildFailed(RuntimeError):
    """A forked child raised: its exception's text, with the traceback's last lines."""


_DEFAULT_THRESHOLDS = (700, 10, 10)  # Python's own


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def batches(count: int, workers: int, most: int) -> list[range]:
    """``range(count)`` cut into consecutive batches, about BATCHES_PER_WORKER a
    worker and ``most`` at the most."""
    size = max(1, -(-count // min(workers * BATCHES_PER_WORKER, most)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _pipe_capacity(fd: int) -> int:
    """How many bytes a pipe holds before a write waits for a reader (Linux
    says; POSIX promises PIPE_BUF, 512 bytes, at least)."""
    try:
        import fcntl  # Unix; a system without fork() never comes here

        return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
    except (AttributeError, OSError):
        return 512


def _write_all(fd: int, data: bytes) -> None:
    """A write that a signal cut short goes on with the rest."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def map_forked(
    work: Callable[[list[T]], R], items: Sequence[T], workers: int | None = None
) -> list[R]:
    """``work`` over ``items`` on every core: called on consecutive batches of
    them, in this process and in forked children, each taking the next batch
    when done with one. The results, one a batch, in the items' order.
    ``work``'s result must pickle."""
    if not hasattr(os, "fork"):
        return [work(list(items))]
    workers = min(workers or cores(), max(1, len(items) // MIN_ITEMS_PER_CHILD))
    if workers <= 1:
        return [work(list(items))]
    # Objects the collector never visits are not copied into a child by it.
    # Frozen, they are not walked either: collections see only what the batches
    # make, so they can run as often as Python's defaults say, and the cycles
    # a page's render leaves (Jinja's contexts) go before they pile up.
    # A caller that froze its objects already (a build: pipeline.py) keeps
    # them frozen after, with what it made since.
    thresholds, outer_freeze = gc.get_threshold(), gc.get_freeze_count() > 0
    gc.freeze()
    gc.set_threshold(*_DEFAULT_THRESHOLDS)
    read_end, write_end = os.pipe()
    children: list[tuple[int, str]] = []
    try:
        try:
            # Every batch's number is in the pipe before a child starts: a
            # reader finds whole numbers, then the end. They fit in its buffer
            # (nothing reads yet), whatever the machine's pipes hold.
            parts = batches(len(items), workers, _pipe_capacity(write_end) // _BATCH.size)
            _write_all(write_end, b"".join(_BATCH.pack(number) for number in range(len(parts))))
        finally:
            os.close(write_end)
        drain = functools.partial(_drain, work, items, parts, read_end)
        try:
            for _ in range(workers - 1):
                children.append(_start(drain))
            done = drain()
        except BaseException:  # a failed fork or our own share: leave no child behind
            for pid, path in children:
                _stop(pid, path)
            raise
    finally:
        os.close(read_end)
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
            done.extend(value)
        else:
            failures.append(value)
    if failures:
        raise ChildFailed(failures[0])
    return [result for _number, result in sorted(done, key=lambda pair: pair[0])]


class Background:
    """``work()`` in a forked child while this process goes on, on a core it
    leaves idle: a build works out what it needs later while it runs Pelican
    on one core. ``result()`` waits for it (ChildFailed if it raised); a
    ``cancel()`` after stops a child still running. ``work``'s result must pickle."""

    def __init__(self, work: Callable[[], R]):
        self._child: tuple[int, str] | None = None
        if hasattr(os, "fork"):
            # At the build's priority: the build waits for it, and nothing of
            # the build's competes with it for the idle core.
            self._child = _start(work, niceness=0)
        else:
            self._value = work()

    def result(self) -> R:
        if self._child is not None:
            child, self._child = self._child, None
            outcome, value = _collect(*child)
            if outcome != "ok":
                raise ChildFailed(value)
            self._value = value
        return self._value

    def cancel(self) -> None:
        if self._child is not None:
            child, self._child = self._child, None
            _stop(*child)


def _drain(
    work: Callable[[list[T]], R], items: Sequence[T], parts: list[range], read_end: int
) -> list[tuple[int, R]]:
    """Take batches until none is left; each batch's number and result."""
    done = []
    while True:
        # A read of a few bytes from a pipe is whole (the pipe's lock), so no
        # two processes take one batch.
        taken = os.read(read_end, _BATCH.size)
        if not taken:
            return done
        (number,) = _BATCH.unpack(taken)
        done.append((number, work([items[i] for i in parts[number]])))


def map_each_forked(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``work`` on each item, shared out as by ``map_forked``; the results in
    the items' order."""
    return [
        result
        for batch in map_forked(lambda share: [work(item) for item in share], items)
        for result in batch
    ]


def _start(drain: Callable[[], R], niceness: int = CHILD_NICENESS) -> tuple[int, str]:
    fd, path = tempfile.mkstemp(prefix="tips-forked-", suffix=".pickle")
    os.close(fd)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except BaseException:
        _unlink(path)
        raise
    if pid:
        return pid, path
    code = 1
    try:  # the child: never returns
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent reports an interrupt
        with contextlib.suppress(OSError):
            os.nice(niceness)
        # What goes wrong is raised and reported by the parent; a log line here
        # could wait forever on a stream another thread of the parent held.
        logging.disable(logging.CRITICAL)
        try:
            outcome = ("ok", drain())
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
