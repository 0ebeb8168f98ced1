"""Mailchimp ``segment_opts`` for each language's subscribers (``NEWSLETTER_SEGMENTS``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .settings import Segment


def segment_opts(segment: Segment, tag_ids: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The ``recipients.segment_opts`` of a campaign to the subscribers of ``segment``.

    ``tag_ids`` maps tag names to their ids (tags are static segments in the API).
    """
    if segment.kind == "raw":
        return dict(segment.raw or {})
    if segment.kind == "saved":
        return {"saved_segment_id": int(segment.value)}
    if segment.kind == "language":
        condition = {
            "condition_type": "Language",
            "field": "language",
            "op": "is",
            "value": segment.value,
        }
    elif segment.kind == "merge":
        condition = {
            "condition_type": "TextMerge",
            "field": segment.field,
            "op": "is",
            "value": segment.value,
        }
    else:  # tag
        condition = {
            "condition_type": "StaticSegment",
            "field": "static_segment",
            "op": "static_is",
            "value": (tag_ids or {})[segment.field],
        }
    return {"match": "all", "conditions": [condition]}
