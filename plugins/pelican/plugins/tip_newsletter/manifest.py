"""The hand-over from the build to the sending step: the emails the build could send.

The build writes, for every tip that may be emailed now (published, not opted
out, not in the future, not too old), its :class:`EmailSource` to
``<NEWSLETTER_STATE_PATH>/manifest.json``. Sending reads it back: the site's
week labels, URLs and share links are used as built, and no content is read
again. It stays small: only the tips of the last ``NEWSLETTER_MAX_AGE_DAYS``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable

from tips_core.safe_write import atomic_open

from .email_source import EmailSource
from .errors import NewsletterError

MANIFEST = "manifest.json"
VERSION = 1


def manifest_path(state_path: str) -> str:
    return os.path.join(state_path, MANIFEST)


def write_manifest(state_path: str, sources: Iterable[EmailSource], built_at: str) -> str:
    path = manifest_path(state_path)
    data = {
        "version": VERSION,
        "built_at": built_at,
        "emails": [source.to_json() for source in sources],
    }
    with atomic_open(path, "w", "utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
    return path


def read_manifest(state_path: str) -> dict[str, EmailSource]:
    path = manifest_path(state_path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise NewsletterError(
            f"{path} is missing: build the site first (the build lists the emails it may send)"
        ) from None
    except (OSError, ValueError) as exc:
        raise NewsletterError(f"{path} cannot be read ({exc}): build the site again") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise NewsletterError(f"{path} is from another version: build the site again")
    try:
        sources = [EmailSource.from_json(item) for item in data.get("emails", [])]
    except (TypeError, ValueError, AttributeError) as exc:
        raise NewsletterError(f"{path} cannot be read ({exc}): build the site again") from None
    return {source.key: source for source in sources}
