"""Internal links: ``{filename}``, ``{static}`` and ``{attach}`` in a body.

Pelican turns ``[text]({filename}/tips/2021/2021-w05-x.nb.md)`` into the URL
of that tip. When the target does not exist it only logs a warning and leaves
a dead link in the page and the email, so the check does it first, with the
line. A link to a draft, or to a tip that appears after the linking one,
works only later: a warning.
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import unquote

from .problems import ERROR, WARNING, Problem, display_path
from .source_file import TIP, SourceFile

# Pelican's own forms: {filename} and the older |filename|, in a Markdown
# link, a reference definition, an autolink or an HTML href/src.
LINK_RE = re.compile(
    r"(?:\]\(\s*<?|\]:\s*<?|<|(?:href|src)\s*=\s*[\"'])"
    r"[{|](?P<what>filename|static|attach)[}|](?P<target>[^\s)\"'>]*)"
)
_LINK_WORD_RE = re.compile(r"[{|](?:filename|static|attach)[}|]")
# A link that makes Pelican move the linked file next to the linking tip.
ATTACH_RE = re.compile(r"[{|]attach[}|]")


def link_problems(
    sources: list[SourceFile],
    content_path: str,
    now: datetime.datetime | None = None,
) -> list[Problem]:
    root = os.path.abspath(content_path)
    by_path = {os.path.abspath(s.path): s for s in sources}
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in by_path:
        by_name[os.path.basename(path)].append(path)
    versions = {(s.fields["slug"], s.fields["lang"]): s for s in sources if s.kind == TIP and s.ok}
    problems = []
    for source in sources:
        if not source.ok:
            continue
        for number, line in _lines_with_links(source):
            for match in LINK_RE.finditer(line):
                problem = _check_link(
                    source, number, match["what"], match["target"], root, by_path, by_name, now
                )
                if problem is None and match["what"] == "filename":
                    problem = _other_language(
                        source, number, match["target"], root, by_path, versions
                    )
                if problem is not None:
                    problems.append(problem)
    return problems


def _lines_with_links(source: SourceFile) -> Iterator[tuple[int, str]]:
    """The numbered lines of a body that may hold a link of Pelican's forms,
    found without splitting every body (most have none)."""
    body = source.body
    if "{" not in body and "|" not in body:
        return
    indexes = sorted({body.count("\n", 0, m.start()) for m in _LINK_WORD_RE.finditer(body)})
    if indexes:
        lines = body.split("\n")
        yield from ((source.body_line + index, lines[index]) for index in indexes)


def resolve(source_path: str, target: str, root: str) -> str:
    """The file a link points to, the way Pelican resolves it: from the content
    folder when it starts with '/', else from the linking file's folder."""
    target = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if target.startswith("/"):
        return os.path.normpath(os.path.join(root, target.lstrip("/")))
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(source_path)), target))


def _check_link(
    source: SourceFile,
    line: int,
    what: str,
    target: str,
    root: str,
    by_path: dict[str, SourceFile],
    by_name: dict[str, list[str]],
    now: datetime.datetime | None,
) -> Problem | None:
    written = "{" + what + "}" + target
    if not target.split("#", 1)[0]:
        return Problem(source.path, line, f"the link {written} names no file", ERROR)
    path = resolve(source.path, target, root)

    def missing() -> Problem:  # built only when needed: the suggestion reads folders
        return Problem(
            source.path,
            line,
            f"the link {written} points to {display_path(path)}, which does not exist"
            + _suggestion(path, root, by_name),
            ERROR,
        )

    if what != "filename":
        return None if os.path.isfile(path) else missing()
    linked = by_path.get(path)
    if linked is None:
        if os.path.isfile(path):
            return Problem(
                source.path,
                line,
                f"the link {written} points to a file that is not a tip or page; "
                "link images and other files with {static}",
                ERROR,
            )
        return missing()
    if not linked.ok:
        return None  # the linked file's own problems are reported with it
    if linked.fields.get("status") == "draft":
        return Problem(
            source.path,
            line,
            f"the link {written} points to a draft: it is broken until that tip is published",
            WARNING,
        )
    if linked.kind == TIP and source.kind == TIP:
        when = linked.fields["date"]
        if when > source.fields["date"] and (now is None or when > now):
            return Problem(
                source.path,
                line,
                f"the link {written} points to a tip that appears only on "
                f"{when:%Y-%m-%d %H:%M}: until then the link is broken",
                WARNING,
            )
    return None


def _other_language(
    source: SourceFile,
    line: int,
    target: str,
    root: str,
    by_path: dict[str, SourceFile],
    versions: dict[tuple[str, str], SourceFile],
) -> Problem | None:
    """A link to another language's version of a tip, mostly kept from the
    original a translation started from: its readers get the wrong language."""
    linked = by_path.get(resolve(source.path, target, root))
    if linked is None or not linked.ok or linked.kind != TIP or not source.ok:
        return None
    lang, slug = source.fields.get("lang"), linked.fields["slug"]
    if lang is None or linked.fields["lang"] == lang:
        return None
    own = versions.get((slug, lang))
    if own is None:
        hint = f"'{slug}' has no '{lang}' version yet (make new TIP_LANG={lang} FROM={slug})"
    else:
        path = os.path.relpath(os.path.abspath(own.path), root).replace(os.sep, "/")
        hint = f"link its '{lang}' version instead: {{filename}}/{path}"
    return Problem(
        source.path,
        line,
        f"this links to the '{linked.fields['lang']}' version of '{slug}', so readers of "
        f"'{lang}' land in another language; {hint}",
        WARNING,
    )


def _suggestion(path: str, root: str, by_name: dict[str, list[str]]) -> str:
    """A likely intended file: the same name in another folder, or a close name
    in the same folder."""
    same = by_name.get(os.path.basename(path))
    if same:
        return f"; did you mean /{os.path.relpath(same[0], root).replace(os.sep, '/')}?"
    folder = os.path.dirname(path)
    nearby = os.listdir(folder) if os.path.isdir(folder) else []
    close = difflib.get_close_matches(os.path.basename(path), nearby, n=1)
    return f"; did you mean {close[0]} (in the same folder)?" if close else ""
