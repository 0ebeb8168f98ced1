"""A failed production build never reaches readers, and sends nothing.

`make site` and `make publish` build into a staging folder and replace
output/ only with a complete site. Each test builds a good site first, then
makes the next `make publish` fail at one stage (reading, rendering, the
search index, the newsletter), and checks that output/ is byte for byte the
previous site, that no staging folder is left, and that Mailchimp (the local
fake, through the real client) heard nothing.
"""

from __future__ import annotations

import hashlib
import shutil
import stat
from pathlib import Path

import pytest

from scripts import build as build_command
from scripts import publish
from tests.conftest import REPO
from tests.tip_newsletter.conftest import production_fake
from tests.tip_newsletter.test_commands import AUDIENCE, FOLDERS, PUBLISHCONF, today_in_nb_and_en


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def fake(monkeypatch):
    with production_fake(monkeypatch, AUDIENCE) as server:
        yield server


@pytest.fixture
def theme(tmp_path) -> Path:
    copy = tmp_path / "theme"
    shutil.copytree(REPO / "theme", copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


@pytest.fixture
def conf(tmp_path, theme) -> str:
    path = tmp_path / "publishconf.py"
    path.write_text(f"exec(open({PUBLISHCONF!r}).read())\nTHEME = {str(theme)!r}\n")
    return str(path)


def last_week(content) -> None:
    content.page(title="Om", lang="nb", slug="about")
    content.tip(title="Forrige uke", date="2026-01-09 09:00", lang="nb", slug="last-week")


def site(capsys, conf) -> int:
    code = build_command.main(["--settings", conf, *FOLDERS, "--no-outbox", "--staged"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    return code


def break_reading(tmp_path, theme, monkeypatch):
    (tmp_path / "content/tips/2026").mkdir(parents=True, exist_ok=True)
    (tmp_path / "content/tips/2026/2026-w01-broken.nb.md").write_text("---\ntitle: x\n")


def break_rendering(tmp_path, theme, monkeypatch):
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text() + '{% include "no-such-partial.html" %}\n')


def break_search(tmp_path, theme, monkeypatch):
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'pagefind: out of disk space' >&2\nexit 1\n")
    failing.chmod(failing.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))


def break_newsletter(tmp_path, theme, monkeypatch):
    email = theme / "templates" / "email" / "tip.html"
    email.write_text(email.read_text().replace("{{ tip.title }}", "{{ tip.no_such_field }}", 1))


@pytest.mark.parametrize(
    "fault",
    [break_reading, break_rendering, break_search, break_newsletter],
    ids=lambda f: f.__name__,
)
def test_a_failed_publish_leaves_the_last_site_and_sends_nothing(
    content, tmp_path, capsys, fake, conf, theme, monkeypatch, fault
):
    last_week(content)
    assert site(capsys, conf) == 0
    before = snapshot(tmp_path / "output")
    assert "index.html" in before

    today_in_nb_and_en(content)  # something new to build and to send
    fault(tmp_path, theme, monkeypatch)
    try:
        code = publish.main(["--settings", conf, *FOLDERS])
    except Exception:  # a template bug may surface as an exception: still a failure
        code = -1
    capsys.readouterr()

    assert code != 0
    assert snapshot(tmp_path / "output") == before
    assert not (tmp_path / ".output.staging").exists()
    assert fake.state.log == [], "Mailchimp was called after a failed build"


def test_a_good_publish_replaces_the_site_whole(content, tmp_path, capsys, fake, conf):
    last_week(content)
    assert site(capsys, conf) == 0
    today_in_nb_and_en(content)
    assert publish.main(["--settings", conf, *FOLDERS]) == 0
    capsys.readouterr()
    output = tmp_path / "output"
    assert (output / "pagefind" / "pagefind.js").exists()
    assert any(output.rglob("smile/index.html")) and any(output.rglob("smile/email.html"))
    assert not (tmp_path / ".output.staging").exists()
    assert not (tmp_path / ".output.previous").exists()
