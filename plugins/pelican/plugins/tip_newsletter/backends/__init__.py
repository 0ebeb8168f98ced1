"""The backends behind one small interface, chosen by ``NEWSLETTER_BACKEND``.

Which backends there are is :data:`~..registry.BACKENDS`; both functions here
go through it.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..ledger import SentRecord
from ..registry import backend_class
from ..settings import NewsletterSettings
from .base import BaseBackend, Delivery

__all__ = ["BaseBackend", "Delivery", "get_backend", "reading_backend", "sent_records"]


def get_backend(
    config: NewsletterSettings, name: str | None = None, environ: Mapping[str, str] | None = None
) -> BaseBackend:
    """The backend ``name`` (default: the configured one), ready to send: its settings
    and credentials (from ``environ``) checked."""
    return backend_class(name or config.backend).for_sending(
        config, environ if environ is not None else {}
    )


def sent_records(config: NewsletterSettings, name: str) -> dict[str, SentRecord]:
    """What backend ``name`` recorded as sent, read locally (no credentials needed)."""
    return backend_class(name)(config).sent_records()


def reading_backend(
    config: NewsletterSettings, environ: Mapping[str, str]
) -> tuple[BaseBackend, str]:
    """The configured backend, connected to read what it sent where it can (Mailchimp
    with its key), and a caveat to print when it only knows the local record."""
    backend = backend_class(config.backend).for_reading(config, environ)
    backend.connect()
    return backend, backend.reading_caveat()
