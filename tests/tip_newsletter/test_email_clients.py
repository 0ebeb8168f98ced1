"""The email against caniemail's data (@jsx-email/doiuse-email, offline), for the
programs most subscribers read it in. Every feature it reports is on this short
allowlist, with what readers whose program lacks it see; anything else is removed."""

from __future__ import annotations

import email
import json
import os
import re
import subprocess
from email import policy

import pytest

from pelican.plugins.tip_newsletter.backends import get_backend
from tests.conftest import ContentTree
from tests.site_quality.conftest import NODE_MODULES, require
from tests.tip_newsletter.conftest import build_newsletter_site, write_pages, write_week_three

CHECKER = os.path.join(os.path.dirname(__file__), "doiuse_email.cjs")
CLIENTS = (
    "gmail.*",
    "outlook.windows",
    "outlook.macos",
    "outlook.ios",
    "outlook.android",
    "apple-mail.*",
    "yahoo.*",
)
# What caniemail says a program does not support at all -> why it stays, and what a
# reader whose program lacks it sees. (Partial support, which caniemail notes for
# margin, padding or font-size in most programs, is printed, not gated.)
ALLOWED = {
    "@media": "progressive: narrower card padding on phones; without it the same "
    "fluid layout with 28 px padding",
    "Class selector": "only in the kept <style> (dark mode, phone padding); the look "
    "itself is inlined into style attributes",
    "Descendant combinator": "only in the kept <style> (dark mode); without it the light email",
    "Type selector": "only in the kept <style> (dark mode); without it the light email",
    "Attribute selector": "Outlook.com's dark-mode hook [data-ogsc] in the kept <style>; "
    "without it Outlook.com's own colours",
    "<body> element": "some programs drop <body>; the outer table repeats its background, "
    "so the email looks the same",
    "border-radius": "square corners on the card and buttons in Outlook for Windows",
    "white-space": "Outlook for Windows may break a share button's text at a space; it "
    "shows those buttons as plain links anyway",
    "display:none": "the hidden preview text (the tip's summary) may show above the "
    "email in Gmail's mobile web view",
}


@pytest.fixture(scope="module")
def email_html(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("clients")
    content = ContentTree(tmp / "content")
    write_week_three(content)
    write_pages(content)
    site = build_newsletter_site(tmp, content)
    site.send(get_backend(site.config, "outbox"))
    raw = (tmp / "outbox" / "nb" / "2021-W03-answer-all.eml").read_bytes()
    return email.message_from_bytes(raw, policy=policy.default).get_body(("html",)).get_content()


def caniemail(html: str, tmp_path, kind: str = "errors") -> dict[str, set[str]]:
    """Feature -> the programs caniemail says lack it: ``errors`` (not supported)
    or ``warnings`` (partly supported)."""
    require((NODE_MODULES / "@jsx-email" / "doiuse-email").is_dir(), "doiuse-email (npm ci)")
    page = tmp_path / "email.html"
    page.write_text(html, "utf-8")
    result = subprocess.run(
        ["node", CHECKER, str(page), *CLIENTS],
        env=dict(os.environ, NODE_PATH=str(NODE_MODULES)),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(result.stdout)
    found: dict[str, set[str]] = {}
    for line in report[kind]:
        feature, client = re.fullmatch(
            r"`(.+)` is (?:not|only partially) supported by `(.+)`", line
        ).groups()
        found.setdefault(feature, set()).add(client)
    return found


def test_the_checker_reports_what_a_mail_program_lacks(tmp_path):
    found = caniemail(
        '<html><body><div style="display:flex;position:fixed">x</div></body></html>', tmp_path
    )
    assert "outlook.windows" in found["display:flex"] | found.get("position", set())


def test_every_feature_caniemail_reports_is_on_the_allowlist(email_html, tmp_path):
    for feature, clients in sorted(caniemail(email_html, tmp_path, "warnings").items()):
        print(f"partly supported: {feature}: {', '.join(sorted(clients))}")
    found = caniemail(email_html, tmp_path)
    for feature, clients in sorted(found.items()):
        print(f"not supported: {feature}: {', '.join(sorted(clients))}")
    assert set(found) - set(ALLOWED) == set()
    # The list stays short: an entry nothing needs any more goes.
    assert set(ALLOWED) - set(found) == set()
