"""Slugs for URLs: lowercase ASCII, transliterated from the five languages.

æ→ae, ø→o, å→a, ä→a, ö→o, õ→o, ü→u, š→s, ž→z (Unidecode's choices, which
match common practice for Nordic and Baltic URLs).
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)  # a tag's or author's URL is made for every tip that has it
def slugify(text: str, max_length: int = 60) -> str:
    slug = _NON_ALNUM.sub("-", unidecode(text).lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug
