"""Reading one content file: YAML front matter, then a Markdown body.

The front matter is split off with python-frontmatter's YAML handler and
parsed with our loader, which keeps the line of every field. Every problem in
the file is collected (not just the first), each with its line, so an author
fixes a file in one round.
"""

from __future__ import annotations

import codecs
import datetime
import difflib
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from frontmatter.default_handlers import YAMLHandler

from .problems import ERROR, WARNING, Problem
from .weeks import DEFAULT_SERIES
from .yaml_loader import compose_and_load

TIP = "tip"
PAGE = "page"

MAX_FILE_BYTES = 1_000_000
MAX_TAGS = 20
MAX_NESTING = 10  # of [ ] and { } in the front matter; tags need 1
MAX_BODY_NESTING = 100  # lists and quotes in the text (Markdown fails at about 300)
MAX_BRACKETS = 2000  # "[" in the text (Markdown needs 0.7 s for 2,000, 36 s for 16,000)
# A line starting with a long run of indentation and list or quote markers.
_DEEP_PREFIX_RE = re.compile(r"^[ \t>*+\-.)0-9]{200,}", re.MULTILINE)
_MARKER_RE = re.compile(r"(?:[-*+>]|\d{1,9}[.)])[ \t]")
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
# Invisible control characters (tab and line ends aside): HTML and XML feeds
# cannot carry them, and they only come from a bad paste, a wrong encoding
# (UTF-16 saved without its mark reads as text full of NUL bytes) or a binary file.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
MAX_CONTROL_LINES = 3  # lines listed; a binary file would list thousands
STATUSES = ("published", "draft")
PAGE_TEMPLATES = ("page", "subscribe")

TIP_FIELDS = (
    "title",
    "date",
    "lang",
    "slug",
    "author",
    "tags",
    "summary",
    "series",
    "newsletter",
    "status",
)
PAGE_FIELDS = ("title", "lang", "slug", "summary", "template", "status")

_BOUNDARY = YAMLHandler.FM_BOUNDARY

EXAMPLE = (
    'start the file with front matter between two "---" lines, e.g.\n'
    "---\n"
    'title: "Smile when you answer the phone"\n'
    "date: 2021-02-26 09:00\n"
    "lang: nb\n"
    "slug: smile-on-the-phone\n"
    "author: Kari Nordmann\n"
    "tags: [phone]\n"
    'summary: "One sentence for lists, feeds and emails."\n'
    "---"
)


@dataclass
class SourceFile:
    """A content file as read: typed fields, their lines, the body, the problems."""

    path: str
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, 1)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, ERROR))

    def warning(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, WARNING))


@dataclass(frozen=True)
class Rules:
    """What the site accepts, from the settings."""

    languages: tuple[str, ...]
    timezone: ZoneInfo
    series: tuple[str, ...] = (DEFAULT_SERIES,)
    default_lang: str = ""  # the language at the site's root ('' = the first)


def read_source(path: str, kind: str, rules: Rules) -> SourceFile:
    return read_source_bytes(path, kind, rules)[0]


def read_source_bytes(path: str, kind: str, rules: Rules) -> tuple[SourceFile, bytes]:
    """The parsed file and the bytes it was parsed from (b"" if unreadable or
    too large): the content store keeps their digest without reading again."""
    source = SourceFile(path, kind)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        source.error(1, f"cannot read the file: {exc.strerror}")
        return source, b""
    if len(raw) > MAX_FILE_BYTES:
        source.error(
            1,
            f"the file is over {MAX_FILE_BYTES // 1_000_000} MB; a tip is a short text, "
            "so this is probably not the file you meant to add",
        )
        return source, b""
    text = _decode(raw, source)
    if text is not None:
        parse_source(text, source, rules)
    return source, raw


def _decode(raw: bytes, source: SourceFile) -> str | None:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        source.error(1, "the file is saved as UTF-16 text; save it as UTF-8 in your editor")
        return None
    nul = raw.find(b"\x00")
    if nul >= 0:  # UTF-16 without its mark reads as UTF-8 text full of NULs
        source.error(
            raw.count(b"\n", 0, nul) + 1,
            "this line holds a NUL byte: delete it; if the file is full of them, it is "
            "saved as UTF-16 (or is not text): save it as UTF-8 text",
        )
        return None
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark is harmless: drop it
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        source.error(
            line,
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save it as UTF-8 in your editor",
        )
        return None


