"""What was sent, where and when: a small JSON record per backend, and a lock.

The record is what makes a rerun send nothing twice; the lock is what keeps
two runs at once from both deciding that a tip is still due. The lock is an
``flock`` on a file beside the record: the kernel drops it when the holder
exits, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import time
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass

from tips_core.file_lock import file_lock as shared_file_lock
from tips_core.safe_write import atomic_open

from .errors import BackendError, LockTimeout

logger = logging.getLogger(__name__)

LEDGER_VERSION = 1


@dataclass(frozen=True)
class SentRecord:
    key: str  # slug/lang
    backend: str
    sent_at: str  # ISO 8601, local time with offset
    where: str  # a file, a campaign id, "console", "memory"
    note: str = ""

    def describe(self) -> str:
        when = self.sent_at[:16].replace("T", " ")
        place = f"campaign {self.where}" if self.backend == "mailchimp" else self.where
        note = f"; {self.note}" if self.note else ""
        return f"{when} via {self.backend} ({place}{note})"


def now_iso(timezone: datetime.tzinfo | None = None) -> str:
    """Now, as records keep it: in the site's time zone, to the second."""
    now = datetime.datetime.now(timezone) if timezone else datetime.datetime.now().astimezone()
    return now.isoformat(timespec="seconds")


class Ledger:
    """The sent records of one backend, kept in one JSON file."""

    def __init__(self, path: str, backend: str):
        self.path = path
        self.backend = backend

    def load(self) -> dict[str, SentRecord]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            return self._set_aside(str(exc))
        sent = data.get("sent") if isinstance(data, dict) else None
        if not isinstance(sent, dict) or not all(isinstance(v, dict) for v in sent.values()):
            return self._set_aside("not a record of sent emails")
        records = {}
        for key, item in sent.items():
            records[key] = SentRecord(
                key=key,
                backend=str(item.get("backend", self.backend)),
                sent_at=str(item.get("sent_at", "")),
                where=str(item.get("where", "")),
                note=str(item.get("note", "")),
            )
        return records

    def _set_aside(self, problem: str) -> dict[str, SentRecord]:
        """A damaged record is kept beside, not trusted, and not fatal: it only spares
        the backend a question. What was sent is found where it went (the outbox's
        .eml files, Mailchimp's campaigns) before anything is sent again."""
        aside = f"{self.path}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}"
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            raise BackendError(
                f"{self.path}: the record of sent emails cannot be read ({problem}) nor moved "
                f"aside ({exc.strerror}); restore it from a backup"
            ) from None
        logger.warning(
            "The record of sent emails %s cannot be read (%s); kept as %s. What was sent is "
            "looked up where it went (%s) before anything is sent.",
            self.path,
            problem,
            aside,
            self.backend,
        )
        return {}

    def add(self, record: SentRecord) -> None:
        """Add one record; the file is replaced whole, so a crash leaves the old one."""
        records = self.load()
        records[record.key] = record
        data = {
            "version": LEDGER_VERSION,
            "backend": self.backend,
            "sent": {
                key: {k: v for k, v in asdict(r).items() if k != "key" and v != ""}
                for key, r in sorted(records.items())
            },
        }
        with atomic_open(self.path, "w", "utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")


def file_lock(path: str, timeout: float) -> AbstractContextManager[None]:
    """Hold the sending lock at ``path``, waiting up to ``timeout`` seconds."""
    return shared_file_lock(
        path,
        timeout,
        on_timeout=lambda: LockTimeout(
            f"another run is sending the newsletter (it holds {path}); wait for it "
            "to finish and run the command again (NEWSLETTER_LOCK_TIMEOUT)"
        ),
        waiting="Waiting for another run to finish sending",
    )
