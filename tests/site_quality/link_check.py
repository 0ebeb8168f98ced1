"""A link checker over a built site folder: every internal link, asset and
fragment must resolve to a file (and an element id) in output/.

Internal means the site's own address (SITEURL) or a path without a host;
other hosts (share links, the signup form) and mailto: links are not fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes that make the browser (or a reader's click) request a URL.
URL_ATTRIBUTES = {
    "a": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "form": ("action",),
    "input": ("src",),
}
# Our own data attributes that hold a URL a script loads.
DATA_URL_ATTRIBUTES = ("data-bundle",)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
SITEMAP_URL = re.compile(r"<loc>([^<]+)</loc>|href=\"([^\"]+)\"")


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(name):
                self.ids.add(values[name])
        for name in URL_ATTRIBUTES.get(tag, ()) + DATA_URL_ATTRIBUTES:
            value = values.get(name)
            if value is not None:
                self.links.append(value)


@dataclass
class LinkReport:
    pages: int = 0
    internal: int = 0
    external: int = 0
    problems: list[str] = field(default_factory=list)


class LinkChecker:
    def __init__(self, output: Path, siteurl: str):
        self.output = output
        self.siteurl = siteurl.rstrip("/")
        self._ids: dict[Path, set[str]] = {}

    def _parse(self, path: Path) -> _PageParser:
        parser = _PageParser()
        parser.feed(path.read_text("utf-8"))
        parser.close()
        self._ids[path] = parser.ids
        return parser

    def _ids_of(self, path: Path) -> set[str]:
        if path not in self._ids:
            self._parse(path)
        return self._ids[path]

    def target(self, url: str, base: str) -> tuple[Path, str] | None:
        """The file and fragment an internal URL points to; None for other hosts."""
        absolute = urljoin(base, url)
        parts = urlsplit(absolute)
        site = urlsplit(self.siteurl)
        if parts.scheme not in ("http", "https") or parts.netloc != site.netloc:
            return None
        path = unquote(parts.path)
        if not path.startswith(site.path or "/"):
            return None
        relative = path[len(site.path) :].lstrip("/")
        file = self.output / relative
        if relative == "" or relative.endswith("/") or file.is_dir():
            file = file / "index.html"
        return file, unquote(parts.fragment)

    def check_url(self, url: str, base: str, where: str, report: LinkReport) -> None:
        if url.startswith(("mailto:", "tel:", "data:", "javascript:")):
            report.external += 1
            return
        resolved = self.target(url, base)
        if resolved is None:
            report.external += 1
            return
        report.internal += 1
        file, fragment = resolved
        if not file.is_file():
            report.problems.append(f"{where}: {url} -> no file {file.relative_to(self.output)}")
        elif fragment and file.suffix == ".html" and fragment not in self._ids_of(file):
            report.problems.append(f"{where}: {url} -> no element with id {fragment!r}")

    def page_url(self, path: Path) -> str:
        relative = path.relative_to(self.output).as_posix()
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        return f"{self.siteurl}/{relative}"

    def check(self, pages: Iterable[Path] | None = None) -> LinkReport:
        report = LinkReport()
        pages = sorted(pages if pages is not None else self.output.rglob("*.html"))
        for page in pages:
            if "pagefind" in page.relative_to(self.output).parts:
                continue  # pagefind's own bundle, not our pages
            report.pages += 1
            base = self.page_url(page)
            where = page.relative_to(self.output).as_posix()
            for url in self._parse(page).links:
                self.check_url(url, base, where, report)
        for css in sorted(self.output.rglob("*.css")):
            if "pagefind" in css.relative_to(self.output).parts:
                continue
            base = self.page_url(css)
            for url in CSS_URL.findall(css.read_text("utf-8")):
                self.check_url(url, base, css.relative_to(self.output).as_posix(), report)
        sitemap = self.output / "sitemap.xml"
        if sitemap.is_file():
            for loc, href in SITEMAP_URL.findall(sitemap.read_text("utf-8")):
                self.check_url(loc or href, self.siteurl + "/", "sitemap.xml", report)
        return report
