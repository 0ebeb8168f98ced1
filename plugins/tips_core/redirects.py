"""The redirect list: old addresses of an imported blog and where they lead now.

``content/redirects.yaml`` maps an old path to a target, one a line::

    "/2011/02/smil-i-telefonen/": tips/2011/2011-w08-smil-i-telefonen.nb.md
    "/category/ukens-tips/": /tags/telefon/
    "/feed/": /feeds/atom.xml

A target is a content file (its page, wherever its date puts it) or a path
of this site. `make import` writes the list and authors may edit it; the
build turns it into a small page at each old path (for hosts that serve
files only, like GitHub Pages) and a ``_redirects`` file (Netlify,
Cloudflare Pages). An old path never replaces a page of the site, and a
path with a query (``/?p=12``) cannot be served by a static site: both are
reported, never written.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml

from .problems import ERROR, WARNING, Problem
from .yaml_loader import compose_and_load

REDIRECTS_FILE = "redirects.yaml"
HEADER = (
    "# Old addresses of imported blogs and where they lead now: a content file\n"
    "# (tips/..., pages/...) or a path of this site (/tags/...). make import adds\n"
    "# lines here; edit them freely. See docs/import.md.\n"
)
FEED_SUFFIXES = (".xml", ".atom", ".rss")
# The first part of a path the site writes itself (with or without a language prefix).
SITE_ROOTS = frozenset(
    {"archive", "tags", "authors", "search", "feeds", "pagefind", "images", "theme", "404.html"}
)
TOP_FILES = frozenset({"sitemap.xml", "robots.txt", "_redirects", "index.html"})
_WEEK_RE = re.compile(r"^\d{4}/w\d{2}(/|$)")


@dataclass(frozen=True)
class Redirect:
    source: str  # "/2011/02/smile/", as the old blog linked it
    target: str  # "tips/2011/2011-w08-smile.nb.md" or "/tags/phone/"
    line: int

    @property
    def to_content(self) -> bool:
        return not self.target.startswith("/")

    @property
    def to_feed(self) -> bool:
        """A feed: readers ignore a page's meta refresh, so only ``_redirects`` serves it."""
        return self.target.endswith(FEED_SUFFIXES)


def redirect_line(source: str, target: str) -> str:
    return f"{_quoted(source)}: {_quoted(target)}\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unservable(source: str) -> str:
    """Why a static site cannot serve ``source``; '' when it can."""
    parts = urlsplit(source)
    if parts.query:
        return "an address with a query (?...) is not a file a static site can serve"
    if parts.fragment:
        return "an address with a #fragment never reaches the server"
    if not parts.path.startswith("/") or parts.path == "/":
        return "the old home page is this site's home page"
    clean = posixpath.normpath(unquote(parts.path))
    if ".." in clean.split("/") or "\x00" in clean:
        return "the path leads out of the site"
    return ""


def output_file(source: str) -> str:
    """The file a redirect page is written to: ``a/b/`` and ``a/b`` get an
    index.html, ``a/b.html`` is itself. Unquoted: the server unquotes."""
    path = unquote(urlsplit(source).path).lstrip("/")
    if path.endswith("/"):
        return path + "index.html"
    if os.path.splitext(path)[1]:
        return path
    return path + "/index.html"


def site_collision(
    source: str, languages: Iterable[str], site_urls: Iterable[str], feed: bool = False
) -> bool:
    """Whether an old path would replace a page the site writes itself. A feed's
    redirect is a line of ``_redirects`` only (no page is written), so only the
    site's own files count for it, not whole folders."""
    path = unquote(urlsplit(source).path).lstrip("/")
    if path in TOP_FILES or output_file(source) in TOP_FILES:
        return True
    if feed:
        own = {_url_file(url) for url in site_urls}
        own.update(f"{lang}/feeds/atom.xml" for lang in languages)
        return path in own or output_file(source) in own or path == "feeds/atom.xml"
    parts = path.split("/")
    if parts[0] in languages:
        if len(parts) == 1 or parts[1] in ("", "index.html"):
            return True
        parts = parts[1:]
    if parts[0] in SITE_ROOTS or _WEEK_RE.match("/".join(parts)):
        return True
    target = output_file(source)
    return any(target == _url_file(url) for url in site_urls)


