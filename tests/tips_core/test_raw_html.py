"""Emails carry text, not code: raw HTML in a tip, as make check and the email see it."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican.plugins.tip_newsletter.backends import get_backend
from scripts import build as build_command
from tests.conftest import PELICANCONF
from tests.test_check_command import BODY_LINE, NB, SMIL, run_check
from tests.test_check_command import problems as all_problems
from tests.tip_newsletter.conftest import NOW, build_newsletter_site
from tips_core import content_store, file_rules
from tips_core.raw_html import sanitize_email_html


def problems(lines: list[str]) -> list[str]:
    """The problems besides the missing translations of a one-language site."""
    return [line for line in all_problems(lines) if "not translated" not in line]


# Each body line, and what make check says of it (None: nothing).
CASES = [
    ("<script>alert('x')</script>", "error", "raw HTML <script> runs script"),
    ('<iframe src="https://video.example/embed/1"></iframe>', "error", "raw HTML <iframe>"),
    ('<img src="smile.png" onerror="alert(1)">', "error", "the onerror attribute of <img>"),
    ('<a href="javascript:alert(1)">Klikk</a>', "error", "the href of <a> is a script URL"),
    ("[Klikk](javascript:alert(1))", "error", "this link is a script URL"),
    ("[Klikk](JaVaScRiPt:alert(1))", "error", "this link is a script URL"),
    ('<video src="smile.mp4"></video>', "warning", "raw HTML <video> is left out of the email"),
    ('<span style="color:red">Rødt</span>', "warning", "the style of raw HTML <span>"),
    ("`<script>` is what a developer writes", None, None),
    ("<em>Viktig</em> og <strong>sterkt</strong>", None, None),
]


@pytest.mark.parametrize(("line", "severity", "message"), CASES, ids=[c[0] for c in CASES])
def test_make_check_names_the_line_of_raw_html(content, capsys, line, severity, message):
    body = f"Første avsnitt.\n\n{line}\n"
    content.tip(**NB, body=body)
    code, lines, _err = run_check(capsys)
    found = problems(lines)
    if severity is None:
        assert found == []
        assert code == 0
        return
    (problem,) = found
    assert problem.startswith(f"{SMIL}:{BODY_LINE + 2}: {severity}: {message}"), problem
    assert code == (1 if severity == "error" else 0)


def test_a_fenced_code_block_is_text(content, capsys):
    content.tip(**NB, body="Slik ser det ut:\n\n```html\n<script>alert(1)</script>\n```\n")
    code, lines, _err = run_check(capsys)
    assert (code, problems(lines)) == (0, [])


def test_a_page_may_not_run_script_either(content, capsys):
    content.tip(**NB)
    content.page(title="Om", lang="nb", slug="about", body='<div onclick="go()">Om oss</div>')
    code, lines, _err = run_check(capsys)
    assert code == 1
    assert problems(lines) == [
        "content/pages/about.nb.md:7: error: the onclick attribute of <div> runs script in "
        "readers' browsers: remove it"
    ]


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ("<p>Hei <script>alert(1)</script>du</p>", "<p>Hei du</p>"),
        ('<p><a href="javascript:alert(1)">x</a></p>', "<p><a>x</a></p>"),
        (
            '<img src="https://t.example/a.png" onerror="alert(1)">',
            '<img src="https://t.example/a.png">',
        ),
        ('<iframe src="https://x.example"></iframe><p>ok</p>', "<p>ok</p>"),
        ('<p style="color:red" class="x">Rødt</p>', "<p>Rødt</p>"),
        ('<form action="https://x.example"><input name="q"></form>', ""),
        (
            '<p><a href="https://tips.example/2021/w03/x/" title="Les">Les</a> <em>nå</em></p>',
            '<p><a href="https://tips.example/2021/w03/x/" title="Les">Les</a> <em>nå</em></p>',
        ),
    ],
)
def test_the_email_sanitizer(html, kept):
    assert sanitize_email_html(html) == kept


def test_the_email_drops_what_the_site_keeps(tmp_path, content):
    content.tip(
        title="Video",
        date="2021-01-19 09:00",
        lang="nb",
        slug="video",
        body='Se her:\n\n<video src="smil.mp4"></video>\n\n<p style="color:red">Smil.</p>\n',
    )
    site = build_newsletter_site(tmp_path, content, now=NOW)
    page = BeautifulSoup((site.output / "2021/w03/video/index.html").read_text(), "html.parser")
    assert page.find("video") is not None  # authors are trusted on the site
    site.send(get_backend(site.config, "outbox"))
    raw = (tmp_path / "outbox/nb/2021-W03-video.eml").read_bytes()
    msg = email.message_from_bytes(raw, policy=policy.default)
    html = msg.get_body(("html",)).get_content()
    assert "<video" not in html and "smil.mp4" not in html
    assert "color:red" not in html
    assert "Smil." in html
    web = (site.output / "2021/w03/video/email.html").read_text()
    assert "<video" not in web


def test_a_files_own_problems_are_kept_with_its_parse_and_said_again(
    content, capsys, tmp_path, monkeypatch
):
    """The raw HTML rule's answer is kept in the content store with the file's
    parse: after a build, `make check` (a new process) says the same warning
    without searching the unchanged files again; an edited file is searched anew."""
    content.tip(**NB, body='Første avsnitt.\n\n<video src="smile.mp4"></video>\n')
    content.tip(**{**NB, "lang": "sv", "slug": "smil"}, body="Le.\n")
    cache = ["--cache", str(tmp_path / "cache")]
    output = ["--output", str(tmp_path / "output")]
    assert (
        build_command.main(["--settings", PELICANCONF, "--content", "content", *output, *cache])
        == 0
    )
    capsys.readouterr()

    searched = []
    real = file_rules.raw_html_problems
    monkeypatch.setattr(
        file_rules,
        "raw_html_problems",
        lambda source, emailed: searched.append(source.path) or real(source, emailed),
    )
    monkeypatch.setattr(content_store, "_last", None)  # as a new process: read from disk
    warned = problems(run_check(capsys, *cache)[1])
    assert len(warned) == 1 and "raw HTML <video> is left out of the email" in warned[0]
    assert searched == []

    content.tip(**NB, body="Første avsnitt.\n\nUten video.\n")
    assert problems(run_check(capsys, *cache)[1]) == []
    assert [Path(path).name for path in searched] == ["2021-w01-smil.nb.md"]


def test_the_quick_look_for_script_urls_finds_what_a_full_search_finds():
    """Texts without "<" are searched for script URLs only when a colon follows
    "script" or "data": that test must find every text the full,
    case-insensitive search finds (letters Python folds to s or i included)."""
    import random
    import re

    from tips_core.raw_html import _names_script_scheme

    full = re.compile(r"script\s*:|data\s*:", re.I)
    pieces = ["script", "SCRIPT", "ſcrıpt", "scrİpt", "data", "DaTa", "dat", "cript", ":", " ",
              "\t", "\n", "\u00a0", "\u2003", "x", "java", "[a](", ")", "ÿ", "K"]  # fmt: skip
    rng = random.Random(5)
    texts = ["", ":", "script", " :", "data :", "data\u00a0\u2003:x", "scriptx:", "ſcript:"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    for text in texts:
        assert _names_script_scheme(text) == bool(full.search(text)), repr(text)
