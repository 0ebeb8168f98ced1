"""Which posts are the weekly tips: chosen with ``SERIES=``, or proposed.

A weekly series shows in an old blog as a title pattern ("Ukens tips
(8-2011): Smil i telefonen"), a category or a tag. ``SERIES=`` names one of
them (``SERIES=all`` takes every post); without it the importer proposes the
title pattern when titles carry one, else the most common category, and the
report shows the proposal and how to choose another.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .entries import POST, Item

# "Ukens tips (8-2011): Smil", "Tip of the week (08/2011) - Smile", "Veckans tips 8-2011: ..."
LABEL_RE = re.compile(
    r"^\s*(?P<words>[^():]*?)\s*\(?\s*(?:w(?:eek|k)?\.?\s*)?(?P<week>\d{1,2})\s*[-/]\s*"
    r"(?P<year>\d{4})\s*\)?\s*(?:[:\-–—|]\s*)?(?P<rest>.*)$",
    re.IGNORECASE,
)
ALL = "all"
UNCATEGORIZED = {"uncategorized", "uncategorised", "ukategorisert", "okategoriserade"}


@dataclass(frozen=True)
class TypedLabel:
    words: str  # "Ukens tips"
    week: int
    year: int
    title: str  # the title without the label


def typed_label(title: str) -> TypedLabel | None:
    """The week label typed into an old title, if any, and the title without it."""
    match = LABEL_RE.match(title)
    if not match or not 1 <= int(match["week"]) <= 53:
        return None
    rest = match["rest"].strip()
    if not rest:  # "Ukens tips (8-2011)" alone: the words are the title
        rest = match["words"].strip()
    if not rest:
        return None
    return TypedLabel(match["words"].strip(), int(match["week"]), int(match["year"]), rest)


@dataclass(frozen=True)
class Series:
    """How the weekly tips are told from other posts."""

    kind: str  # "title", "category", "tag", "all"
    value: str
    proposed: bool

    def describe(self) -> str:
        if self.kind == ALL:
            return "every post"
        if self.kind == "title":
            return f'titles "{self.value} (<week>-<year>)"'
        return f'{self.kind} "{self.value}"'

    def argument(self) -> str:
        return f'SERIES="{self.value}"' if self.kind != ALL else "SERIES=all"

    def contains(self, item: Item) -> bool:
        if self.kind == ALL:
            return True
        if self.kind == "title":
            label = typed_label(item.title)
            return label is not None and label.words.casefold() == self.value.casefold()
        if self.kind == "category":
            wanted = self.value.casefold()
            return any(wanted in (n.casefold(), name.casefold()) for n, name in item.categories)
        return self.value.casefold() in (t.casefold() for t in item.tags)

    def is_own_term(self, name: str) -> bool:
        """The series' own category or tag (or one named like its titles' words)
        is no topic of the tips."""
        return self.kind != ALL and name.casefold() == self.value.casefold()


class SeriesError(Exception):
    """``SERIES=`` names nothing in the export; the message lists what there is."""


def choose_series(requested: str, posts: Sequence[Item]) -> Series:
    posts = [p for p in posts if p.kind == POST]
    if requested:
        return _requested(requested.strip(), posts)
    words = Counter(
        label.words for p in posts if (label := typed_label(p.title)) is not None and label.words
    )
    if words:
        return Series("title", words.most_common(1)[0][0], proposed=True)
    categories = Counter(
        name
        for p in posts
        for _nicename, name in p.categories
        if name.casefold() not in UNCATEGORIZED
    )
    if categories:
        # Ties go to the name first in alphabetical order: the same proposal every run.
        top = max(categories.values())
        return Series("category", min(n for n, c in categories.items() if c == top), proposed=True)
    return Series(ALL, "", proposed=True)


def _requested(value: str, posts: list[Item]) -> Series:
    if value.casefold() == ALL:
        return Series(ALL, "", proposed=False)
    folded = value.casefold()
    categories = {name for p in posts for nicename, name in p.categories} | {
        nicename for p in posts for nicename, _ in p.categories
    }
    if folded in {c.casefold() for c in categories}:
        return Series("category", value, proposed=False)
    if folded in {t.casefold() for p in posts for t in p.tags}:
        return Series("tag", value, proposed=False)
    series = Series("title", value, proposed=False)
    if any(series.contains(p) for p in posts):
        return series
    known = sorted({name for p in posts for _n, name in p.categories})
    raise SeriesError(
        f"SERIES={value!r} is no category, tag or title pattern of this export's posts; "
        f"categories: {', '.join(known) or 'none'}; or SERIES=all for every post"
    )
