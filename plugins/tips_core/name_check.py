"""File names that say what is inside: ``<ISO year>-w<ww>-<slug>.<lang>.md``.

The build reads a tip's week, slug and language from its front matter, never
from its name, so a name that disagrees (a date moved to another week, a slug
renamed) misleads only the people looking for the file. ``make check`` warns
and gives the right name; ``make tidy`` renames.
"""

from __future__ import annotations

import os

from .naming import TIP_FILE_RE, TIPS_FOLDER, tip_file_name, tip_file_path
from .problems import WARNING, Problem, display_path
from .source_file import SourceFile
from .weeks import IsoWeek


def conventional_path(tip: SourceFile, content_path: str) -> str:
    week = IsoWeek.of(tip.fields["date"].date())
    return tip_file_path(content_path, week, tip.fields["slug"], tip.fields["lang"])


def misnamed(tips: list[SourceFile], content_path: str) -> list[tuple[SourceFile, str]]:
    """(tip, where it belongs) for each readable tip under ``content/tips/`` whose
    path is not the conventional one. A tip outside that folder is an error of
    its own (address_check), with the same right place."""
    content = os.path.abspath(content_path)
    root = os.path.join(content, TIPS_FOLDER, "")
    found = []
    for tip in tips:
        path = tip.path if os.path.isabs(tip.path) else os.path.abspath(tip.path)
        if not path.startswith(root):
            continue
        week = IsoWeek.of(tip.fields["date"].date())
        # tip_file_path, on the folder already joined: this runs once per tip.
        name = tip_file_name(week, tip.fields["slug"], tip.fields["lang"])
        right = f"{root}{week.year}{os.sep}{name}"
        if path != right:
            found.append((tip, right))
    return found


def name_problems(tips: list[SourceFile], content_path: str) -> list[Problem]:
    problems = []
    for tip, right in misnamed(tips, content_path):
        week = IsoWeek.of(tip.fields["date"].date())
        problems.append(
            Problem(
                tip.path,
                _line_to_blame(tip, week),
                f"the file name does not match the front matter (week {week.code}, slug "
                f"'{tip.fields['slug']}', lang {tip.fields['lang']}): its name is "
                f"{display_path(right)} (make tidy renames it)",
                WARNING,
            )
        )
    return problems


def _line_to_blame(tip: SourceFile, week: IsoWeek) -> int:
    """The field that disagrees with a conventional name; line 1 for any other name."""
    match = TIP_FILE_RE.fullmatch(os.path.basename(tip.path))
    if match is None:
        return 1
    if (int(match["year"]), int(match["week"])) != (week.year, week.week):
        return tip.line_of("date")
    if match["slug"] != tip.fields["slug"]:
        return tip.line_of("slug")
    if match["lang"] != tip.fields["lang"]:
        return tip.line_of("lang")
    return 1  # the right name in the wrong year's folder
