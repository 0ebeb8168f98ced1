"""Editors keeping five languages in step: calendar, checks, tidy, holidays."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(root: Path, *args: str) -> str:
    """git in a test's own repository, with an identity of its own."""
    return subprocess.run(
        ["git", "-c", "user.name=Ed", "-c", "user.email=ed@example.org", *args],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
