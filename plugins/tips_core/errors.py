"""The plugin's exceptions: one base class, and one subclass per kind of failure.

Callers catch ``TipsError`` to turn any of them into a clear message and an
exit code (1 for content, 2 for configuration), never a traceback.
"""

from __future__ import annotations

from .problems import Problem


class TipsError(Exception):
    exit_code = 1


class ContentError(TipsError):
    """Content files have problems; ``problems`` lists every one of them."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigurationError(TipsError):
    """A setting is missing or wrong; the message names the setting."""

    exit_code = 2


class BuildError(TipsError):
    """Pelican did not write what it read (a dropped article, a logged error)."""

    exit_code = 1
