"""Time `make check` on a large synthetic corpus (default 5,000 tips).

Each run is a fresh process, as `make check` is, so the time includes
starting Python and importing Pelican. Prints every run and the median.

    .venv/bin/python -m scripts.time_check [--files 5000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from scripts.corpus import write_large_site

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    with tempfile.TemporaryDirectory() as tmp:
        content = os.path.join(tmp, "content")
        write_large_site(content, args.files)
        command = [
            sys.executable,
            "-m",
            "scripts.check",
            "--settings",
            os.path.join(REPO, "pelicanconf.py"),
            "--content",
            content,
        ]
        times = []
        last = ""
        for _ in range(args.runs):
            started = time.perf_counter()
            result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if result.returncode != 0:
                print(result.stdout[-2000:] + result.stderr[-2000:], file=sys.stderr)
                print(f"make check failed with exit code {result.returncode}", file=sys.stderr)
                return 1
            last = result.stdout.strip().splitlines()[-1]
    print(f"{last}")
    print("runs: " + ", ".join(f"{t:.2f} s" for t in times))
    print(
        f"make check on {args.files} files: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s ({os.cpu_count()} cores)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
