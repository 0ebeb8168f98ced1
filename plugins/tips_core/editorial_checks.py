"""Checks on what authors write, beyond the format: the things `make new`
leaves for them to do, and a summary that fits an email preview.

`make new` marks everything an author still has to write with ``TODO`` and
quotes the original's text in a translation. A tip that still holds either
must not reach readers, so both are errors; a draft may hold them (warning).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from .problems import ERROR, WARNING, Problem
from .source_file import TIP, SourceFile

TODO_RE = re.compile(r"\bTODO\b")
QUOTE_RE = re.compile(r"^[ \t]*>", re.MULTILINE)
# A quoted line shorter than this may well be the same in two languages.
MIN_QUOTED_LENGTH = 20


def unfinished_work(sources: list[SourceFile]) -> list[Problem]:
    """What `make new` left to do: its TODOs and a translation's quoted original.
    A tip with any of them is a stub (the calendar and the completeness table)."""
    unfinished: list[Problem] = []
    for source in sources:
        if source.ok:
            unfinished.extend(_todos(source))
    unfinished.extend(_quoted_originals([s for s in sources if s.kind == TIP and s.ok]))
    return unfinished


def editorial_problems(
    sources: list[SourceFile],
    unfinished: list[Problem],
    summary_max_length: int,
    allow_unfinished: bool = False,
) -> list[Problem]:
    """``unfinished``: from :func:`unfinished_work`; ``allow_unfinished``
    (previews) makes it a warning everywhere."""
    if allow_unfinished:
        unfinished = [replace(p, severity=WARNING) for p in unfinished]
    problems = list(unfinished)
    for tip in sources:
        if tip.kind == TIP and tip.ok:
            problems.extend(_summary_length(tip, summary_max_length))
            problems.extend(title_hints(tip))
    return problems


def _severity(source: SourceFile) -> str:
    return WARNING if source.fields.get("status") == "draft" else ERROR


def _todos(source: SourceFile) -> list[Problem]:
    severity = _severity(source)
    hint = (
        "this draft still has a TODO from make new"
        if severity == WARNING
        else "a TODO from make new is still here: replace it with your text "
        "(or set 'status: draft' to commit unfinished work)"
    )
    problems = []
    for name in ("title", "summary", "author"):
        if TODO_RE.search(str(source.fields.get(name, ""))):
            problems.append(Problem(source.path, source.line_of(name), hint, severity))
    if any(TODO_RE.search(tag) for tag in source.fields.get("tags", ())):
        problems.append(Problem(source.path, source.line_of("tags"), hint, severity))
    if "TODO" not in source.body:  # the common case, without splitting the body
        return problems
    for number, line in enumerate(source.body.split("\n"), start=source.body_line):
        if TODO_RE.search(line):
            problems.append(Problem(source.path, number, hint, severity))
    return problems


def _summary_length(tip: SourceFile, limit: int) -> list[Problem]:
    summary = tip.fields.get("summary", "")
    if len(summary) <= limit:
        return []
    return [
        Problem(
            tip.path,
            tip.line_of("summary"),
            f"the summary is {len(summary)} characters: inbox previews of the email show "
            f"about the first {limit}, so shorten it (TIPS_SUMMARY_MAX_LENGTH)",
            WARNING,
        )
    ]


# Opening and closing typographic quotes of the five languages (“…”, ”…”, „…“, «…»).
_OPENING_QUOTES = "“”„«»"
_CLOSING_QUOTES = "”“»«"


def title_hints(tip: SourceFile) -> list[Problem]:
    """A title wrapped in typographic quotes: YAML keeps them as part of the title."""
    title = tip.fields.get("title", "")
    if len(title) > 2 and title[0] in _OPENING_QUOTES and title[-1] in _CLOSING_QUOTES:
        return [
            Problem(
                tip.path,
                tip.line_of("title"),
                f"the title is wrapped in typographic quotes ({title[0]}...{title[-1]}), "
                "which are not YAML's quotes: they would show on the page and in the "
                f'email\'s subject. Write straight quotes around it: title: "{title[1:-1]}"',
                WARNING,
            )
        ]
    return []


def _quoted_lines(body: str, first_line: int):
    if ">" not in body or not QUOTE_RE.search(body):  # the first test is ten times quicker
        return
    for number, line in enumerate(body.split("\n"), start=first_line):
        stripped = line.strip()
        if stripped.startswith(">"):
            text = stripped.lstrip(">").strip()
            if len(text) >= MIN_QUOTED_LENGTH:
                yield number, text


def _quoted_originals(tips: list[SourceFile]) -> list[Problem]:
    """A translation that still quotes another language version's text: one
    problem per file, at the first such line."""
    by_slug: dict[str, list[SourceFile]] = defaultdict(list)
    for tip in tips:
        by_slug[tip.fields["slug"]].append(tip)
    problems = []
    for group in by_slug.values():
        if len(group) < 2:
            continue
        for tip in group:
            quoted = list(_quoted_lines(tip.body, tip.body_line))
            if not quoted:
                continue
            others: dict[str, str] = {}
            for other in group:
                if other is not tip:
                    for line in other.body.split("\n"):
                        others.setdefault(line.strip(), other.fields["lang"])
            found = [(number, others[text]) for number, text in quoted if text in others]
            if found:
                first, lang = found[0]
                lines = f"{len(found)} line{'s' if len(found) != 1 else ''}"
                problems.append(
                    Problem(
                        tip.path,
                        first,
                        f"the quote from here on ({lines}) is the untranslated '{lang}' text "
                        "that make new put here: translate it and delete the quote",
                        _severity(tip),
                    )
                )
    return problems
