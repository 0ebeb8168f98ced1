"""What every command-line script shares: settings, logging, errors to exit codes."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import logging
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

from tips_app.pipeline import load_settings
from tips_app.scaffold import ScaffoldError
from tips_core.errors import ContentError, TipsError
from tips_core.site_settings import TipsSettings
from tips_core.source_file import parse_date


def setup_logging(verbose: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    """--settings, plus folder overrides (tests and `make bench` build elsewhere)."""
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file")
    parser.add_argument("--content", help="content folder (default: the settings' PATH)")
    parser.add_argument("--output", help="output folder (default: the settings' OUTPUT_PATH)")
    parser.add_argument("--cache", help="cache folder (default: the settings' CACHE_PATH)")


def settings_parser(description: str | None) -> argparse.ArgumentParser:
    """The parser of a command that takes the settings file and folder overrides."""
    parser = argparse.ArgumentParser(description=description)
    add_settings_arguments(parser)
    return parser


def add_now_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now", default="", help="pretend it is this time (tests, planning): 2026-12-04 09:00"
    )


def now_from(value: str, tips: TipsSettings) -> datetime.datetime:
    """``--now``, or the clock, in the site's time zone."""
    if not value:
        return datetime.datetime.now(tips.timezone)
    try:
        return parse_date(value, tips.timezone)
    except ValueError as exc:
        raise ScaffoldError(f"--now: {exc}") from None


def settings_from(args: argparse.Namespace, **extra: Any) -> dict[str, Any]:
    overrides: dict[str, Any] = dict(extra)
    for option, key in (("content", "PATH"), ("output", "OUTPUT_PATH"), ("cache", "CACHE_PATH")):
        value = getattr(args, option, None)
        if value:
            overrides[key] = os.path.abspath(value)  # relative to where the command runs
    return load_settings(args.settings, overrides)


def report_problems(problems, stream=None) -> None:
    for problem in problems:
        print(problem, file=stream or sys.stderr)


def print_lines(lines: Iterable[str]) -> int:
    """Print what a command says; 0, the exit code of a command that said it."""
    for line in lines:
        print(line)
    return 0


def exit_at_once(code: int) -> NoReturn:
    """End a command that has written and closed everything: without freeing
    the site's millions of objects one by one (half a second at 5,000 tips,
    after the work is done). Output is flushed and logging shut down first;
    every file of ours is written and closed inside the command."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader gone (`make check | head`): nothing to do
            stream.flush()
    os._exit(code)


def run(action: Callable[[], int], verbose: bool = False) -> int:
    """Run a command with its logging set up; turn our errors into their message and
    exit code."""
    setup_logging(verbose)
    try:
        return action()
    except ContentError as exc:
        report_problems(exc.problems)
        count = sum(1 for p in exc.problems if p.is_error)
        print(
            f"{count} error{'s' if count != 1 else ''} in the content: nothing was built or "
            "sent. Fix the lines above and run the command again.",
            file=sys.stderr,
        )
        return exc.exit_code
    except TipsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of the output left (`make check | head`)
        # Python's recipe: what is left to flush goes nowhere, not into a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a process ended by SIGPIPE