def parse_source(text: str, source: SourceFile, rules: Rules) -> SourceFile:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        source.error(1, "the file is empty: " + EXAMPLE)
        return source
    if _control_characters(text, source):
        return source
    fm_text, fm_first_line, body_line = _split(text, source)
    if fm_text is None:
        return source
    source.body_line = body_line
    source.body = "\n".join(text.split("\n")[body_line - 1 :])
    data = _load_yaml(fm_text, fm_first_line, source)
    if data is None:
        return source
    if source.kind == TIP:
        _check_tip(data, source, rules)
    else:
        _check_page(data, source, rules)
    if not source.body.strip():
        source.error(
            max(body_line - 1, 1),
            "there is no text after the front matter: write the "
            + ("tip" if source.kind == TIP else "page")
            + " below the closing '---' line",
        )
    _beyond_markdown(source)
    return source


def _beyond_markdown(source: SourceFile) -> None:
    """Text that Python-Markdown cannot convert in reasonable time or at all:
    lists nested some 300 deep exhaust its recursion, and thousands of "["
    take it minutes (the time grows with their square)."""
    body = source.body
    for match in _DEEP_PREFIX_RE.finditer(body):
        prefix = match.group().expandtabs(4)
        depth = (len(prefix) - len(prefix.lstrip(" "))) // 4 + len(_MARKER_RE.findall(prefix))
        if depth > MAX_BODY_NESTING:
            line = source.body_line + body.count("\n", 0, match.start())
            source.error(
                line,
                f"this line nests lists or quotes {depth} deep; Markdown cannot read more "
                f"than {MAX_BODY_NESTING}: is this the text you meant?",
            )
            return
    brackets = body.count("[")
    if brackets > MAX_BRACKETS:
        at = -1
        for _ in range(MAX_BRACKETS + 1):
            at = body.find("[", at + 1)
        source.error(
            source.body_line + body.count("\n", 0, at),
            f"the text holds {brackets} '[' characters, over {MAX_BRACKETS} by this line; "
            "Markdown takes minutes over so many (a tip is a short text): is this the text "
            "you meant?",
        )


def _control_characters(text: str, source: SourceFile) -> bool:
    """Report the lines holding control characters; True if there were any."""
    first = CONTROL_RE.search(text)
    if first is None:
        return False
    found: dict[int, str] = {}  # line -> its first control character
    for match in CONTROL_RE.finditer(text, first.start()):
        found.setdefault(text.count("\n", 0, match.start()) + 1, match.group())
        if len(found) > MAX_CONTROL_LINES:
            break
    for number, (line, char) in enumerate(found.items()):
        if number == MAX_CONTROL_LINES:
            source.error(line, "more lines from here on hold control characters")
            break
        source.error(
            line,
            f"this line holds an invisible control character (U+{ord(char):04X}); delete it "
            "(it comes from a paste, a binary file or a wrong encoding: save the file as "
            "UTF-8 text)",
        )
    return True


def _split(text: str, source: SourceFile) -> tuple[str | None, int, int]:
    """Find the front matter; return it, the line it starts on, and the body's line."""
    stripped = text.lstrip("\n")
    skipped = len(text) - len(stripped)  # blank lines before the front matter
    opening = _BOUNDARY.match(stripped)
    if not opening:
        source.error(skipped + 1, "the file has no front matter: " + EXAMPLE)
        return None, 0, 0
    closing = _BOUNDARY.search(stripped, opening.end())
    if not closing:
        source.error(
            skipped + 1,
            "the front matter is not closed: add a line '---' after its last field",
        )
        return None, 0, 0
    fm_first_line = skipped + 2
    fm_text = stripped[opening.end() + 1 : closing.start()]
    closing_line = skipped + stripped.count("\n", 0, closing.start()) + 1
    return fm_text, fm_first_line, closing_line + 1


UNCLOSED_QUOTE = "the quote that starts this value is not closed"
_QUOTED_VALUE_RE = re.compile(r"""^\s*(?:-\s+)?[^\s#'"][^:#]*:\s+(["'])(.*)$""")


def _unclosed_quote(lines: list[str]) -> int | None:
    """The first line whose value opens a quote that the line does not close."""
    for index, line in enumerate(lines):
        match = _QUOTED_VALUE_RE.match(line)
        if not match:
            continue
        quote, rest = match.groups()
        if quote not in _without_escapes(quote, rest):
            return index
    return None


def _without_escapes(quote: str, rest: str) -> str:
    if quote == '"':
        return rest.replace("\\\\", "").replace('\\"', "")  # escaped \\ and \"
    return rest.replace("''", "")  # '' is a quote inside single quotes


