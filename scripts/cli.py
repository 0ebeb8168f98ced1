"""What every command-line script shares: settings, logging, errors to exit codes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from pelican.plugins.weekly_tips.errors import ContentError, TipsError


def setup_logging(verbose: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)


def run(action: Callable[[], int]) -> int:
    """Run a command; turn our errors into their message and exit code."""
    try:
        return action()
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(
            f"{count} problem{'s' if count != 1 else ''} in the content: fix "
            f"{'them' if count != 1 else 'it'} and run the command again.",
            file=sys.stderr,
        )
        return exc.exit_code
    except TipsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
