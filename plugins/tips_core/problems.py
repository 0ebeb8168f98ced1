"""Problems found in content, reported as ``path:line: severity: message``.

Every check in the project (the build, ``make check``, ``make new``) reports
through this one shape, so authors learn a single format and editors can jump
to the line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def display_path(path: str) -> str:
    """Show a path relative to the working directory when it lies below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
