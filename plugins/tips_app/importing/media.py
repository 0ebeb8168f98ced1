"""Images of imported posts: into ``content/images/<year>/``, linked with ``{static}``.

An image left on the old host is a request to a third party on every page
view, and gone when the old blog is. Each image is taken from a local copy of
``wp-content/uploads`` (``UPLOADS=``) when there is one, else downloaded
(requests, with a timeout and a size limit); ``DOWNLOAD=0`` keeps the remote
links. What cannot be fetched keeps its remote link and is listed in the
report (and `make check` warns about every remote image left).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import requests

from tips_core.safe_write import atomic_open
from tips_core.slugs import slugify

from .record import Record

TIMEOUT_SECONDS = 20
MAX_IMAGE_BYTES = 20_000_000
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif")
_UPLOADS_RE = re.compile(r"/wp-content/uploads/(.+)$")
_YEAR_RE = re.compile(r"/((?:19|20)\d\d)/")


@dataclass(frozen=True)
class MediaOptions:
    uploads: str  # a local copy of wp-content/uploads, or ''
    download: bool
    content_path: str


@dataclass
class MediaStep:
    options: MediaOptions
    base_url: str
    record: Record
    dry_run: bool = False
    actions: dict[str, str] = field(default_factory=dict)  # address -> what became of it
    _targets: dict[str, str | None] = field(default_factory=dict)

    def target(self, address: str, year: str) -> str | None:
        """The ``{static}`` link of an image, fetched now; None keeps it remote."""
        if address in self._targets:
            return self._targets[address]
        self._targets[address] = found = self._fetch(address, year)
        return found

    def _fetch(self, address: str, year: str) -> str | None:
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https"):
            return None
        year_match = _YEAR_RE.search(parts.path)
        folder = year_match.group(1) if year_match else year
        rel = f"images/{folder}/{_file_name(parts.path)}"
        path = os.path.join(self.options.content_path, rel)
        link = "{static}/" + rel
        if os.path.exists(path):  # fetched by an earlier run
            self.actions[address] = f"in content/{rel}"
            return link
        uploads = _UPLOADS_RE.search(unquote(parts.path))
        local = (
            os.path.join(self.options.uploads, uploads.group(1))
            if uploads and self.options.uploads
            else ""
        )
        if local and not os.path.isfile(local):
            local = ""
        if not local and not self.options.download:
            self.actions[address] = "kept remote (DOWNLOAD=0)"
            return None
        if self.dry_run:
            self.actions[address] = (
                f"would be {'copied' if local else 'downloaded'} to content/{rel}"
            )
            return link
        try:
            data = _read_local(local) if local else _download(address)
        except (OSError, requests.RequestException, ValueError) as exc:
            self.actions[address] = f"not fetched, kept remote: {exc}"
            return None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with atomic_open(path, "wb", None) as handle:
            handle.write(data)
        self.actions[address] = f"{'copied' if local else 'downloaded'} to content/{rel}"
        return link


def _file_name(path: str) -> str:
    name = os.path.basename(unquote(path)) or "image"
    stem, ext = os.path.splitext(name)
    ext = ext.lower() if ext.lower() in IMAGE_EXTENSIONS else ".img"
    return (slugify(stem, 80) or "image") + ext


def _read_local(path: str) -> bytes:
    if os.path.getsize(path) > MAX_IMAGE_BYTES:
        raise ValueError(f"over {MAX_IMAGE_BYTES // 1_000_000} MB")
    with open(path, "rb") as handle:
        return handle.read()


def _download(address: str) -> bytes:
    with requests.get(address, timeout=TIMEOUT_SECONDS, stream=True) as response:
        response.raise_for_status()
        kind = response.headers.get("Content-Type", "")
        if not kind.startswith("image/"):
            raise ValueError(f"the server sent {kind or 'no type'}, not an image")
        data = bytearray()
        for chunk in response.iter_content(65536):
            data += chunk
            if len(data) > MAX_IMAGE_BYTES:
                raise ValueError(f"over {MAX_IMAGE_BYTES // 1_000_000} MB")
        return bytes(data)
