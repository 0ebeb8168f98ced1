"""The backends behind one small interface, chosen by ``NEWSLETTER_BACKEND``."""

from __future__ import annotations

from collections.abc import Mapping

from ..ledger import SentRecord
from ..settings import NewsletterSettings
from .base import BaseBackend, Delivery

__all__ = ["BaseBackend", "Delivery", "get_backend", "recorded"]


def get_backend(
    config: NewsletterSettings, name: str | None = None, environ: Mapping[str, str] | None = None
) -> BaseBackend:
    """The backend ``name`` (default: the configured one), its settings checked."""
    name = name or config.backend
    if name == "outbox":
        from .outbox import OutboxBackend

        return OutboxBackend(config)
    if name == "console":
        from .console import ConsoleBackend

        return ConsoleBackend(config)
    if name == "locmem":
        from .locmem import LocmemBackend

        return LocmemBackend(config)
    from .mailchimp import MailchimpBackend  # the settings check made sure of the name

    return MailchimpBackend(config, environ if environ is not None else {})


def recorded(config: NewsletterSettings, name: str) -> dict[str, SentRecord]:
    """What backend ``name`` recorded as sent, read locally (no credentials needed)."""
    if name == "mailchimp":
        from .mailchimp import mailchimp_ledger

        return mailchimp_ledger(config).load()
    if name == "locmem":
        return {}
    return get_backend(config, name).sent_records()