def _quote_inside_quotes(line_text: str) -> str | None:
    """The quote character of a value that holds that same quote inside, such as
    ``title: "Say "thanks" today"``, where YAML sees the value end early."""
    match = _QUOTED_VALUE_RE.match(line_text)
    if not match:
        return None
    quote, rest = match.groups()
    rest = _without_escapes(quote, rest.rstrip())
    inner = rest[:-1] if rest.endswith(quote) else rest
    return quote if quote in inner else None


def _yaml_hint(problem: str, line_text: str) -> str:
    if "\t" in line_text:
        return " (indent with spaces, not tabs)"
    quote = _quote_inside_quotes(line_text)
    if quote == '"':
        return (
            ' (the value in "..." has a " inside it, which ends the value early: write'
            ' the inner quotes as \\" or as typographic quotes, or put the whole value in'
            " single quotes: title: 'Say \"thank you\"')"
        )
    if quote == "'":
        return (
            " (the value in '...' has a ' inside it, which ends the value early: write"
            " it twice ('') or put the whole value in double quotes: title: \"It's fine\")"
        )
    if "mapping values are not allowed" in problem:
        return ' (a value holding ": " must be in double quotes, e.g. title: "Week 8: smile")'
    if "quoted scalar" in problem or "end of stream" in problem:
        return " (a quote is not closed)"
    if problem == UNCLOSED_QUOTE:
        return " (end the value with the quote it starts with)"
    return ""


def _too_deep(fm_text: str) -> int | None:
    """The line (from 0) where lists or groups nest deeper than a tip ever needs.
    libyaml recurses per level and crashes the process some 50,000 levels down."""
    if fm_text.count("[") + fm_text.count("{") <= MAX_NESTING:
        return None
    depth = line = 0
    for char in fm_text:
        if char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return line
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char == "\n":
            line += 1
    return None


def _load_yaml(fm_text: str, first_line: int, source: SourceFile) -> dict | None:
    deep = _too_deep(fm_text)
    if deep is not None:
        source.error(
            first_line + deep,
            f"the front matter nests lists more than {MAX_NESTING} deep here; a field holds "
            "text, a date, or a list of words like [phone, email]",
        )
        return None
    try:
        node, data = compose_and_load(fm_text)
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is found at the end of the text; its start is the
        # line to fix.
        quoted = exc.context and "quoted scalar" in exc.context
        mark = (exc.context_mark if quoted else None) or exc.problem_mark or exc.context_mark
        index = mark.line if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        fm_lines = fm_text.split("\n")
        # A quote left open swallows the next lines up to the next quote, and
        # YAML stumbles there: the line to fix is the one the quote opens on.
        unclosed = _unclosed_quote(fm_lines[: index + 1])
        if unclosed is not None and unclosed < index:
            index, problem = unclosed, UNCLOSED_QUOTE
        line = first_line + index
        line_text = fm_lines[index] if index < len(fm_lines) else ""
        hint = _yaml_hint(problem, line_text)
        source.error(line, f"the front matter is not valid YAML: {problem}{hint}")
        return None
    except yaml.YAMLError as exc:
        source.error(first_line, f"the front matter is not valid YAML: {exc}")
        return None
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        source.error(
            max(first_line - 1, 1),
            "the front matter must be fields such as 'title: ...', one a line: " + EXAMPLE,
        )
        return None
    seen: dict[str, int] = {}
    for key_node, _value in node.value:
        key = str(key_node.value)
        line = first_line + key_node.start_mark.line
        if key in seen:
            source.error(line, f"'{key}' is given twice (also on line {seen[key]}): keep one")
        else:
            seen[key] = line
    source.lines = seen
    return data


def _text(data: dict, name: str, source: SourceFile, required: bool) -> str | None:
    """A one-line text field; whitespace runs (newlines too) become one space."""
    line = source.line_of(name)
    value = data.get(name)
    if value is None:
        if required:
            where = line if name in source.lines else 1
            source.error(where, f"'{name}' is missing: add '{name}: ...' to the front matter")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        source.error(
            line,
            f"'{name}' must be text, not {_kind(value)}; put it in double quotes: {name}: \"...\"",
        )
        return None
    text = " ".join(str(value).split())
    if not text and required:
        source.error(line, f"'{name}' is empty")
        return None
    return text


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return type(value).__name__


