"""Keeps the emails in memory, for tests: ``backend.messages`` holds what was sent."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from email.message import EmailMessage

from ..ledger import SentRecord
from ..rendering import RenderedEmail
from ..settings import NewsletterSettings
from .base import BaseBackend, Delivery


class LocmemBackend(BaseBackend):
    name = "locmem"

    def __init__(self, config: NewsletterSettings):
        super().__init__(config)
        self.messages: list[EmailMessage] = []
        self.test_messages: list[EmailMessage] = []
        self.records: dict[str, SentRecord] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        with self._lock:
            yield

    def sent_records(self) -> dict[str, SentRecord]:
        return dict(self.records)

    def send(self, email: RenderedEmail) -> Delivery:
        self.messages.append(self.message(email))
        record = self.record_of(email, "memory")
        self.records[record.key] = record
        return Delivery(record, True)

    def send_test(self, email: RenderedEmail, to: str) -> str:
        self.test_messages.append(self.test_message(email, to))
        return "memory"
