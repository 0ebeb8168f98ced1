"""Skip rendering pages whose inputs have not changed since the last build.

Every page gets a render key: a digest of everything it shows (the source
files of the tips on it, their URLs and labels, its neighbours and language
versions) plus a site-wide fingerprint of the templates, catalogs, plugin code
and settings. When a page's key matches the last build's and its file is
still there, it is not rendered again. After editing one tip, only the pages
that show it are rendered: its own, its neighbours, its week, tags, author,
archive, home and feed.

The manifest also lists every page the last build wrote, so pages of a tip
that was removed or renamed are deleted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from typing import Any

from .safe_write import atomic_open

logger = logging.getLogger(__name__)

# Settings that change on every build or hold live objects, not configuration.
_VOLATILE_SETTINGS = (
    "TIPS_NOW",
    "TIPS_CONTENT_STORE",
    "TIPS_RENDER_CACHE",
    "TIPS_SEARCH_JOB",
)
_PLAIN = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """Settings as JSON-able data, leaving out what cannot be compared across runs."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    return type(value).__name__


def _files_digest(digest, roots: Iterable[str], suffixes: tuple[str, ...]) -> None:
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(suffixes):
                    path = os.path.join(dirpath, name)
                    digest.update(path.encode())
                    with open(path, "rb") as handle:
                        digest.update(handle.read())


def site_fingerprint(settings: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    plain = {k: v for k, v in settings.items() if k not in _VOLATILE_SETTINGS}
    digest.update(json.dumps(_plain(plain), sort_keys=True).encode())
    theme = settings.get("THEME", "")
    plugins = os.path.dirname(os.path.dirname(__file__))  # every plugin's code
    _files_digest(
        digest,
        [os.path.join(theme, "templates"), os.path.join(theme, "translations"), plugins],
        (".html", ".po", ".py", ".txt", ".xml"),
    )
    return digest.hexdigest()


_PLAIN_TYPES = frozenset(_PLAIN)


def content_signature(content: Any) -> tuple:
    """What identifies a tip or page as shown: its source file's state, URL and
    week label. Kept on the object: a tip shows on many pages of a build."""
    cached = content.__dict__.get("_render_signature")
    if cached is None:
        cached = (content.source_stamp, content.url, getattr(content, "week_label", None))
        content.__dict__["_render_signature"] = cached
    return cached


def signature(value: Any) -> Any:
    """What a template can show of a value, as comparable data: tips and pages
    by their source file's state, URL and week label; containers item by item.

    Called for every page of every build, so the common cases come first.
    """
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is tuple or kind is list:
        return tuple([v if type(v) in _PLAIN_TYPES else signature(v) for v in value])
    if kind is dict:
        return tuple(
            sorted(
                (str(k), v if type(v) in _PLAIN_TYPES else signature(v)) for k, v in value.items()
            )
        )
    if hasattr(value, "source_stamp"):
        return content_signature(value)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), signature(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(signature(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple((f.name, signature(getattr(value, f.name))) for f in dataclasses.fields(value))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(signature(v)) for v in value))
    return str(value)


def key_of(*parts: Any) -> str:
    return hashlib.sha1(repr(signature(parts)).encode(), usedforsecurity=False).hexdigest()


def _inside(name: object) -> bool:
    """A file name relative to the output, not leading out of it (pages are deleted
    by the names the manifest lists)."""
    return (
        isinstance(name, str)
        and bool(name)
        and not os.path.isabs(name)
        and os.pardir not in name.replace(os.sep, "/").split("/")
    )


class RenderCache:
    def __init__(
        self, cache_dir: str | None, output_path: str, fingerprint: str, trust_output: bool = True
    ):
        self.output_path = output_path
        self.fingerprint = fingerprint
        # False after an interrupted build: its pages may be newer than the manifest.
        self.trust_output = trust_output
        self.path = os.path.join(cache_dir, "render-manifest.json") if cache_dir else None
        self._previous_tips: set[str] = set()
        self._previous: dict[str, str] = self._load()
        self.current: dict[str, str] = {}
        self.current_tips: set[str] = set()  # tip pages: what the search index holds
        self.rendered = 0
        self.skipped = 0
        self.tips_rendered = 0
        self.removed: list[str] = []

    def _load(self) -> dict[str, str]:
        if not self.path or not os.path.exists(self.path):
            return {}
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            logger.warning("Ignoring an unreadable render manifest %s: %s", self.path, exc)
            return {}
        tips, pages = (data.get("tips"), data.get("pages")) if isinstance(data, dict) else (0, 0)
        if not (
            isinstance(tips, list)
            and isinstance(pages, dict)
            and all(_inside(t) for t in tips)
            and all(_inside(k) and isinstance(v, str) for k, v in pages.items())
        ):
            logger.warning("Ignoring a render manifest of another shape: %s", self.path)
            return {}
        self._previous_tips = set(tips)
        if data.get("fingerprint") != self.fingerprint:
            return {}  # templates, code or settings changed: render everything
        return dict(pages)

    def unchanged(self, name: str, key: str | None, tip: bool = False) -> bool:
        """True when ``name`` (relative to the output) needs no rendering; records it."""
        if tip:
            self.current_tips.add(name)
        if key is None:
            return False
        self.current[name] = key
        if (
            self.trust_output
            and self._previous.get(name) == key
            and os.path.exists(os.path.join(self.output_path, name))
        ):
            self.skipped += 1
            return True
        self.rendered += 1
        self.tips_rendered += tip
        return False

    def written(self, name: str, tip: bool = False) -> None:
        """A page written without a key: always rendered, still ours to clean up."""
        self.current.setdefault(name, "")
        self.tips_rendered += tip

    @property
    def tips_changed(self) -> bool:
        """A tip page was rendered or removed: the search index must be rebuilt."""
        return bool(self.tips_rendered or self._previous_tips - self.current_tips)

    def _remove(self, names: set[str]) -> None:
        for name in sorted(names):
            path = os.path.join(self.output_path, name)
            if os.path.isfile(path):
                os.unlink(path)
                self.removed.append(name)

    def remove_stale_tips(self) -> None:
        """Once every tip page is written: delete those of removed tips, before
        the search index reads the folder."""
        self._remove(self._previous_tips - self.current_tips)

    def remove_stale(self) -> list[str]:
        """Delete pages the last build wrote that this build did not."""
        self._remove(set(self._previous) - set(self.current))
        return self.removed

    def save(self) -> None:
        if not self.path:
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with atomic_open(self.path, "w") as handle:
            json.dump(
                {
                    "fingerprint": self.fingerprint,
                    "pages": self.current,
                    "tips": sorted(self.current_tips),
                },
                handle,
            )