def _check_unknown(data: dict, known: tuple[str, ...], source: SourceFile) -> None:
    for name in data:
        if str(name) in known:
            continue
        close = difflib.get_close_matches(str(name), known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"the fields are {', '.join(known)}"
        source.error(source.line_of(str(name)), f"unknown field '{name}': {hint}")


def _check_lang(data: dict, source: SourceFile, rules: Rules) -> None:
    line = source.line_of("lang")
    value = data.get("lang")
    if value is False:
        source.error(
            line,
            "lang: no is read by YAML as 'false'; Norwegian bokmål is written lang: nb",
        )
        return
    lang = _text(data, "lang", source, required=True)
    if lang is None:
        return
    if lang not in rules.languages:
        hint = " (Norwegian bokmål is 'nb')" if lang.lower() in ("no", "nn", "nob") else ""
        source.error(
            line,
            f"unknown language '{lang}'{hint}: use one of {', '.join(rules.languages)}",
        )
        return
    source.fields["lang"] = lang


def _check_slug(data: dict, source: SourceFile) -> None:
    slug = _text(data, "slug", source, required=True)
    if slug is None:
        return
    if not SLUG_RE.fullmatch(slug):
        source.error(
            source.line_of("slug"),
            f"slug '{slug}' may hold only lowercase letters a-z, digits and single "
            "hyphens, e.g. smile-on-the-phone",
        )
        return
    source.fields["slug"] = slug


def parse_date(value: str, timezone: ZoneInfo) -> datetime.datetime:
    """``YYYY-MM-DD HH:MM`` (seconds optional, time optional) in the site's zone."""
    match = DATE_RE.fullmatch(value.strip())
    if not match:
        raise ValueError(f"'{value}' is not a date like 2021-02-26 09:00")
    parts = {k: int(v) for k, v in match.groupdict(default="0").items()}
    try:
        naive = datetime.datetime(
            parts["y"], parts["m"], parts["d"], parts["H"], parts["M"], parts["S"]
        )
    except ValueError as exc:
        raise ValueError(f"{value.strip()} is not a real date ({exc})") from None
    return naive.replace(tzinfo=timezone)


def _check_date(data: dict, source: SourceFile, rules: Rules) -> None:
    value = data.get("date")
    line = source.line_of("date")
    if value is None:
        source.error(1, "'date' is missing: add e.g. 'date: 2021-02-26 09:00'")
        return
    if not isinstance(value, str):
        source.error(line, f"date must look like 2021-02-26 09:00, not {_kind(value)}")
        return
    try:
        source.fields["date"] = parse_date(value, rules.timezone)
    except ValueError as exc:
        source.error(line, str(exc))


def _check_tags(data: dict, source: SourceFile) -> None:
    value = data.get("tags", [])
    line = source.line_of("tags")
    if value is None:
        value = []
    if isinstance(value, str):
        source.error(line, f"tags must be a list, e.g. tags: [{value}]")
        return
    if not isinstance(value, list):
        source.error(line, f"tags must be a list like [phone, email], not {_kind(value)}")
        return
    if len(value) > MAX_TAGS:
        source.error(line, f"{len(value)} tags is too many: a tip has at most {MAX_TAGS}")
        return
    tags: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            source.error(line, f"each tag must be text, not {_kind(item)}")
            return
        tag = " ".join(str(item).split())
        if tag and tag not in tags:
            tags.append(tag)
    source.fields["tags"] = tags


def _check_choice(
    data: dict, name: str, choices: tuple[str, ...], default: str, source: SourceFile
) -> None:
    if name not in data:
        source.fields[name] = default
        return
    value = _text(data, name, source, required=True)
    if value is None:
        return
    if value not in choices:
        source.error(source.line_of(name), f"{name} '{value}' is not one of {', '.join(choices)}")
        return
    source.fields[name] = value


def _check_tip(data: dict, source: SourceFile, rules: Rules) -> None:
    _check_unknown(data, TIP_FIELDS, source)
    for name in ("title", "author", "summary"):
        value = _text(data, name, source, required=True)
        if value is not None:
            source.fields[name] = value
    _check_date(data, source, rules)
    _check_lang(data, source, rules)
    _check_slug(data, source)
    _check_tags(data, source)
    _check_choice(data, "series", rules.series, DEFAULT_SERIES, source)
    _check_choice(data, "status", STATUSES, "published", source)
    newsletter = data.get("newsletter", True)
    if not isinstance(newsletter, bool):
        source.error(source.line_of("newsletter"), "newsletter must be true or false")
    else:
        source.fields["newsletter"] = newsletter


def _check_page(data: dict, source: SourceFile, rules: Rules) -> None:
    _check_unknown(data, PAGE_FIELDS, source)
    for name, required in (("title", True), ("summary", False)):
        value = _text(data, name, source, required=required)
        if value is not None:
            source.fields[name] = value
    _check_lang(data, source, rules)
    _check_slug(data, source)
    _check_choice(data, "template", PAGE_TEMPLATES, "page", source)
    _check_choice(data, "status", STATUSES, "published", source)
