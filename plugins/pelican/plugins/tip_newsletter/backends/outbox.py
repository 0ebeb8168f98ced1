"""The embedded default: each email as a standard ``.eml`` file in the outbox.

``outbox/<lang>/<ISO year>-W<ww>-<slug>.eml``, written atomically; a record
(``outbox/sent.json``) remembers what was written. A file that exists counts
as sent even without its record (a run stopped between the two), so a rerun
never writes a tip twice.
"""

from __future__ import annotations

import os

from tips_core.naming import email_file_name, slug_of_email_file
from tips_core.problems import display_path
from tips_core.safe_write import atomic_open
from tips_core.weeks import IsoWeek

from ..ledger import Ledger, SentRecord
from ..rendering import RenderedEmail
from .base import BaseBackend


class OutboxBackend(BaseBackend):
    name = "outbox"

    @property
    def ledger(self) -> Ledger:
        return Ledger(os.path.join(self.config.outbox, "sent.json"), self.name)

    def lock_path(self) -> str:
        return os.path.join(self.config.outbox, ".lock")

    def written_folders(self) -> list[tuple[str, bool]]:
        return [(self.config.outbox, True), *super().written_folders()]

    def folder(self, lang: str) -> str:
        return os.path.join(self.config.outbox, lang)

    def path_for(self, lang: str, week: IsoWeek, slug: str) -> str:
        """Where this backend writes a tip's email (the preview reads it back there)."""
        return os.path.join(self.folder(lang), email_file_name(week, slug))

    def path_of(self, email: RenderedEmail) -> str:
        return self.path_for(email.lang, email.source.week, email.source.slug)

    def sent_records(self) -> dict[str, SentRecord]:
        records = self.ledger.load()
        for lang in self.config.tips.languages:
            folder = self.folder(lang)
            if not os.path.isdir(folder):
                continue
            for name in os.listdir(folder):
                slug = slug_of_email_file(name)
                key = f"{slug}/{lang}" if slug else None
                if key and key not in records:
                    path = os.path.join(folder, name)
                    records[key] = SentRecord(
                        key, self.name, "", display_path(path), "file found without its record"
                    )
        return records

    def deliver(self, email: RenderedEmail) -> tuple[str, str, bool]:
        message = self.message(email)
        path = self.path_of(email)
        with atomic_open(path, "wb") as handle:
            handle.write(message.as_bytes())
        return display_path(path), "", True
