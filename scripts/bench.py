"""`make bench`: how our build compares with plain Pelican on the same pages.

Generates a synthetic corpus (N tips in each of five languages, about 400
words each, translations linked), then times in one run, best of 3 (one with
``--quick``):

- plain Pelican 4.12 (default theme, no plugins, one language, the same number
  of pages in one folder): the baseline;
- our `make build`, cold (no output, no cache), search index and outbox
  included, with the peak memory of its whole process tree;
- `make build` after editing one tip, in a new process, as CI and hooks run it;
- a rebuild after editing one tip, as `make serve` rebuilds: until the pages
  are written (the site is served from then on), and until the search index,
  which `make serve` finishes in the background, is updated too;
- `make check`, cold, over a site of 5,000 files;
- rendering one newsletter email;

and prints every figure of issue 16's table with its ratio, target and
verdict, then the redesign's (issue 11) figures (scripts/bench_table.py). It
exits 1 when a target is missed. ``--profile`` profiles each timed figure that
missed its target, in a process of its own, and prints its top functions.
"""

from __future__ import annotations

import argparse
import compileall
import errno
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable

from scripts.bench_rebuild import edit_one_tip
from scripts.bench_table import CHECK_FILES, Measurements, exit_code, format_table, issue_rows
from scripts.corpus import write_corpus, write_large_site, write_pelican_corpus
from scripts.process_memory import TreeRun, run_measured

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable

PLAIN_SETTINGS = """\
PATH = {path!r}
OUTPUT_PATH = {output!r}
PLUGINS = []
SITEURL = ""
SITENAME = "Bench"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
"""


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-language", type=int, default=1000, help="tips per language (N)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    parser.add_argument("--quick", action="store_true", help="one run per figure")
    parser.add_argument("--work", default=os.path.join(REPO, "cache", "bench"))
    parser.add_argument(
        "--profile", action="store_true", help="profile each timed figure that missed its target"
    )
    return parser.parse_args(argv)


def timed(command: list[str], cwd: str, held: bool = False) -> TreeRun:
    """Run a command; its wall time and the peak memory of its process tree
    (with ``held``, also what the tree held at once: see process_memory)."""
    run = run_measured(command, cwd, held)
    if run.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{run.output}")
    return run


def best_of(
    repeat: int, prepare: Callable[[int], None], command: list[str], cwd: str
) -> tuple[TreeRun, list[TreeRun]]:
    """The fastest of ``repeat`` runs, and all of them (for their memory)."""
    runs = []
    for attempt in range(repeat):
        prepare(attempt)
        runs.append(timed(command, cwd))
    return min(runs, key=lambda run: run.seconds), runs


def best_of_alternating(
    repeat: int,
    first: tuple[Callable[[int], None], list[str], str],
    second: tuple[Callable[[int], None], list[str], str],
) -> tuple[tuple[TreeRun, list[TreeRun]], tuple[TreeRun, list[TreeRun]]]:
    """``best_of`` for two commands whose times are compared (plain Pelican and
    our cold build), run in turn: a stretch of a slower machine then falls on
    both, not on whichever ran second."""
    runs: tuple[list[TreeRun], list[TreeRun]] = ([], [])
    for attempt in range(repeat):
        for (prepare, command, cwd), done in zip((first, second), runs, strict=True):
            prepare(attempt)
            done.append(timed(command, cwd))
    return tuple((min(done, key=lambda run: run.seconds), done) for done in runs)  # type: ignore[return-value]


