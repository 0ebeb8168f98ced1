"""The text of an imported tip or page: the front matter of PRODUCT.md, then
the Markdown body. Quoting follows `make new` (tips_app.scaffold), so an
imported file reads like one an author wrote."""

from __future__ import annotations

import datetime

from tips_app.scaffold import format_date, plain_or_quoted, quoted


def tip_text(
    *,
    title: str,
    date: datetime.datetime,
    lang: str,
    slug: str,
    author: str,
    tags: list[str],
    summary: str,
    status: str,
    body: str,
) -> str:
    lines = [
        "---",
        f"title: {quoted(title)}",
        f"date: {format_date(date)}",
        f"lang: {lang}",
        f"slug: {slug}",
        f"author: {plain_or_quoted(author)}",
        f"tags: [{', '.join(plain_or_quoted(tag) for tag in tags)}]",
        f"summary: {quoted(summary)}",
        # The back catalogue is never emailed, whatever the age limit says.
        "newsletter: false",
    ]
    if status == "draft":
        lines.append("status: draft")
    return "\n".join([*lines, "---", body.strip("\n"), ""])


def page_text(*, title: str, lang: str, slug: str, summary: str, status: str, body: str) -> str:
    lines = [
        "---",
        f"title: {quoted(title)}",
        f"lang: {lang}",
        f"slug: {slug}",
        f"summary: {quoted(summary)}",
    ]
    if status == "draft":
        lines.append("status: draft")
    return "\n".join([*lines, "---", body.strip("\n"), ""])
