"""``PAIRS=<csv>``: translations across separate blogs, told by their old addresses.

Each row of the CSV names one post in several blogs, one old address a cell::

    https://gammel.example/2011/02/smil.html,https://svensk.blogspot.com/2011/03/le.html

One address of a row is a post of the export being imported; the others are
posts an earlier import wrote (found by the old address in that import's
record, else by its path in ``content/redirects.yaml``). The post then takes
that tip's slug and, when dated in another ISO week, its date. A header row,
blank lines and ``#`` lines are skipped.
"""

from __future__ import annotations

import csv
import datetime
import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tips_core.problems import ERROR, WARNING, Problem
from tips_core.redirects import read_redirects
from tips_core.source_file import TIP, Rules, read_source

from .entries import POST, Export
from .record import Record


class PairsError(Exception):
    """The CSV cannot be used; ``problems`` names every bad line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Original:
    """The tip an earlier import wrote, that a post of this export translates."""

    path: str
    title: str
    lang: str
    slug: str
    date: datetime.datetime


@dataclass
class Pairing:
    originals: dict[str, Original] = field(default_factory=dict)  # source id -> its original
    problems: list[Problem] = field(default_factory=list)
    waiting: int = 0  # rows whose other side is not imported yet
    elsewhere: int = 0  # rows that name no post of this export

    def summary(self, csv_path: str) -> str:
        return (
            f"Translations (PAIRS={csv_path}): {len(self.originals)} linked, "
            f"{self.waiting} waiting for the other blog's import, "
            f"{self.elsewhere} row{'s' if self.elsewhere != 1 else ''} naming no post of this "
            "export"
        )


def read_pairs(path: str) -> list[tuple[int, list[str]]]:
    """The rows as (line, old addresses); every bad line is an error."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(enumerate(csv.reader(handle), start=1))
    except FileNotFoundError:
        raise PairsError([Problem(path, 1, "no such file: give a CSV of old addresses")]) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PairsError([Problem(path, 1, f"cannot read the CSV: {exc}")]) from None
    pairs, problems = [], []
    for number, cells in rows:
        cells = [c.strip() for c in cells if c.strip()]
        if not cells or cells[0].startswith("#"):
            continue
        if number == 1 and not any(_is_url(c) for c in cells):
            continue  # a header
        bad = [c for c in cells if not _is_url(c)]
        if bad or len(cells) < 2:
            problems.append(
                Problem(
                    path,
                    number,
                    f"'{bad[0]}' is not an old address (https://...)"
                    if bad
                    else "a row names two or more old addresses of one post, one a cell",
                    ERROR,
                )
            )
            continue
        pairs.append((number, cells))
    if problems:
        raise PairsError(problems)
    return pairs


def pair(
    csv_path: str,
    export: Export,
    lang: str,
    content_path: str,
    own_record: str,
    rules: Rules,
) -> Pairing:
    """Each post of this export named in the CSV, with the tip it translates."""
    ours = {normal(item.link): item for item in export.items if item.kind == POST and item.link}
    earlier = _earlier_links(content_path, own_record)
    by_path = {r.source: r.target for r in read_redirects(content_path)[0] if r.to_content}
    pairing = Pairing()

    def warn(line: int, message: str) -> None:
        pairing.problems.append(Problem(csv_path, line, message, WARNING))

    for line, urls in read_pairs(csv_path):
        mine = [u for u in urls if normal(u) in ours]
        if not mine:
            pairing.elsewhere += 1
            continue
        if len(mine) > 1:
            warn(line, f"{' and '.join(mine)} are both posts of this export: not linked")
            continue
        item = ours[normal(mine[0])]
        others = [u for u in urls if u != mine[0]]
        found = [(u, earlier.get(normal(u)) or by_path.get(urlsplit(u).path)) for u in others]
        target = next(((u, rel) for u, rel in found if rel), None)
        if target is None:
            pairing.waiting += 1
            warn(
                line,
                f"{', '.join(others)} is not imported yet: import that blog first, then this "
                "one again (the translation keeps its own slug and date until then)",
            )
            continue
        original = _original(os.path.join(content_path, target[1]), rules)
        if original is None:
            warn(line, f"{target[0]} leads to {target[1]}, which is not a readable tip: not linked")
        elif original.lang == lang:
            warn(line, f"{target[0]} is in {original.lang} too: a row links translations")
        else:
            pairing.originals[item.source_id] = original
    return pairing


def normal(url: str) -> str:
    """An address as two blogs' links to it compare: host without www, no trailing slash."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return f"{parts.netloc.lower().removeprefix('www.')}{path}" + (
        f"?{parts.query}" if parts.query else ""
    )


def _is_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _earlier_links(content_path: str, own_record: str) -> dict[str, str]:
    """Old address -> content file, from every other import's record."""
    links: dict[str, str] = {}
    for record in Record.every(content_path):
        if os.path.abspath(record.path) != os.path.abspath(own_record):
            for url, rel in record.links.items():
                links.setdefault(normal(url), rel)
    return links


def _original(path: str, rules: Rules) -> Original | None:
    if not os.path.isfile(path):
        return None
    fields = read_source(path, TIP, rules).fields
    if not all(k in fields for k in ("slug", "lang", "date")):
        return None
    return Original(path, fields.get("title", ""), fields["lang"], fields["slug"], fields["date"])
