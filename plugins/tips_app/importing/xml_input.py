"""Reading an export file as XML: untrusted, often old, sometimes malformed.

Exports are parsed with defusedxml (no entity expansion, no external
entities: an export is input from outside). Old exports break XML in known
ways, which are repaired with a warning naming the line, so the import reads
on: control characters XML cannot hold, a namespace prefix used without its
declaration (Blogger's backups use ``app:`` undeclared). A post the parser
still cannot read is cut out, reported with its line, and the rest is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from tips_core.problems import ERROR, WARNING, Problem

MAX_EXPORT_BYTES = 500_000_000
MAX_REPAIRS = 100
# Characters XML 1.0 cannot hold at all (tab and line ends aside).
XML_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
KNOWN_PREFIXES = {
    "app": "http://purl.org/atom/app#",
    "thr": "http://purl.org/syndication/thread/1.0",
    "gd": "http://schemas.google.com/g/2005",
    "georss": "http://www.georss.org/georss",
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "media": "http://search.yahoo.com/mrss/",
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}
_BLOCK_START_RE = re.compile(r"<(item|entry)[\s>]")
_ROOT_TAG_RE = re.compile(r"<(?!\?|!)[A-Za-z_][\w:.-]*")


class UnusableExport(Exception):
    """The file is no export the importer reads; the message says what to make."""


@dataclass
class ParsedXml:
    root: Element
    text: str  # as parsed (repairs keep every line where it was)
    problems: list[Problem] = field(default_factory=list)

    def item_lines(self) -> list[int]:
        """The line of each <item> or <entry>, in document order."""
        return self.lines_of(_BLOCK_START_RE)

    def lines_of(self, start: re.Pattern) -> list[int]:
        """The line of each match of ``start``, in document order."""
        return [self.text.count("\n", 0, m.start()) + 1 for m in start.finditer(self.text)]


def read_export_text(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_EXPORT_BYTES + 1)
    except OSError as exc:
        raise UnusableExport(f"{path}:1: error: cannot read the file: {exc.strerror}") from None
    if len(raw) > MAX_EXPORT_BYTES:
        raise UnusableExport(f"{path}:1: error: the file is over 500 MB: is it an export?")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UnusableExport(
            f"{path}:{line}: error: the file is not UTF-8 text here (byte 0x{raw[exc.start]:02x}): "
            "make the export again; an export is always UTF-8"
        ) from None


def parse_xml(path: str, text: str) -> ParsedXml:
    problems: list[Problem] = []
    text = _without_control_characters(path, text, problems)
    for _ in range(MAX_REPAIRS):
        try:
            root = fromstring(text.encode("utf-8"))
        except DefusedXmlException as exc:
            raise UnusableExport(
                f"{path}:1: error: the file declares XML entities or a DTD ({exc}); an "
                "export never does: make the export again from the blog"
            ) from None
        except ParseError as exc:
            line = exc.position[0] if exc.position else 1
            repaired = _declare_prefix(text, line, str(exc), path, problems)
            if repaired is None:
                repaired = _cut_block(text, line, str(exc), path, problems)
            if repaired is None:
                raise UnusableExport(
                    f"{path}:{line}: error: the file is not readable XML here ({exc}); "
                    "make the export again, or fix this line"
                ) from None
            text = repaired
            continue
        return ParsedXml(root, text, problems)
    raise UnusableExport(f"{path}:1: error: too many XML errors: make the export again")


def _without_control_characters(path: str, text: str, problems: list[Problem]) -> str:
    if XML_CONTROL_RE.search(text) is None:
        return text
    seen: set[int] = set()
    for match in XML_CONTROL_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line not in seen and len(seen) < 20:
            seen.add(line)
            problems.append(
                Problem(
                    path,
                    line,
                    f"removed an invalid control character (U+{ord(match.group()):04X}) "
                    "that XML cannot hold",
                    WARNING,
                )
            )
    return XML_CONTROL_RE.sub("", text)


def _declare_prefix(
    text: str, line: int, error: str, path: str, problems: list[Problem]
) -> str | None:
    """Declare a well-known prefix an old export uses without declaring it."""
    if "unbound prefix" not in error:
        return None
    line_text = text.split("\n")[line - 1]
    for prefix, uri in KNOWN_PREFIXES.items():
        if re.search(rf"</?{prefix}:", line_text) and f"xmlns:{prefix}=" not in text[:4000]:
            root = _ROOT_TAG_RE.search(text, text.find("?>") + 1 if text.startswith("<?") else 0)
            while root and text.startswith(("<!", "<?"), root.start()):
                root = _ROOT_TAG_RE.search(text, root.end())
            if root is None:
                return None
            problems.append(
                Problem(
                    path,
                    line,
                    f"the prefix '{prefix}:' is used without its declaration; read as {uri}",
                    WARNING,
                )
            )
            return f'{text[: root.end()]} xmlns:{prefix}="{uri}"{text[root.end() :]}'
    return None


def _cut_block(text: str, line: int, error: str, path: str, problems: list[Problem]) -> str | None:
    """Cut out the <item>/<entry> holding the broken line, keeping line numbers."""
    lines = text.split("\n")
    offset = sum(len(part) + 1 for part in lines[: line - 1])
    starts = [m for m in _BLOCK_START_RE.finditer(text, 0, offset + len(lines[line - 1]))]
    if not starts:
        return None
    start = starts[-1]
    closing = f"</{start.group(1)}>"
    end = text.find(closing, start.start())
    if end < 0 or end + len(closing) < offset:
        return None
    end += len(closing)
    first = text.count("\n", 0, start.start()) + 1
    problems.append(
        Problem(
            path,
            line,
            f"this {start.group(1)} (from line {first}) is not readable XML ({error}); it was "
            "left out: fix it in the blog and export again",
            ERROR,
        )
    )
    return text[: start.start()] + "\n" * text.count("\n", start.start(), end) + text[end:]
