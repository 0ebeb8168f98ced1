"""Real Pelican builds of fixture content into temporary folders.

Tests write tips as an author would (Markdown with YAML front matter), build
with the project's own pelicanconf.py and plugins, and read the result as a
reader would: HTML pages, feeds, exit codes and messages.
"""

from __future__ import annotations

import datetime
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tips_app.pipeline import build, load_settings
from tips_core.naming import tip_file_path
from tips_core.weeks import IsoWeek

REPO = Path(__file__).resolve().parent.parent
PELICANCONF = str(REPO / "pelicanconf.py")
SITEURL = "http://127.0.0.1:8000"


def tip_text(
    *,
    title: str,
    date: str,
    lang: str,
    slug: str,
    author: str = "Kari Nordmann",
    tags: tuple[str, ...] = ("service",),
    summary: str = "A one-sentence summary.",
    body: str = "Smile, listen, and help.",
    extra: str = "",
) -> str:
    tag_list = ", ".join(tags)
    return (
        "---\n"
        f'title: "{title}"\n'
        f"date: {date}\n"
        f"lang: {lang}\n"
        f"slug: {slug}\n"
        f"author: {author}\n"
        f"tags: [{tag_list}]\n"
        f'summary: "{summary}"\n'
        f"{extra}"
        "---\n\n"
        f"{body}\n"
    )


def page_text(*, title: str, lang: str, slug: str, body: str = "About us.", extra: str = "") -> str:
    return f'---\ntitle: "{title}"\nlang: {lang}\nslug: {slug}\n{extra}---\n\n{body}\n'


class ContentTree:
    """A content/ folder a test fills with files."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def write(self, relpath: str, text: str | bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, "utf-8")
        return path

    def tip(self, **fields) -> Path:
        date = datetime.datetime.strptime(fields["date"][:10], "%Y-%m-%d").date()
        name = tip_file_path("", IsoWeek.of(date), fields["slug"], fields["lang"])
        return self.write(name, tip_text(**fields))

    def page(self, **fields) -> Path:
        return self.write(f"pages/{fields['slug']}.{fields['lang']}.md", page_text(**fields))


@dataclass
class BuiltSite:
    output: Path
    summary: object

    def path(self, url: str) -> Path:
        url = url.removeprefix(SITEURL).lstrip("/")
        target = self.output / url
        return target / "index.html" if url == "" or url.endswith("/") else target

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def html(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text("utf-8"), "html.parser")


def settings_for(tmp: Path, content: Path, **overrides) -> dict:
    return load_settings(
        PELICANCONF,
        {
            "PATH": str(content),
            "OUTPUT_PATH": str(tmp / "output"),
            "CACHE_PATH": str(tmp / "cache"),
            **overrides,
        },
    )


def build_site(tmp: Path, content: ContentTree, now=None, **overrides) -> BuiltSite:
    settings = settings_for(tmp, content.root, **overrides)
    summary = build(settings, now=now)
    return BuiltSite(Path(settings["OUTPUT_PATH"]), summary)


@pytest.fixture
def content(tmp_path: Path) -> ContentTree:
    return ContentTree(tmp_path / "content")


@pytest.fixture(autouse=True)
def _in_tmp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run each test from its temporary folder, so paths print relative to it."""
    monkeypatch.chdir(tmp_path)
    yield
    os.chdir(REPO)
