"""Splitting a long list (the archive's weeks, a topic's or an author's tips)
into numbered pages of one language.

Page 1 keeps the list's own URL (``tags/trust/``); later pages live below it
(``tags/trust/page/2/``), so every page of a list stays in its language's
part of the site and a link to the list never breaks when it grows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tips_core.errors import ConfigurationError

DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class ListPage:
    number: int  # 1-based
    count: int  # how many pages the list has
    items: Sequence[Any]
    url: str
    prev_url: str | None
    next_url: str | None

    @property
    def is_first(self) -> bool:
        return self.number == 1


def page_size(settings: Mapping[str, Any]) -> int:
    """TIPS_PAGE_SIZE: how many entries a list page holds."""
    value = settings.get("TIPS_PAGE_SIZE", DEFAULT_PAGE_SIZE)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(
            f"TIPS_PAGE_SIZE: must be a whole number of entries per list page (1 or more), "
            f"not {value!r}"
        )
    return value


def page_url(first_url: str, number: int) -> str:
    return first_url if number == 1 else f"{first_url}page/{number}/"


def paginate(items: Sequence[Any], size: int, first_url: str) -> list[ListPage]:
    """The pages of ``items``; an empty list still gets its (empty) first page."""
    count = max(1, -(-len(items) // size))
    return [
        ListPage(
            number=n,
            count=count,
            items=items[(n - 1) * size : n * size],
            url=page_url(first_url, n),
            prev_url=page_url(first_url, n - 1) if n > 1 else None,
            next_url=page_url(first_url, n + 1) if n < count else None,
        )
        for n in range(1, count + 1)
    ]
