"""The backends by name: the values of ``NEWSLETTER_BACKEND``, each with its class.

The one table the settings check, :func:`~.backends.get_backend` (the backend
that sends) and :func:`~.backends.sent_records` (what a backend recorded, read
without credentials) all use. A class is imported when it is first asked for,
so checking a name never loads Mailchimp's client, and this module imports no
backend: ``settings.py`` can import it without a cycle.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .backends.base import BaseBackend

# name -> "<module of tip_newsletter.backends>.<class>", after Django's dotted paths
BACKENDS: dict[str, str] = {
    "outbox": "outbox.OutboxBackend",
    "console": "console.ConsoleBackend",
    "locmem": "locmem.LocmemBackend",
    "mailchimp": "mailchimp.MailchimpBackend",
}


def backend_class(name: str) -> type[BaseBackend]:
    """The class of backend ``name``; a ``KeyError`` for a name not in :data:`BACKENDS`
    (the settings check names the setting before anything asks)."""
    module, _, cls = BACKENDS[name].rpartition(".")
    return getattr(importlib.import_module(f"{__package__}.backends.{module}"), cls)
