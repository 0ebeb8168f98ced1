"""`make tidy`: rename tips to ``content/tips/<year>/<year>-w<ww>-<slug>.<lang>.md``.

A tip's name follows its front matter: after a date moves to another week or
a slug changes, the name says so too. Inside a git checkout a committed file
is moved with ``git mv``, so its history follows it. Every ``{filename}`` link
to a moved file is rewritten to its new path: a rename never breaks a link.
What refers to a tip by its path follows it too: its comment archive (moved
beside it), the redirect list's targets and the records of `make import`
(so a second import finds the file where it now is, instead of writing it
again).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field

from tips_core.comment_archive import comments_path
from tips_core.content_check import ContentReport
from tips_core.link_check import LINK_RE, resolve
from tips_core.name_check import conventional_path
from tips_core.problems import ERROR, Problem, display_path
from tips_core.redirects import rename_targets

from .importing.record import Record, RecordError, follow_renames


@dataclass
class TidyResult:
    moved: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)  # (file, line) rewritten
    redirects: list[tuple[str, int]] = field(default_factory=list)  # (file, line) rewritten
    records: list[str] = field(default_factory=list)  # import records rewritten
    problems: list[Problem] = field(default_factory=list)


def plan(report: ContentReport, content_path: str) -> tuple[dict[str, str], list[Problem]]:
    """old -> new absolute paths of the readable tips not named by the convention."""
    root = os.path.abspath(content_path)
    wanted: dict[str, list[str]] = {}
    for tip in report.tips:
        old, new = os.path.abspath(tip.path), conventional_path(tip, root)
        if old != new:
            wanted.setdefault(new, []).append(old)
    moves, problems = {}, []
    for new, olds in wanted.items():
        if len(olds) > 1 or os.path.exists(new):
            for old in olds:
                others = ", ".join(display_path(o) for o in olds if o != old)
                reason = f"so would {others}" if others else "another file is there"
                problems.append(
                    Problem(
                        old,
                        1,
                        f"cannot rename this file to {display_path(new)}: {reason}; "
                        "make check says what to change",
                        ERROR,
                    )
                )
        else:
            moves[olds[0]] = new
    for old, new in list(moves.items()):
        archive, archive_new = comments_path(old), comments_path(new)
        if not os.path.exists(archive):
            continue
        if os.path.exists(archive_new):
            del moves[old]
            problems.append(
                Problem(
                    old,
                    1,
                    f"cannot rename this file to {display_path(new)}: its comment archive "
                    f"would replace {display_path(archive_new)}; move or remove that file",
                    ERROR,
                )
            )
        else:
            moves[archive] = archive_new
    return moves, problems


def tidy(report: ContentReport, content_path: str) -> TidyResult:
    moves, problems = plan(report, content_path)
    result = TidyResult(problems=problems)
    root = os.path.abspath(content_path)
    try:  # a record that cannot follow the renames: move nothing
        Record.every(root)
    except RecordError as exc:
        result.problems.append(
            Problem(exc.path, 1, f"{exc.why}: nothing was renamed; restore it from git", ERROR)
        )
        return result
    for source in report.sources:
        if source.ok:
            result.links.extend(_rewrite_links(source.path, source.body_line, moves, root))
    git = _in_git(root)
    for old, new in sorted(moves.items()):
        os.makedirs(os.path.dirname(new), exist_ok=True)
        if git and _tracked(old):
            subprocess.run(
                ["git", "-C", os.path.dirname(old), "mv", old, new], check=True, capture_output=True
            )
        else:
            os.rename(old, new)
        result.moved.append((old, new))
    renamed = {
        os.path.relpath(old, root).replace(os.sep, "/"): os.path.relpath(new, root).replace(
            os.sep, "/"
        )
        for old, new in moves.items()
    }
    result.redirects = rename_targets(root, renamed)
    result.records = follow_renames(root, renamed)
    return result


def _rewrite_links(path: str, body_line: int, moves: dict[str, str], root: str):
    """Point each ``{filename}`` link to a moved file at its new path."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    changed = []
    for index in range(body_line - 1, len(lines)):
        line = lines[index]
        for match in reversed(list(LINK_RE.finditer(line))):
            if match["what"] != "filename":
                continue
            new = moves.get(resolve(path, match["target"], root))
            if new is None:
                continue
            anchor = match["target"][len(match["target"].split("#", 1)[0]) :]
            target = "/" + os.path.relpath(new, root).replace(os.sep, "/") + anchor
            line = line[: match.start("target")] + target + line[match.end("target") :]
        if line != lines[index]:
            lines[index] = line
            changed.append((path, index + 1))
    if changed:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
    return changed


def _git(*args: str) -> bool:
    try:
        done = subprocess.run(["git", *args], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _in_git(folder: str) -> bool:
    return _git("-C", folder, "rev-parse", "--is-inside-work-tree")


def _tracked(path: str) -> bool:
    return _git("-C", os.path.dirname(path), "ls-files", "--error-unmatch", os.path.basename(path))
