"""What `make new` writes: a new tip in the next free week of its language,
or the start of a translation of an existing tip.

Everything the author still has to write is marked ``TODO``, which `make
check` (and so the build) refuses outside a draft: a scaffold can be
committed by mistake, but never published half-written.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from tips_core.errors import TipsError
from tips_core.naming import TIP_FILE_RE
from tips_core.source_file import SourceFile
from tips_core.weeks import DEFAULT_SERIES, IsoWeek


class ScaffoldError(TipsError):
    """`make new` cannot do what was asked; the message says what to do instead."""

    exit_code = 1


def next_free_week(taken: Iterable[IsoWeek], today: datetime.date) -> IsoWeek:
    """The week after the newest taken one, or the current week when that is later."""
    current = IsoWeek.of(today)
    taken = list(taken)
    if not taken:
        return current
    return max(max(taken).shifted(1), current)


def week_of_file_name(path: str) -> tuple[IsoWeek, str] | None:
    """The week and language a conventional file name gives, for files whose
    front matter cannot be read (their week still counts as taken)."""
    match = TIP_FILE_RE.fullmatch(os.path.basename(path))
    if not match:
        return None
    try:
        week = IsoWeek(int(match["year"]), int(match["week"]))
        week.monday  # noqa: B018 -- raises ValueError for a week that does not exist
    except ValueError:
        return None
    return week, match["lang"]


def publish_date(
    week: IsoWeek, weekday: int, time: datetime.time, timezone: ZoneInfo
) -> datetime.datetime:
    day = datetime.date.fromisocalendar(week.year, week.week, weekday)
    return datetime.datetime.combine(day, time, tzinfo=timezone)


def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


_PLAIN_RE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#\[\]{},]*")
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


def plain_or_quoted(value: str) -> str:
    """Names and tags as authors write them (plain) unless YAML would misread them."""
    if (
        _PLAIN_RE.fullmatch(value)
        and value == value.strip()
        and value.lower() not in _YAML_WORDS
        and not re.fullmatch(r"[\d.+-]+", value)
    ):
        return value
    return quoted(value)


def format_date(date: datetime.datetime) -> str:
    return f"{date:%Y-%m-%d %H:%M:%S}" if date.second else f"{date:%Y-%m-%d %H:%M}"


def new_tip_text(
    *,
    title: str,
    date: datetime.datetime,
    lang: str,
    slug: str,
    author: str,
    summary_max_length: int,
    link_example: str | None = None,
) -> str:
    link = (
        f" or a link to an earlier tip, like [this one]({{filename}}{link_example}),"
        if link_example
        else ""
    )
    return (
        "---\n"
        f"title: {quoted(title)}\n"
        f"date: {format_date(date)}\n"
        f"lang: {lang}\n"
        f"slug: {slug}\n"
        f"author: {plain_or_quoted(author)}\n"
        "tags: []  # a few topics, e.g. [phone, complaints]\n"
        f'summary: "TODO: one sentence for lists, feeds, share links and the email '
        f'preview (at most {summary_max_length} characters)"\n'
        "---\n"
        "TODO: write the tip here, in your own words: open with a situation the reader "
        "knows, then say what to do and why it helps.\n"
        "\n"
        f"TODO: a list of steps, a subheading (## Like this){link} can help; "
        "delete what you don't use.\n"
        "\n"
        "TODO: end with a question or a small task for the week.\n"
    )


def translation_text(
    *,
    original: SourceFile,
    original_path: str,
    lang: str,
    author: str,
    title: str | None,
    language_names: dict[str, str],
    date: datetime.datetime | None = None,
) -> str:
    """``date``: another day of the original's week (its own holidays), or the original's."""
    fields = original.fields
    from_name = f"{language_names[fields['lang']]} ({fields['lang']})"
    to_name = f"{language_names[lang]} ({lang})"
    title_line = quoted(title) if title else quoted(f"TODO: translate: {fields['title']}")
    tags = ", ".join(plain_or_quoted(tag) for tag in fields.get("tags", []))
    extra = ""
    if fields.get("series", DEFAULT_SERIES) != DEFAULT_SERIES:
        extra += f"series: {fields['series']}\n"
    if fields.get("newsletter") is False:
        extra += "newsletter: false\n"
    body = original.body.strip("\n").split("\n")
    quote = "\n".join(f"> {line}".rstrip() for line in body)
    return (
        "---\n"
        f"title: {title_line}\n"
        f"date: {format_date(date or fields['date'])}\n"
        f"lang: {lang}\n"
        f"slug: {fields['slug']}\n"
        f"author: {plain_or_quoted(author)}\n"
        f"tags: [{tags}]  # translate the tags\n"
        f"summary: {quoted('TODO: translate: ' + fields['summary'])}\n"
        f"{extra}"
        "---\n"
        f"TODO: translate the text quoted below from {from_name} into {to_name}, and the "
        "title, summary and tags above; then delete the quote. The original is "
        f"{original_path}.\n"
        "\n"
        f"{quote}\n"
    )
