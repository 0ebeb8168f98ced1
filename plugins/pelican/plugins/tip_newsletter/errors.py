"""The newsletter's exceptions: one base class and one subclass per kind of failure.

They derive from the site's ``TipsError`` so every command turns them into
their message and exit code (1 for content, 2 for settings and backends),
never a traceback.
"""

from __future__ import annotations

from tips_core.errors import ContentError as TipsContentError
from tips_core.errors import TipsError


class NewsletterError(TipsError):
    exit_code = 2


class ConfigurationError(NewsletterError):
    """A newsletter setting is missing or wrong; the message names the setting."""

    exit_code = 2


class BackendError(NewsletterError):
    """The email provider refused or failed; the message says what to do."""

    exit_code = 2


class ContentError(NewsletterError, TipsContentError):
    """Tips that cannot be made into emails; ``problems`` names each file, as the
    site's own content errors do (``path:line: error: message``)."""

    exit_code = 1


class NoSubscribers(BackendError):
    """The email's language has no subscribers yet: not a failure, a skip; nothing
    was left behind, and a later run sends it if subscribers arrive in time."""


class LockTimeout(BackendError):
    """Another run is sending through the same backend."""
