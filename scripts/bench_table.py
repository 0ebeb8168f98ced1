"""The table `make bench` prints: each figure, its ratio, its target, ok or MISSED.

Pure logic on the measured numbers, so the verdicts and the exit code are
tested without running a benchmark (tests/test_bench_table.py). Two blocks:
the targets of issue 16 (what `make bench` must meet), then the targets of the
redesign (issue 11), kept because other notes quote them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Issue 16: ratios to plain Pelican in the same run, or absolute budgets.
SERVE_TARGET = 0.05
EDIT_BUILD_TARGET = 0.15
COLD_BUILD_TARGET = 0.80
MEMORY_TARGET_MB = 350  # at N <= 1000
MEMORY_TARGET_LARGE_MB = 1500  # at N = 10000 (applied to any N above 1000)
CHECK_TARGET_S = 1.0
CHECK_FILES = 5000
# Issue 11, the redesign.
REDESIGN_FULL_BUILD = 1.15
REDESIGN_SERVE = 0.25
EMAIL_TARGET_MS = 20.0


@dataclass(frozen=True)
class Measurements:
    per_language: int  # N
    baseline_s: float  # plain Pelican, the same number of pages
    serve_pages_s: float  # `make serve` after one save, until the pages are written
    serve_search_s: float  # ... and until its search index is updated too
    edit_build_s: float  # `make build` after one edit, a new process
    cold_build_s: float  # `make build` with nothing in cache/ or output/
    memory_tree_mb: float  # sum of each process's peak RSS over the cold build's tree
    check_s: float  # `make check`, cold, on CHECK_FILES files
    email_ms: float | None = None  # one newsletter email, None without a renderer
    # The most the cold build's processes held at once (PSS summed per sample);
    # None when not measured: the verdict then falls on the upper bound above.
    memory_held_mb: float | None = None


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    ratio: str = ""
    target: str = ""
    ok: bool | None = None  # None: shown for information, no target

    @property
    def mark(self) -> str:
        return "" if self.ok is None else ("ok" if self.ok else "MISSED")


def memory_target_mb(per_language: int) -> float:
    return MEMORY_TARGET_MB if per_language <= 1000 else MEMORY_TARGET_LARGE_MB


def _seconds(figure: str, seconds: float, baseline: float, target: float | None) -> Row:
    ratio = seconds / baseline
    return Row(
        figure,
        f"{seconds:.2f} s",
        f"{ratio:.2f}x",
        "" if target is None else f"<= {target:.2f}x",
        None if target is None else ratio <= target,
    )


def issue_rows(m: Measurements) -> list[Row]:
    """The figures of issue 16, in the order of its table."""
    memory_budget = memory_target_mb(m.per_language)
    held = m.memory_tree_mb if m.memory_held_mb is None else m.memory_held_mb
    memory = [
        Row("peak memory, cold build, held at once" if m.memory_held_mb is not None
            else "peak memory, cold build, process tree", f"{held:.0f} MB", "",
            f"<= {memory_budget:.0f} MB", held <= memory_budget),
    ]  # fmt: skip
    if m.memory_held_mb is not None:
        memory.append(Row("  ... sum of each process's peak RSS", f"{m.memory_tree_mb:.0f} MB"))
    return [
        _seconds("make serve: file saved -> pages rewritten", m.serve_pages_s, m.baseline_s,
                 SERVE_TARGET),
        _seconds("make build after one edit, new process", m.edit_build_s, m.baseline_s,
                 EDIT_BUILD_TARGET),
        _seconds("cold make build, everything included", m.cold_build_s, m.baseline_s,
                 COLD_BUILD_TARGET),
        *memory,
        Row(f"make check, cold, {CHECK_FILES:,} files", f"{m.check_s:.2f} s", "",
            f"<= {CHECK_TARGET_S:.0f} s", m.check_s <= CHECK_TARGET_S),
    ]  # fmt: skip


def redesign_rows(m: Measurements) -> list[Row]:
    """The figures of issue 11, as `make bench` printed them before issue 16."""
    rows = [
        _seconds("full build, cold", m.cold_build_s, m.baseline_s, REDESIGN_FULL_BUILD),
        _seconds("make serve rebuild after one edit", m.serve_pages_s, m.baseline_s,
                 REDESIGN_SERVE),
        _seconds("  ... and its search index", m.serve_search_s, m.baseline_s, None),
    ]  # fmt: skip
    if m.email_ms is not None:
        rows.append(
            Row("one newsletter email", f"{m.email_ms:.1f} ms", "",
                f"<= {EMAIL_TARGET_MS:.0f} ms", m.email_ms <= EMAIL_TARGET_MS)
        )  # fmt: skip
    return rows


def missed(m: Measurements) -> list[Row]:
    return [row for row in issue_rows(m) + redesign_rows(m) if row.ok is False]


def exit_code(m: Measurements) -> int:
    """0 when every target of both blocks is met, 1 when one is missed."""
    return 1 if missed(m) else 0


def _lines(rows: list[Row]) -> list[str]:
    return [
        f"{row.figure:42} {row.value:>10}  {row.ratio:>6}  {row.target:12} {row.mark}".rstrip()
        for row in rows
    ]


def format_table(m: Measurements) -> str:
    header = f"{'figure':42} {'value':>10}  {'ratio':>6}  {'target':12} verdict"
    baseline = f"{'plain Pelican (baseline, 1.00x)':42} {m.baseline_s:>8.2f} s"
    lines = [
        f"Targets of issue 16 (N={m.per_language}; ratios to plain Pelican in this run)",
        header,
        baseline,
        *_lines(issue_rows(m)),
        "",
        "Targets of the redesign, issue 11 (quoted elsewhere; same run)",
        header,
        *_lines(redesign_rows(m)),
    ]
    if m.email_ms is None:
        lines.append("one newsletter email: not measured (no newsletter renderer installed)")
    count = len(missed(m))
    plural = "s" if count != 1 else ""
    lines += ["", f"{count} target{plural} missed." if count else "Every target met."]
    return "\n".join(lines)
