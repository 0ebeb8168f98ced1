"""Lighthouse (npm, pinned) on the sample site, as the web measures a page: mobile
settings, Debian's Chromium, the site served on this machine.

Accessibility, best practices and SEO are properties of the pages, so the test
asserts 100 in each. Performance is a timing of a machine shared with others:
it is printed (and recorded as a property of the test) for the notes, not asserted.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from scripts.local_site import CHROMIUM, chromium_available
from tests.site_quality.conftest import NODE_MODULES, require

LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
ASSERTED = ("accessibility", "best-practices", "seo")
PAGES = {
    "nb home": "",
    "nb tip": "2021/w05/follow-up-after-complaint/",
    "sv archive": "sv/archive/",
    "sv search": "sv/search/",
}


def lighthouse(url: str, report: str) -> dict:
    """One Lighthouse run with its default (mobile) settings; the JSON report."""
    require(LIGHTHOUSE.is_file(), "lighthouse (npm ci)")
    require(chromium_available(), "Chromium (/usr/bin/chromium)")
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--only-categories=performance,accessibility,best-practices,seo",
            "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-quic "
            "--no-first-run --disable-background-networking --disable-component-update",
        ],
        env=dict(os.environ, CHROME_PATH=CHROMIUM),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with open(report, encoding="utf-8") as handle:
        return json.load(handle)


def failed_audits(report: dict, category: str) -> list[str]:
    """The audits that cost the category points, with what Lighthouse says about them."""
    refs = report["categories"][category]["auditRefs"]
    audits = (report["audits"][ref["id"]] for ref in refs if ref["weight"] > 0)
    return [
        f"{a['id']}: {a.get('displayValue') or a['title']}"
        for a in audits
        if a["score"] is not None and a["score"] < 1
    ]


@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_scores_100_in_accessibility_best_practices_and_seo(
    sample_site, tmp_path, record_property, name
):
    report = lighthouse(sample_site.url(PAGES[name]), str(tmp_path / "lighthouse.json"))
    scores = {key: round(c["score"] * 100) for key, c in report["categories"].items()}
    record_property("lighthouse", scores)
    print(f"Lighthouse {name}: {scores}")
    assert {key: scores[key] for key in ASSERTED} == dict.fromkeys(ASSERTED, 100), {
        key: failed_audits(report, key) for key in ASSERTED
    }
    # Nothing moves once shown (fonts are preloaded, boxes sized): no layout shift.
    assert report["audits"]["cumulative-layout-shift"]["numericValue"] == 0
