"""The repository's own sample site (content/), built once per test session and
served on 127.0.0.1, and one Chromium for every browser test.

The quality gates (Nu HTML Checker, axe-core, links, feeds, weight) and the
browser tests all look at this one build, as a reader and a search engine would.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts.local_site import chromium_available, launch_chromium, serving
from tests.conftest import REPO, settings_for
from tips_app.pipeline import build

LANGUAGES = ("nb", "sv", "fi", "et", "en")
# A production-like site: the signup boxes hold their form (never posted to in tests).
SIGNUP_URL = "https://example.us21.list-manage.com/subscribe/post?u=ab12cd34&id=f00dfeed42"
NODE_MODULES = REPO / "node_modules"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, what: str) -> None:
    """Skip when a checker is missing on a developer's machine; never in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI must run every check")
    pytest.skip(f"{what} is missing (run `make test`, which installs it)")


@dataclass
class SampleSite:
    output: Path
    base_url: str
    summary: object

    def url(self, relative: str = "") -> str:
        return f"{self.base_url}/{relative}"

    def path(self, relative: str) -> Path:
        target = self.output / relative
        return target / "index.html" if relative == "" or relative.endswith("/") else target

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(relative).read_text("utf-8"), "html.parser")

    def pages(self) -> list[Path]:
        """Every HTML page we wrote (pagefind's bundle holds none of ours)."""
        return sorted(p for p in self.output.rglob("*.html") if "pagefind" not in p.parts)

    def tip_urls(self, lang: str) -> list[str]:
        """Relative URLs of the tips in ``lang``, newest first (from the archive)."""
        prefix = "" if lang == "nb" else f"{lang}/"
        pattern = re.compile(rf"^{re.escape(self.base_url)}/{prefix}\d{{4}}/w\d\d/[a-z0-9-]+/$")
        urls: list[str] = []
        page: str | None = f"{prefix}archive/"
        while page is not None:
            soup = self.html(page)
            for link in soup.select(".archive a"):
                if pattern.match(link["href"]):
                    urls.append(link["href"].removeprefix(self.base_url + "/"))
            following = soup.select_one('.pagination a[rel="next"]')
            page = following["href"].removeprefix(self.base_url + "/") if following else None
        return urls


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Iterator[SampleSite]:
    tmp = tmp_path_factory.mktemp("sample-site")
    output = tmp / "output"
    output.mkdir()
    with serving(str(output), LANGUAGES) as base_url:
        settings = settings_for(
            tmp, REPO / "content", SITEURL=base_url, NEWSLETTER_SIGNUP_URL=SIGNUP_URL
        )
        summary = build(settings)
        yield SampleSite(output=output, base_url=base_url, summary=summary)


@pytest.fixture(scope="session")
def browser():
    require(chromium_available(), "Chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@dataclass
class Tab:
    page: object  # playwright's Page
    foreign_requests: list[str]  # URLs of other hosts the page asked for (refused)
    requests: list[str]  # every URL the page asked for

    def goto(self, url: str) -> None:
        self.requests.clear()
        self.page.goto(url, wait_until="load")


@pytest.fixture
def tab(browser, sample_site) -> Iterator[Tab]:
    """A fresh tab whose requests may only go to the local site: any other
    host is recorded and refused, so nothing leaves the machine."""
    context = browser.new_context()
    foreign: list[str] = []
    requests: list[str] = []

    def guard(route):
        url = route.request.url
        requests.append(url)
        if url.startswith(sample_site.base_url + "/") or url.startswith("data:"):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    yield Tab(context.new_page(), foreign, requests)
    context.close()
