"""The interface every backend offers, after Django's email backends.

A backend knows how its emails link to unsubscribing (its :class:`Variant`),
where it keeps the record of what it sent, and how to send one email. The
dispatcher holds the backend's lock while it decides and sends, so two runs at
once cannot both send the same tip.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Self

from tips_core.partial_files import remove_partial_files

from ..errors import BackendError
from ..ledger import Ledger, SentRecord, file_lock, now_iso
from ..message import build_message, test_message
from ..rendering import RenderedEmail, Variant
from ..settings import NewsletterSettings


@dataclass(frozen=True)
class Delivery:
    record: SentRecord
    new: bool  # False when the backend found it had been sent before (e.g. by an earlier run)


class BaseBackend:
    """Constructed with the settings alone, a backend can read what it sent (its
    :meth:`sent_records`) without any credentials; :meth:`for_sending` makes one
    that may send."""

    name = "base"

    def __init__(self, config: NewsletterSettings):
        self.config = config

    @classmethod
    def for_sending(cls, config: NewsletterSettings, environ: Mapping[str, str]) -> Self:
        """The backend ready to send, its credentials (read from ``environ``) checked."""
        return cls(config)

    @classmethod
    def for_reading(cls, config: NewsletterSettings, environ: Mapping[str, str]) -> Self:
        """The backend that reads what it sent (``make newsletter-status``); it sends
        nothing, so it needs only what reading needs."""
        return cls(config)

    def connect(self) -> None:
        """Reach the provider to read what it sent (a no-op for local backends)."""

    def reading_caveat(self) -> str:
        """'' when :meth:`sent_records` is the whole truth, else what it lacks."""
        return ""

    def message(self, email: RenderedEmail) -> EmailMessage:
        """The email as a message from the sender of its language."""
        lang = email.lang
        return build_message(
            email, from_name=self.config.from_name(lang), reply_to=self.config.reply_to(lang)
        )

    @property
    def variant(self) -> Variant:
        return Variant(self.name, postal_address=self.config.postal_address)

    @property
    def ledger(self) -> Ledger:
        return Ledger(os.path.join(self.config.state_path, f"{self.name}.json"), self.name)

    def lock_path(self) -> str:
        return os.path.join(self.config.state_path, f"{self.name}.lock")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        with file_lock(self.lock_path(), self.config.lock_timeout):
            # What an interrupted run was writing is never trusted, and gone now.
            for folder, recursive in self.written_folders():
                remove_partial_files(folder, recursive)
            yield

    def written_folders(self) -> list[tuple[str, bool]]:
        """The folders this backend writes to, and whether their subfolders too."""
        return [(self.config.state_path, False)]

    def sent_records(self) -> dict[str, SentRecord]:
        return self.ledger.load()

    def open(self) -> None:
        """Get ready to send (check credentials, look up earlier runs); once per run."""

    def close(self) -> None:
        """Release what :meth:`open` took."""

    def send(self, email: RenderedEmail) -> Delivery:
        """Send one email and record it; never twice for the same email (series, week
        and language). Raises :class:`~..errors.NoSubscribers` when nobody would get it."""
        where, note, new = self.deliver(email)
        record = self.record_of(email, where, note)
        self.ledger.add(record)
        return Delivery(record, new)

    def record_of(self, email: RenderedEmail, where: str, note: str = "") -> SentRecord:
        """The record of ``email`` sent now: its identity, and what was sent under it."""
        source = email.source
        return SentRecord(
            email.email_id,
            self.name,
            now_iso(self.config.tips.timezone),
            where,
            note,
            slug=source.slug,
            title=source.title,
            date=source.date,
        )

    def deliver(self, email: RenderedEmail) -> tuple[str, str, bool]:
        """Hand the email over; return (where it went, a note, whether it is new)."""
        raise NotImplementedError

    def send_test(self, email: RenderedEmail, to: str) -> str:
        """Send ``email`` to the one address ``to`` (`make test-send`), never to
        subscribers and without recording it as sent; return where it went."""
        raise BackendError(f"NEWSLETTER_BACKEND: {self.name} cannot send a test email")

    def test_message(self, email: RenderedEmail, to: str) -> EmailMessage:
        lang = email.lang
        return test_message(
            email, to, from_name=self.config.from_name(lang), reply_to=self.config.reply_to(lang)
        )
