"""`make bench`'s table and exit code, from given numbers (no benchmark is run),
and its memory figure, from a real process tree."""

from __future__ import annotations

import dataclasses
import sys

import pytest

from scripts import bench_table
from scripts.bench_table import Measurements, exit_code, format_table
from scripts.process_memory import run_measured

# Every figure within its target (baseline 10 s).
MET = Measurements(
    per_language=1000,
    baseline_s=10.0,
    serve_pages_s=0.4,
    serve_search_s=0.9,
    edit_build_s=1.4,
    cold_build_s=7.9,
    memory_tree_mb=340,
    check_s=0.9,
    email_ms=6.0,
)

# One figure just past its target each; the name its row carries.
JUST_MISSED = [
    ("serve_pages_s", 0.6, "make serve: file saved -> pages rewritten"),
    ("edit_build_s", 1.6, "make build after one edit, new process"),
    ("cold_build_s", 8.1, "cold make build, everything included"),
    ("memory_tree_mb", 351, "peak memory, cold build, process tree"),
    ("check_s", 1.1, "make check, cold, 5,000 files"),
    ("email_ms", 21.0, "one newsletter email"),
]


def rows_of(table: str) -> dict[str, str]:
    """Each printed row's figure and the rest of its line (the first block wins)."""
    rows: dict[str, str] = {}
    for line in table.splitlines():
        figure, rest = line[:42].strip(), line[42:]
        rows.setdefault(figure, rest)
    return rows


def test_a_run_that_meets_every_target_says_so_and_exits_0():
    table = format_table(MET)
    assert exit_code(MET) == 0
    assert "MISSED" not in table
    assert table.splitlines()[-1] == "Every target met."
    rows = rows_of(table)
    assert rows["make serve: file saved -> pages rewritten"].split() == [
        "0.40", "s", "0.04x", "<=", "0.05x", "ok",
    ]  # fmt: skip
    assert rows["cold make build, everything included"].split()[-3:] == ["<=", "0.80x", "ok"]
    assert rows["peak memory, cold build, process tree"].split() == [
        "340", "MB", "<=", "350", "MB", "ok",
    ]  # fmt: skip
    assert rows["make check, cold, 5,000 files"].split() == ["0.90", "s", "<=", "1", "s", "ok"]


@pytest.mark.parametrize(("field", "value", "figure"), JUST_MISSED)
def test_one_figure_past_its_target_is_marked_missed_and_exits_1(field, value, figure):
    measured = dataclasses.replace(MET, **{field: value})
    table = format_table(measured)
    assert exit_code(measured) == 1
    assert rows_of(table)[figure].split()[-1] == "MISSED"
    assert table.count("MISSED") == 1
    assert table.splitlines()[-1] == "1 target missed."


def test_the_redesigns_figures_are_a_second_block_with_their_own_targets():
    # The cold build at 1.1x misses issue 16's 0.8x but meets the redesign's 1.15x.
    measured = dataclasses.replace(MET, cold_build_s=11.0, serve_pages_s=2.4)
    table = format_table(measured)
    first, second = (rows_of(block) for block in table.split("Targets of the redesign"))
    assert first["cold make build, everything included"].split() == [
        "11.00", "s", "1.10x", "<=", "0.80x", "MISSED",
    ]  # fmt: skip
    assert second["full build, cold"].split() == ["11.00", "s", "1.10x", "<=", "1.15x", "ok"]
    assert second["make serve rebuild after one edit"].split() == [
        "2.40", "s", "0.24x", "<=", "0.25x", "ok",
    ]  # fmt: skip
    assert second["... and its search index"].split() == ["0.90", "s", "0.09x"]
    assert exit_code(measured) == 1
    assert table.splitlines()[-1] == "2 targets missed."


def test_a_missed_redesign_target_alone_also_exits_1():
    # Past issue 11's 1.15x for the cold build means past issue 16's 0.8x too; the
    # serve rebuild past 0.25x is past 0.05x: both blocks say so.
    measured = dataclasses.replace(MET, serve_pages_s=2.6)
    assert format_table(measured).count("MISSED") == 2
    assert exit_code(measured) == 1


def test_the_memory_budget_grows_to_1_5_gb_past_n_1000():
    large = dataclasses.replace(MET, per_language=10000, memory_tree_mb=1400)
    assert rows_of(format_table(large))["peak memory, cold build, process tree"].split() == [
        "1400", "MB", "<=", "1500", "MB", "ok",
    ]  # fmt: skip
    assert exit_code(large) == 0
    assert exit_code(dataclasses.replace(large, memory_tree_mb=1501)) == 1
    assert bench_table.memory_target_mb(1000) == 350


def test_without_an_email_renderer_the_table_says_it_was_not_measured():
    table = format_table(dataclasses.replace(MET, email_ms=None))
    assert "one newsletter email: not measured" in table
    assert exit_code(dataclasses.replace(MET, email_ms=None)) == 0


# A parent holding about 40 MB starts a child that holds about 60 MB: the tree's
# figure counts both, where the parent's own peak would show only one.
TREE = """
import subprocess, sys, time
held = bytearray(40 * 1024 * 1024)
child = "b = bytearray(60 * 1024 * 1024); import time; time.sleep(0.5)"
subprocess.run([sys.executable, "-c", child], check=True)
"""


def test_the_memory_figure_sums_the_peaks_of_the_whole_process_tree(tmp_path):
    run = run_measured([sys.executable, "-c", TREE], str(tmp_path))
    assert run.returncode == 0
    assert len(run.peaks_kb) == 2
    smaller, larger = sorted(run.peaks_kb.values())
    assert smaller >= 40 * 1024 and larger >= 60 * 1024
    assert run.tree_peak_mb >= 100
    assert sum(count for _name, count, _mb in run.by_name()) == 2


def test_memory_held_at_once_carries_the_verdict_and_the_upper_bound_is_shown():
    """With PSS measured, the verdict falls on what the build held at once; the
    sum of every process's peak RSS stays on the next line, without one."""
    measured = dataclasses.replace(MET, memory_tree_mb=900, memory_held_mb=349)
    rows = rows_of(format_table(measured))
    assert rows["peak memory, cold build, held at once"].split() == [
        "349", "MB", "<=", "350", "MB", "ok",
    ]  # fmt: skip
    assert rows["... sum of each process's peak RSS"].split() == ["900", "MB"]
    assert exit_code(measured) == 0
    assert exit_code(dataclasses.replace(measured, memory_held_mb=351)) == 1


# A parent holding about 80 MB forks a child that only sleeps: the child's RSS
# counts the 80 MB it shares, so the sum of peaks is about twice what is held.
FORKED = """
import os, time
held = bytearray(80 * 1024 * 1024)
pid = os.fork()
if pid == 0:
    time.sleep(1.0)
    os._exit(0)
os.waitpid(pid, 0)
"""


def test_memory_held_at_once_counts_shared_pages_once(tmp_path):
    run = run_measured([sys.executable, "-c", FORKED], str(tmp_path), held=True)
    assert run.returncode == 0
    assert len(run.peaks_kb) == 2
    assert run.tree_peak_mb >= 160  # each process's RSS shows the 80 MB
    assert 80 <= run.held_peak_mb < 130  # PSS: the pages once, whoever maps them
