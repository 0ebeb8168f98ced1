"""What was sent, where and when: a small JSON record per backend, and a lock.

Records are keyed by the email a tip is (``tip-of-the-week/2021-W01/nb``,
tips_core.naming.email_identity) and keep what was sent under it (slug, title,
date), so a later change of slug or title is recognised, never sent again.
A record of the first version (keyed ``slug/lang``) still counts, by slug.

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

LEDGER_VERSION = 2


@dataclass(frozen=True)
class SentRecord:
    key: str  # the email's identity: series/ISO week/lang (slug/lang in version 1)
    backend: str
    sent_at: str  # ISO 8601, local time with offset
    where: str  # a file, a campaign id, "console", "memory"
    note: str = ""
    slug: str = ""  # what was sent under the identity
    title: str = ""
    date: str = ""  # the tip's date, ISO 8601

    @property
    def legacy(self) -> bool:
        """A record of the first version, keyed by slug/lang: it matches by slug."""
        return self.key.count("/") == 1

    def describe(self) -> str:
        place = f"campaign {self.where}" if self.backend == "mailchimp" else self.where
        note = f"; {self.note}" if self.note else ""
        when = f"{local_time(self.sent_at)} " if self.sent_at else ""
        return f"{when}via {self.backend} ({place}{note})"


def parse_moment(iso: str) -> datetime.datetime | None:
    """A moment as records and Mailchimp write it (ISO 8601, ``Z`` for UTC); None
    for text that is not one."""
    try:
        return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None


def local_time(iso: str) -> str:
    """``2021-01-20 12:00 +01:00``: a recorded moment as status lines show it, with
    its offset from UTC, so nobody has to guess the zone."""
    moment = parse_moment(iso)
    return iso if moment is None else zoned(moment)


def zoned(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        return f"{moment:%Y-%m-%d %H:%M}"
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


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
                slug=str(item.get("slug", key.split("/")[0] if key.count("/") == 1 else "")),
                title=str(item.get("title", "")),
                date=str(item.get("date", "")),
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