def page_urls(pages: Iterable[Any], default_lang: str) -> set[str]:
    """The addresses of the site's pages (PAGE_URL, PAGE_LANG_URL)."""
    urls = set()
    for page in pages:
        lang, slug = page.fields["lang"], page.fields["slug"]
        urls.add(f"{slug}/" if lang == default_lang else f"{lang}/{slug}/")
    return urls


def _url_file(url: str) -> str:
    return url + "index.html" if url == "" or url.endswith("/") else url


def read_redirects(content_path: str) -> tuple[list[Redirect], list[Problem]]:
    """The list as written, with a problem (and its line) for every bad line."""
    path = os.path.join(content_path, REDIRECTS_FILE)
    if not os.path.exists(path):
        return [], []
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(path, 1, f"cannot read the redirect list: {exc}")]
    try:
        node, _data = compose_and_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [], [Problem(path, line, f"the redirect list is not valid YAML: {exc}")]
    if node is None:
        return [], []
    if not isinstance(node, yaml.MappingNode):
        return [], [Problem(path, 1, 'write one redirect a line: "/old/path/": tips/....md')]
    redirects, problems, seen = [], [], {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        source, target = str(key.value).strip(), str(value.value).strip()
        if not isinstance(value, yaml.ScalarNode) or not target:
            problems.append(Problem(path, line, f"'{source}' needs one target: a file or a path"))
            continue
        if source in seen:
            problems.append(
                Problem(path, line, f"'{source}' is listed twice (also on line {seen[source]})")
            )
            continue
        seen[source] = line
        why = unservable(source)
        if why:
            problems.append(Problem(path, line, f"'{source}': {why}; remove the line", WARNING))
            continue
        redirects.append(Redirect(source, target, line))
    return redirects, problems


def redirect_problems(
    content_path: str,
    content_files: Iterable[str],
    languages: tuple[str, ...],
    site_urls: Iterable[str],
) -> list[Problem]:
    """What `make check` says about the list: bad lines, targets that are not
    there, old paths that would replace a page of the site."""
    redirects, problems = read_redirects(content_path)
    path = os.path.join(content_path, REDIRECTS_FILE)
    files = {os.path.relpath(f, content_path).replace(os.sep, "/") for f in content_files}
    urls = list(site_urls)
    for redirect in redirects:
        if redirect.to_content and redirect.target not in files:
            problems.append(
                Problem(
                    path,
                    redirect.line,
                    f"'{redirect.source}' leads to {redirect.target}, which is not a content "
                    "file: fix the target or remove the line",
                    ERROR,
                )
            )
        if site_collision(redirect.source, languages, urls, redirect.to_feed):
            problems.append(
                Problem(
                    path,
                    redirect.line,
                    f"'{redirect.source}' is an address of this site's own pages: the old "
                    "link is not redirected (remove the line)",
                    WARNING,
                )
            )
    return problems


def quote_path(path: str) -> str:
    """A path as ``_redirects`` needs it: no spaces, everything else kept."""
    return quote(unquote(path), safe="/%:@!$&'()*+,;=-._~")


def rename_targets(content_path: str, renamed: dict[str, str]) -> list[tuple[str, int]]:
    """Point every line whose target is a renamed content file at its new name
    (``make tidy``); the rest of the list stays as its author wrote it.
    Returns the (file, line) rewritten."""
    redirects, _problems = read_redirects(content_path)
    lines_to_change = {r.line: r.target for r in redirects if r.target in renamed}
    if not lines_to_change:
        return []
    path = os.path.join(content_path, REDIRECTS_FILE)
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    for number, target in lines_to_change.items():
        head, _sep, tail = lines[number - 1].rpartition(target)
        lines[number - 1] = head + renamed[target] + tail
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    return [(path, number) for number in sorted(lines_to_change)]
