"""The embedded default: each email as a standard ``.eml`` file in the outbox.

``outbox/<lang>/<ISO year>-W<ww>-<slug>.eml``, written atomically; a record
(``outbox/sent.json``) remembers what was written. A file that exists counts
as sent even without its record (a run stopped between the two), so a rerun
never writes a week's email twice: the file's ``X-Newsletter-Email`` header
says which email it is (series, week, language).
"""

from __future__ import annotations

import os
from email.parser import BytesHeaderParser

from tips_core.naming import (
    email_file_name,
    email_identity,
    slug_of_email_file,
    week_of_email_file,
)
from tips_core.problems import display_path
from tips_core.safe_write import atomic_open
from tips_core.weeks import DEFAULT_SERIES, IsoWeek

from ..ledger import Ledger, SentRecord
from ..message import EMAIL_ID_HEADER
from ..rendering import RenderedEmail
from .base import BaseBackend

TEST_FOLDER = "test-send"  # not a language: the sent-file scan never reads it


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
            for name in sorted(os.listdir(folder)):
                week, slug = week_of_email_file(name), slug_of_email_file(name)
                if week is None or slug is None:
                    continue
                path = os.path.join(folder, name)
                key = email_id_of_file(path) or email_identity(DEFAULT_SERIES, week, lang)
                if key not in records:
                    records[key] = SentRecord(
                        key,
                        self.name,
                        "",
                        display_path(path),
                        "file found without its record",
                        slug=slug,
                    )
        return records

    def send_test(self, email: RenderedEmail, to: str) -> str:
        """Beside the outbox's emails, never among them: ``outbox/test-send/<lang>/``
        is not what the outbox counts as sent."""
        name = os.path.basename(self.path_of(email))
        path = os.path.join(self.config.outbox, TEST_FOLDER, email.lang, name)
        with atomic_open(path, "wb") as handle:
            handle.write(self.test_message(email, to).as_bytes())
        return display_path(path)

    def deliver(self, email: RenderedEmail) -> tuple[str, str, bool]:
        message = self.message(email)
        path = self.path_of(email)
        with atomic_open(path, "wb") as handle:
            handle.write(message.as_bytes())
        return display_path(path), "", True


def email_id_of_file(path: str) -> str | None:
    """The identity an outbox file's header records (None for an unreadable file or
    one written before the header existed)."""
    try:
        with open(path, "rb") as handle:
            headers = BytesHeaderParser().parse(handle)
    except OSError:
        return None
    value = headers.get(EMAIL_ID_HEADER)
    return str(value).strip() if value else None