class Trash:
    """Folders set aside during the timed runs and deleted after them.

    Deleting a built site (tens of thousands of files) just before a cold
    build slows that build on this machine's file system (ext4 without a
    journal: allocating an inode, the kernel skips those deleted in the last
    minute or more; a cold build's system time 7 s after a quiet while, 17 s
    right after deleting the last build's output). A cold run here starts
    with nothing deleted: its output's folder is moved aside, not deleted, as
    in a fresh checkout."""

    def __init__(self, root: str):
        self.root = root
        self._count = 0

    def set_aside(self, *paths: str) -> None:
        for path in paths:
            if not os.path.lexists(path):
                continue
            os.makedirs(self.root, exist_ok=True)
            self._count += 1
            try:
                os.rename(path, os.path.join(self.root, str(self._count)))
            except OSError as exc:  # --work on a file system of its own (EXDEV, EBUSY)
                if exc.errno not in (errno.EXDEV, errno.EBUSY):
                    raise
                shutil.rmtree(path, ignore_errors=True)  # a mount point itself stays

    def empty(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def build_arguments(corpus: str, output: str, cache: str) -> list[str]:
    return [
        "--settings", os.path.join(REPO, "pelicanconf.py"),
        "--content", corpus, "--output", output, "--cache", cache,
    ]  # fmt: skip


def build_command(corpus: str, output: str, cache: str) -> list[str]:
    return [PYTHON, "-m", "scripts.build", *build_arguments(corpus, output, cache)]


def check_command(content: str, cache: str) -> list[str]:
    return [
        PYTHON, "-m", "scripts.check", "--settings", os.path.join(REPO, "pelicanconf.py"),
        "--content", content, "--cache", cache,
    ]  # fmt: skip


def serve_rebuilds(
    corpus: str, output: str, cache: str, repeat: int, profile: str | None = None
) -> tuple[float, float]:
    """Best times of a `make serve` rebuild after one edit: pages written, search updated."""
    command = [PYTHON, "-m", "scripts.bench_rebuild", *build_arguments(corpus, output, cache)]
    command += ["--repeat", str(repeat)] + (["--profile", profile] if profile else [])
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"bench: the rebuilds failed:\n{result.stdout}{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return figures["pages"], figures["search"]


def email_render_seconds(corpus_settings: list[str], repeat: int) -> float | None:
    """Best time to render one newsletter email, or None without a newsletter plugin."""
    code = (
        "import sys, time\n"
        "from scripts.bench_email import time_one_email\n"
        "print(time_one_email(sys.argv[1:]))\n"
    )
    if not os.path.exists(os.path.join(REPO, "scripts", "bench_email.py")):
        return None
    result = subprocess.run(
        [PYTHON, "-c", code, *corpus_settings, str(repeat)],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"bench: rendering an email failed:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1])


def profiled(command: list[str], stats_path: str) -> None:
    """Run a `python -m module` command under cProfile, in a new process as timed."""
    module_and_arguments = command[command.index("-m") + 1 :]
    timed([PYTHON, "-m", "cProfile", "-o", stats_path, "-m", *module_and_arguments], REPO)


def top_functions(title: str, stats_path: str) -> str:
    """The functions a figure spends its time in: cumulative, then own time."""
    text = io.StringIO()
    stats = pstats.Stats(stats_path, stream=text).strip_dirs()
    text.write(f"\n=== Profile: {title} (main process only; workers and pagefind not shown)\n")
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)
    return text.getvalue()


def compile_modules() -> None:
    """Our modules compiled, as after any first run: Python keeps compiled
    modules beside their source unless PYTHONDONTWRITEBYTECODE is set (this
    machine sets it), and then each process compiles ours again (0.1 s each)
    while Pelican's were compiled when pip installed it."""
    for folder in ("plugins", "scripts"):
        compileall.compile_dir(os.path.join(REPO, folder), quiet=1)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    repeat = 1 if args.quick else args.repeat
    n, work = args.per_language, os.path.abspath(args.work)
    trash = Trash(work + ".trash")
    trash.empty()  # of a bench that was interrupted
    trash.set_aside(work)
    try:
        return run_bench(args, repeat, n, work, trash)
    finally:
        trash.empty()


def run_bench(args: argparse.Namespace, repeat: int, n: int, work: str, trash: Trash) -> int:
    corpus, plain = os.path.join(work, "corpus"), os.path.join(work, "plain")
    output, cache = os.path.join(work, "output"), os.path.join(work, "build-cache")
    plain_output = os.path.join(work, "plain-output")
    check_site, check_cache = os.path.join(work, "check-site"), os.path.join(work, "check-cache")
    compile_modules()
    os.makedirs(work, exist_ok=True)
    files = len(write_corpus(corpus, n))
    write_pelican_corpus(plain, files)
    write_large_site(check_site, CHECK_FILES)
    plain_conf = os.path.join(work, "plainconf.py")
    with open(plain_conf, "w", encoding="utf-8") as handle:
        handle.write(PLAIN_SETTINGS.format(path=plain, output=plain_output))
    print(f"Corpus: {n} tips in each of 5 languages ({files} tip pages), best of {repeat}.")
    print(f"This machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}.")

    def clean_plain(_attempt: int) -> None:
        trash.set_aside(plain_output)

    def clean_ours(_attempt: int) -> None:  # `make clean`: no output, no cache
        trash.set_aside(output, cache)

    def edit(attempt: int) -> None:  # after a complete build: one tip saved
        edit_one_tip(corpus, 100 + attempt)

    def clean_check(_attempt: int) -> None:
        trash.set_aside(check_cache)

    pelican = os.path.join(os.path.dirname(PYTHON), "pelican")
    (baseline, _), (cold, cold_runs) = best_of_alternating(
        repeat,
        (clean_plain, [pelican, "-q", "-s", plain_conf], work),
        (clean_ours, build_command(corpus, output, cache), REPO),
    )
    clean_ours(0)  # once more, untimed: reading PSS slows what it measures
    held = timed(build_command(corpus, output, cache), REPO, held=True)
    edited, _ = best_of(repeat, edit, build_command(corpus, output, cache), REPO)
    serve_pages, serve_search = serve_rebuilds(corpus, output, cache, repeat)
    check, _ = best_of(repeat, clean_check, check_command(check_site, check_cache), REPO)
    email = email_render_seconds(build_arguments(corpus, output, cache)[2:], repeat)
    memory = max(cold_runs, key=lambda run: run.tree_peak_mb)

    measured = Measurements(
        per_language=n,
        baseline_s=baseline.seconds,
        serve_pages_s=serve_pages,
        serve_search_s=serve_search,
        edit_build_s=edited.seconds,
        cold_build_s=cold.seconds,
        memory_tree_mb=memory.tree_peak_mb,
        memory_held_mb=held.held_peak_mb,
        check_s=check.seconds,
        email_ms=None if email is None else email * 1000,
    )
    print()
    print(format_table(measured))
    print(
        "Peak memory held at once: the largest sum, over the samples of a cold build of its "
        "own (every 50 ms), of the proportional set size (PSS: a page shared by processes "
        "counted once) of the build's processes alive then. Its upper bound, the sum of each "
        "process's peak RSS (VmHWM sampled every 20 ms, the build's own from wait4), the "
        "largest of the timed runs: "
        + ", ".join(f"{name} x{count} {mb:.0f} MB" for name, count, mb in memory.by_name())
        + f"; plain Pelican {baseline.tree_peak_mb:.0f} MB (one process)."
    )
    if args.profile:
        print_profiles(measured, corpus, output, cache, check_site, check_cache, trash)
    return exit_code(measured)


def print_profiles(
    measured: Measurements,
    corpus: str,
    output: str,
    cache: str,
    check_site: str,
    check_cache: str,
    trash: Trash,
) -> None:
    """Profile each timed figure of issue 16 that missed its target."""
    figures = {row.figure: row.ok for row in issue_rows(measured)}
    missed = [name for name, ok in figures.items() if ok is False and not name.startswith("peak")]
    if any(name.startswith("peak") for name, ok in figures.items() if ok is False):
        print("\nPeak memory is not profiled here (cProfile measures time); see the line above.")
    with tempfile.TemporaryDirectory() as stats_dir:
        for name in missed:
            stats = os.path.join(stats_dir, "stats")
            if name.startswith("cold"):
                trash.set_aside(output, cache)
                profiled(build_command(corpus, output, cache), stats)
            elif name.startswith("make build after"):
                edit_one_tip(corpus, 200)
                profiled(build_command(corpus, output, cache), stats)
            elif name.startswith("make serve"):
                serve_rebuilds(corpus, output, cache, 1, profile=stats)
            else:  # make check
                trash.set_aside(check_cache)
                profiled(check_command(check_site, check_cache), stats)
            print(top_functions(name, stats))


if __name__ == "__main__":
    sys.exit(main())
