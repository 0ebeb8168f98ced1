"""Comments from an old blog: a read-only archive beside the tip they belong to.

``content/tips/2011/2011-w08-smile.nb.md`` has its comments in
``content/tips/2011/2011-w08-smile.nb.comments.yaml``: a list of name, date
and text. Only these three are ever written (never a commenter's e-mail, IP
address or user agent); the tip page shows them under the tip, escaped, as
plain text.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import yaml

from .problems import ERROR, WARNING, Problem
from .yaml_loader import compose_and_load

SUFFIX = ".comments.yaml"
FIELDS = ("author", "date", "text")
HEADER = (
    "# Comments from the old blog, shown read-only under the tip (make import wrote\n"
    "# this file; a commenter's e-mail or IP address is never kept).\n"
)
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class ArchivedComment:
    author: str
    date: datetime.datetime | None
    text: str

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.text.split("\n\n") if p.strip())


def comments_path(tip_path: str) -> str:
    return tip_path.removesuffix(".md") + SUFFIX


def tip_of(comments_file: str) -> str:
    return comments_file.removesuffix(SUFFIX) + ".md"


def is_comments_file(path: str) -> bool:
    return path.endswith(SUFFIX)


def comments_yaml(comments: list[tuple[str, datetime.datetime | None, str]]) -> str:
    entries = [
        {
            "author": author,
            "date": f"{date:%Y-%m-%d %H:%M}" if date else "",
            "text": text,
        }
        for author, date, text in comments
    ]
    return HEADER + yaml.safe_dump(
        entries, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )


def read_comments(
    path: str, timezone: ZoneInfo
) -> tuple[tuple[ArchivedComment, ...], list[Problem]]:
    if not os.path.exists(path):
        return (), []
    problems: list[Problem] = []
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(MAX_BYTES)
        node, data = compose_and_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return (), [Problem(path, line, f"cannot read the comments: {exc}")]
    if data is None:
        return (), []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        return (), [Problem(path, 1, "the comments must be a list of author, date and text")]
    comments = []
    for item_node, item in zip(node.value, data, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict) or not str(item.get("text", "")).strip():
            problems.append(Problem(path, line, "each comment needs author, date and text"))
            continue
        unknown = [str(k) for k in item if k not in FIELDS]
        if unknown:
            # An archive keeps names and words only; an address here is personal data.
            problems.append(
                Problem(
                    path,
                    line,
                    f"unknown field(s) {', '.join(unknown)}: a comment keeps only author, "
                    "date and text (never an e-mail or IP address)",
                    ERROR,
                )
            )
            continue
        date = None
        if item.get("date"):
            try:
                date = datetime.datetime.strptime(str(item["date"]), "%Y-%m-%d %H:%M").replace(
                    tzinfo=timezone
                )
            except ValueError:
                problems.append(
                    Problem(path, line, f"date '{item['date']}' is not like 2011-02-25 10:54")
                )
                continue
        comments.append(ArchivedComment(str(item.get("author") or "?"), date, str(item["text"])))
    if not os.path.exists(tip_of(path)):
        problems.append(
            Problem(
                path,
                1,
                f"no tip {os.path.basename(tip_of(path))} beside these comments: rename the "
                "file with its tip",
                WARNING,
            )
        )
    return tuple(comments), problems
