"""`make tidy`: rename content files to the naming convention of PRODUCT.md.

Prints each file it moved and each link it rewrote; exit 1 when a file could
not be moved (another file holds its name).
"""

from __future__ import annotations

import argparse
import sys

from scripts.cli import add_settings_arguments, report_problems, run, settings_from
from tips_app.pipeline import check
from tips_app.tidy import tidy
from tips_core.problems import display_path


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)

    def action() -> int:
        settings = settings_from(args)
        result = tidy(check(settings), settings["PATH"])
        for path, line in result.links:
            print(f"{display_path(path)}:{line}: link rewritten to the new name")
        for path, line in result.redirects:
            print(f"{display_path(path)}:{line}: redirect target rewritten to the new name")
        for path in result.records:
            print(f"{display_path(path)}: the import record follows the new names")
        for old, new in result.moved:
            print(f"moved {display_path(old)} -> {display_path(new)}")
        report_problems(result.problems, sys.stdout)
        if not result.moved and not result.problems:
            print("Every tip is named by the convention: nothing to move.")
        elif result.moved:
            count = len(result.moved)
            print(f"Renamed {count} file{'s' if count != 1 else ''}; commit the change.")
        return 1 if result.problems else 0

    return run(action)


if __name__ == "__main__":
    sys.exit(main())
