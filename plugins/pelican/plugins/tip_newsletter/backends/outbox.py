"""The embedded default: each email as a standard ``.eml`` file in the outbox.

``outbox/<lang>/<ISO year>-W<ww>-<slug>.eml``, written atomically; a record
(``outbox/sent.json``) remembers what was written. A file that exists counts
as sent even without its record (a run stopped between the two), so a rerun
never writes a tip twice.
"""

from __future__ import annotations

import os
import re

from tips_core.problems import display_path
from tips_core.safe_write import atomic_open

from ..ledger import Ledger, SentRecord
from ..message import build_message
from ..rendering import RenderedEmail
from .base import BaseBackend

_EML_RE = re.compile(r"(?P<year>\d{4})-W(?P<week>\d{2})-(?P<slug>[a-z0-9-]+)\.eml")


class OutboxBackend(BaseBackend):
    name = "outbox"

    @property
    def ledger(self) -> Ledger:
        return Ledger(os.path.join(self.config.outbox, "sent.json"), self.name)

    def lock_path(self) -> str:
        return os.path.join(self.config.outbox, ".lock")

    def written_folders(self) -> list[tuple[str, bool]]:
        return [(self.config.outbox, True), *super().written_folders()]

    def path_of(self, email: RenderedEmail) -> str:
        return os.path.join(self.config.outbox, email.lang, f"{email.source.file_stem}.eml")

    def sent_records(self) -> dict[str, SentRecord]:
        records = self.ledger.load()
        for lang in self.config.tips.languages:
            folder = os.path.join(self.config.outbox, lang)
            if not os.path.isdir(folder):
                continue
            for name in os.listdir(folder):
                match = _EML_RE.fullmatch(name)
                key = f"{match['slug']}/{lang}" if match else None
                if key and key not in records:
                    path = os.path.join(folder, name)
                    records[key] = SentRecord(
                        key, self.name, "", display_path(path), "file found without its record"
                    )
        return records

    def deliver(self, email: RenderedEmail) -> tuple[str, str, bool]:
        message = build_message(
            email, from_name=self.config.from_name, reply_to=self.config.reply_to
        )
        path = self.path_of(email)
        with atomic_open(path, "wb") as handle:
            handle.write(message.as_bytes())
        return display_path(path), "", True
