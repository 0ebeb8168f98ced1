"""Outdated translations, from git history: the original changed after the
translation was last committed.

The original of a tip is its nb version, or else its version first committed.
Only ``make check`` and ``make calendar`` ask; the build never runs git. Outside
a git checkout (or without git) nothing is outdated.
"""

from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from dataclasses import dataclass

from tips_core.problems import WARNING, Problem, display_path
from tips_core.source_file import SourceFile

ORIGINAL_LANG = "nb"
_COMMIT_MARK = "\x00"  # what %x00 writes before each commit


@dataclass(frozen=True)
class Change:
    order: int  # 0 is the newest commit
    day: str  # YYYY-MM-DD


def file_history(content_path: str) -> tuple[dict[str, Change], dict[str, Change]]:
    """Each committed file's (absolute path) newest and oldest commit, in one
    ``git log``. Empty outside a git checkout."""
    folder = os.path.abspath(content_path)
    try:
        top = subprocess.run(
            ["git", "-C", folder, "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        if top.returncode != 0:
            return {}, {}
        log = subprocess.run(
            ["git", "-C", folder, "log", "--format=%x00%cs", "--name-only",
             "--no-renames", "--", "."],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}, {}
    if log.returncode != 0:
        return {}, {}
    root = top.stdout.strip()
    newest: dict[str, Change] = {}
    oldest: dict[str, Change] = {}
    change = Change(0, "")
    order = -1
    for line in log.stdout.splitlines():
        if line.startswith(_COMMIT_MARK):
            order += 1
            change = Change(order, line[1:])
        elif line:
            path = os.path.normpath(os.path.join(root, line))
            newest.setdefault(path, change)
            oldest[path] = change
    return newest, oldest


def outdated_translations(tips: list[SourceFile], content_path: str) -> list[Problem]:
    """A warning on each translation whose original was committed after it."""
    newest, oldest = file_history(content_path)
    if not newest:
        return []
    by_slug: dict[str, list[SourceFile]] = defaultdict(list)
    for tip in tips:
        if os.path.abspath(tip.path) in newest:
            by_slug[tip.fields["slug"]].append(tip)
    problems = []
    for group in by_slug.values():
        if len(group) < 2:
            continue
        original = _original(group, oldest)
        changed = newest[os.path.abspath(original.path)]
        for tip in group:
            last = newest[os.path.abspath(tip.path)]
            if tip is original or last.order <= changed.order:
                continue
            problems.append(
                Problem(
                    tip.path,
                    1,
                    f"outdated: its '{original.fields['lang']}' original "
                    f"({display_path(original.path)}) changed on {changed.day}, after this "
                    f"translation was last committed ({last.day}): bring it up to date",
                    WARNING,
                )
            )
    return problems


def _original(group: list[SourceFile], oldest: dict[str, Change]) -> SourceFile:
    for tip in group:
        if tip.fields["lang"] == ORIGINAL_LANG:
            return tip
    # The largest order is the oldest commit.
    return max(group, key=lambda t: oldest[os.path.abspath(t.path)].order)


def outdated_paths(problems: list[Problem]) -> dict[str, str]:
    """translation path -> its problem's message, for the calendar."""
    return {p.path: p.message for p in problems}
