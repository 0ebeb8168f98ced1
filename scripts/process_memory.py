"""Peak memory of a command and every process it starts (used by `make bench`).

A build is several processes: the build itself, its Markdown conversion
workers and pagefind. While the command runs, a thread walks its process tree
in /proc every few milliseconds and keeps each process's peak resident size
(VmHWM, which the kernel keeps per process, so a sample between two peaks
loses nothing). Their sum is an upper bound of what the tree held at once.
The command's own peak
comes exactly from wait4. A process that starts and ends between two samples
is missed; the build's children live for seconds.

That bound counts twice what processes share (a forked renderer's pages
that are still its parent's) and adds up processes that never ran at the
same time (the Markdown workers, done before pagefind starts).
With ``held=True`` each sample also adds up the proportional set size (PSS:
a shared page counted once, split among its sharers) of the processes alive
at that moment; the largest such sum is what the machine held at once.
Reading PSS walks each process's page tables, so it is sampled less often,
and `make bench` measures it in a run of its own, not in a timed one.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

SAMPLE_SECONDS = 0.02
HELD_SAMPLE_SECONDS = 0.05


@dataclass
class TreeRun:
    seconds: float
    returncode: int
    output: str
    peaks_kb: dict[int, int] = field(default_factory=dict)  # pid -> its peak RSS
    names: dict[int, str] = field(default_factory=dict)  # pid -> its command name
    held_peak_kb: int | None = None  # the largest sum of PSS at one moment (held=True)

    @property
    def held_peak_mb(self) -> float | None:
        """What the tree held at once, at its largest (PSS summed per sample)."""
        return None if self.held_peak_kb is None else self.held_peak_kb / 1024

    @property
    def tree_peak_mb(self) -> float:
        """The sum of every process's peak resident size."""
        return sum(self.peaks_kb.values()) / 1024

    def by_name(self) -> list[tuple[str, int, float]]:
        """(command, processes, summed peak MB), the largest first."""
        totals: dict[str, tuple[int, int]] = {}
        for pid, peak in self.peaks_kb.items():
            count, kb = totals.get(self.names.get(pid, "?"), (0, 0))
            totals[self.names.get(pid, "?")] = (count + 1, kb + peak)
        return sorted(
            ((name, count, kb / 1024) for name, (count, kb) in totals.items()),
            key=lambda item: -item[2],
        )


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:  # the process ended meanwhile
        return ""


def _children(pid: int) -> Iterator[int]:
    for task in os.listdir(f"/proc/{pid}/task") if os.path.isdir(f"/proc/{pid}/task") else ():
        for child in _read(f"/proc/{pid}/task/{task}/children").split():
            yield int(child)


def _tree(root: int) -> list[int]:
    pids, queue = [], [root]
    while queue:
        pid = queue.pop()
        pids.append(pid)
        queue.extend(_children(pid))
    return pids


def _peak_kb(pid: int) -> tuple[str, int] | None:
    name, peak = "", None
    for line in _read(f"/proc/{pid}/status").splitlines():
        if line.startswith("Name:"):
            name = line.split(None, 1)[1] if len(line.split()) > 1 else ""
        elif line.startswith("VmHWM:"):
            peak = int(line.split()[1])
    return None if peak is None else (name, peak)


def _pss_kb(pid: int) -> int:
    for line in _read(f"/proc/{pid}/smaps_rollup").splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0  # ended meanwhile


def run_measured(command: list[str], cwd: str, held: bool = False) -> TreeRun:
    """Run ``command``; its wall time, output and the peak RSS of each of its
    processes; with ``held``, also the most its processes held at once (PSS)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    run = TreeRun(0.0, 0, "", held_peak_kb=0 if held else None)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pids = _tree(process.pid)
            for pid in pids:
                found = _peak_kb(pid)
                if found:
                    run.names[pid] = found[0]
                    run.peaks_kb[pid] = max(run.peaks_kb.get(pid, 0), found[1])
            if held:
                run.held_peak_kb = max(run.held_peak_kb or 0, sum(map(_pss_kb, pids)))
            done.wait(HELD_SAMPLE_SECONDS if held else SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    run.output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    run.seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    run.returncode = process.returncode = os.waitstatus_to_exitcode(status)
    run.peaks_kb[process.pid] = max(run.peaks_kb.get(process.pid, 0), usage.ru_maxrss)
    return run
