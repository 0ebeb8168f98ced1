"""What HTML a tip may carry: the email's allowlist, and the check of raw HTML.

Markdown lets an author write raw HTML. On the site it passes through (authors
are trusted committers), except what runs script in readers' browsers, which
``make check`` refuses. Every email body goes through :func:`sanitize_email_html`,
a kept allowlist sanitizer (nh3, the Ammonia crate): mail clients show text,
links, lists, tables and images, and nothing that runs. ``make check`` names
the line of any raw HTML the email will drop, so nothing disappears silently.
"""

from __future__ import annotations

import re

import nh3

from .problems import ERROR, WARNING, Problem
from .source_file import SourceFile

EMAIL_TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del"),
        *("div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s"),
        *("small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th"),
        *("thead", "tr", "u", "ul"),
    }
)
EMAIL_ATTRIBUTES = {
    "*": {"id", "title"},  # footnotes link by id; titles are text
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Elements whose content is code or a foreign document, dropped with the element.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})
# Elements that run script, or load another page that does.
SCRIPT_TAGS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "xlink:href"})
SCRIPT_URL_RE = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)", re.I)


def sanitize_email_html(html: str) -> str:
    """The HTML of a tip as an email may carry it."""
    return nh3.clean(
        html,
        tags=set(EMAIL_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in EMAIL_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
    )


_SCHEME_WORD_RE = re.compile(r"(?:script|data)\Z", re.I)
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^<>]*?)?)\s*/?>")
_ATTR_RE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_LINK_URL_RE = re.compile(
    r"\]\(\s*<?([^)\s>]*)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+)|<([a-zA-Z]+:[^>\s]*)>", re.M
)


def _blank(match: re.Match) -> str:
    """Code keeps its lines but none of its text: `<script>` in code is text."""
    return re.sub(r"[^\n]", " ", match.group())


def _names_script_scheme(body: str) -> bool:
    """Whether "script" or "data" (any case) comes before a colon, spaces
    between: what ``script\\s*:|data\\s*:`` finds, in a tenth of the time.
    Searching the whole text case-insensitively was most of what `make check`
    spent on a file; a text holds few colons, and only the word before each
    is read."""
    colon = body.find(":")
    while colon >= 0:
        end = colon
        while end and body[end - 1].isspace():  # what \s matches in a str pattern
            end -= 1
        if _SCHEME_WORD_RE.search(body, max(0, end - 6), end):
            return True
        colon = body.find(":", colon + 1)
    return False


def raw_html_problems(source: SourceFile, emailed: bool) -> list[Problem]:
    """The raw HTML of a file's text that runs script (an error, site and email
    alike) or, in a tip that is emailed, that its email drops (a warning)."""
    body = source.body
    if "<" not in body and not _names_script_scheme(body):
        return []
    text = _COMMENT_RE.sub(_blank, _CODE_SPAN_RE.sub(_blank, _FENCE_RE.sub(_blank, body)))
    problems: list[Problem] = []
    seen: set[tuple[int, str]] = set()

    def report(offset: int, severity: str, message: str) -> None:
        line = source.body_line + text.count("\n", 0, offset)
        if (line, message) not in seen:
            seen.add((line, message))
            problems.append(Problem(source.path, line, message, severity))

    for match in _TAG_RE.finditer(text):
        tag = match.group(1).lower()
        if tag in SCRIPT_TAGS:
            report(
                match.start(),
                ERROR,
                f"raw HTML <{tag}> runs script in readers' browsers (or loads a page that "
                "does): remove it; a tip is text, links and images",
            )
            continue
        removed = []
        for name, value in _ATTR_RE.findall(match.group(2)):
            name = name.lower()
            url = value.strip("\"'")
            if name.startswith("on"):
                report(
                    match.start(),
                    ERROR,
                    f"the {name} attribute of <{tag}> runs script in readers' browsers: remove it",
                )
            elif name in URL_ATTRIBUTES and SCRIPT_URL_RE.match(url):
                report(
                    match.start(),
                    ERROR,
                    f"the {name} of <{tag}> is a script URL ({url[:30]}) that runs in "
                    "readers' browsers: link to a web address instead",
                )
            elif name not in EMAIL_ATTRIBUTES["*"] | EMAIL_ATTRIBUTES.get(tag, set()):
                removed.append(name)
        if not emailed:
            continue
        if tag not in EMAIL_TAGS:
            report(
                match.start(),
                WARNING,
                f"raw HTML <{tag}> is left out of the email (mail clients do not show it); "
                "the site shows it",
            )
        elif removed:
            report(
                match.start(),
                WARNING,
                f"the {', '.join(removed)} of raw HTML <{tag}> is left out of the email "
                "(mail clients drop or misuse it); the site keeps it",
            )
    for match in _LINK_URL_RE.finditer(text):
        url = next(group for group in match.groups() if group is not None)
        if SCRIPT_URL_RE.match(url):
            report(
                match.start(),
                ERROR,
                f"this link is a script URL ({url[:30]}) that runs in readers' browsers: "
                "link to a web address instead",
            )
    problems.sort()
    return problems
