"""What an import wrote, so that running it again changes nothing and never
overwrites an author's edit.

The record lives in ``content/imports/<export>.<lang>.yaml`` (committed with
the content, untouched by ``make clean``): for each item of the export the
file it became, the old address of each post and page, and a hash of every
file as the importer wrote it. On a
second run a file is written only when it is new, or still exactly as the
importer left it and the export now says something else; a file an author
has edited since is kept and reported.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

import yaml

from tips_core.redirects import HEADER as REDIRECTS_HEADER
from tips_core.redirects import REDIRECTS_FILE, read_redirects, redirect_line
from tips_core.safe_write import atomic_open
from tips_core.slugs import slugify

RECORD_FOLDER = "imports"
HEADER = (
    "# What make import wrote from one export (see docs/import.md): the file each\n"
    "# item became, and a hash of each file as written, so a second run changes\n"
    "# nothing and never overwrites a file you have edited. Keep it in git.\n"
)

WRITTEN = "written"
UPDATED = "updated"
UNCHANGED = "unchanged"
EDITED = "kept: edited since the last import"
NOT_OURS = "kept: the file was not written by this import"


class RecordError(Exception):
    """The record cannot be read: importing again could overwrite edited files."""

    def __init__(self, path: str, why: str):
        self.path, self.why = path, why
        super().__init__(f"{path}:1: error: {why}; restore it from git")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Record:
    path: str
    items: dict[str, str] = field(default_factory=dict)  # source id -> content-relative path
    files: dict[str, str] = field(default_factory=dict)  # content-relative path -> sha256
    links: dict[str, str] = field(default_factory=dict)  # old permalink -> content-relative path

    @classmethod
    def path_for(cls, content_path: str, export_path: str, lang: str) -> str:
        stem = slugify(os.path.splitext(os.path.basename(export_path))[0]) or "export"
        return os.path.join(content_path, RECORD_FOLDER, f"{stem}.{lang}.yaml")

    @classmethod
    def load(cls, path: str) -> Record:
        try:
            with open(path, encoding="utf-8") as handle:
                data = yaml.safe_load(handle) or {}
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise RecordError(path, f"the import record cannot be read ({exc})") from None
        if not isinstance(data, dict):
            raise RecordError(path, "the import record is damaged")
        return cls(
            path,
            dict(data.get("items") or {}),
            dict(data.get("files") or {}),
            dict(data.get("links") or {}),
        )

    @classmethod
    def every(cls, content_path: str) -> list[Record]:
        """Every import's record in content/, in name order."""
        folder = os.path.join(content_path, RECORD_FOLDER)
        if not os.path.isdir(folder):
            return []
        names = sorted(n for n in os.listdir(folder) if n.endswith(".yaml"))
        return [cls.load(os.path.join(folder, name)) for name in names]

    def text(self) -> str:
        data = {
            "items": dict(sorted(self.items.items())),
            "files": dict(sorted(self.files.items())),
        }
        if self.links:
            data["links"] = dict(sorted(self.links.items()))
        return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)

    def save(self) -> None:
        text = self.text()
        if _read(self.path) == text:
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with atomic_open(self.path) as handle:
            handle.write(text)


def follow_renames(content_path: str, renamed: dict[str, str]) -> list[str]:
    """Every record names a renamed file (``make tidy``) by its new name, so
    the next import finds it there. Returns the records rewritten."""
    changed = []
    for record in Record.every(content_path):
        before = record.text()
        record.items = {sid: renamed.get(rel, rel) for sid, rel in record.items.items()}
        record.files = {renamed.get(rel, rel): sha for rel, sha in record.files.items()}
        record.links = {url: renamed.get(rel, rel) for url, rel in record.links.items()}
        if record.text() != before:
            record.save()
            changed.append(record.path)
    return changed


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def decide(path: str, text: str, content_path: str, record: Record) -> str:
    """What writing ``text`` to ``path`` would do (nothing is written here)."""
    current = _read(path) if os.path.exists(path) else None
    if current is None and not os.path.exists(path):
        return WRITTEN
    if current == text:
        return UNCHANGED
    rel = os.path.relpath(path, content_path)
    recorded = record.files.get(rel)
    if recorded is None:
        return NOT_OURS
    if current is None or digest(current) != recorded:
        return EDITED
    return UPDATED


def write(path: str, text: str, content_path: str, record: Record) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with atomic_open(path) as handle:
        handle.write(text)
    record.files[os.path.relpath(path, content_path)] = digest(text)


def new_redirects(
    content_path: str, redirects: list[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """Each (old path, target) with what becomes of it: added, or already listed
    (the first import, or the author, keeps the line)."""
    listed = {r.source: r.target for r in read_redirects(content_path)[0]}
    # Lines the list holds but cannot serve are still lines: never add them twice.
    path = os.path.join(content_path, REDIRECTS_FILE)
    text = _read(path) or ""
    seen: set[str] = set()
    out = []
    for source, target in redirects:
        if source in seen:
            continue
        seen.add(source)
        if source in listed or redirect_line(source, target).split(":")[0] in text:
            kept = listed.get(source, target)
            out.append((source, target, "listed" if kept == target else f"kept: leads to {kept}"))
        else:
            out.append((source, target, "added"))
    return out


def append_redirects(content_path: str, lines: list[tuple[str, str]]) -> None:
    if not lines:
        return
    path = os.path.join(content_path, REDIRECTS_FILE)
    text = _read(path)
    if text is None:
        text = REDIRECTS_HEADER
    elif not text.endswith("\n"):
        text += "\n"
    text += "".join(redirect_line(source, target) for source, target in lines)
    with atomic_open(path) as handle:
        handle.write(text)
