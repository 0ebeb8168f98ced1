"""`make serve`: the site is served, and a saved change shows up on the page."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import PELICANCONF, REPO

LIVE_RELOAD = re.compile(r"<script>/\* make serve: live reload .*?</script>")


def read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)


def wait_for(lines: queue.Queue, pattern: str, seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if re.search(pattern, line):
            return line
    raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(seen)}")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@contextlib.contextmanager
def serving(content, tmp_path) -> Iterator[tuple[Path, str, queue.Queue]]:
    """`make serve` of one nb tip: the tip's file, the address, the output's lines."""
    path = content.tip(
        title="Smil", date="2021-01-08 09:00", lang="nb", slug="smil", body="Første versjon."
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "scripts.serve", "--settings", PELICANCONF, "--port", "0",
         "--content", str(content.root), "--output", str(tmp_path / "output"),
         "--cache", str(tmp_path / "cache")],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=read_lines, args=(server.stdout, lines), daemon=True).start()
    try:
        address = re.search(r"on (http://\S+)/ ", wait_for(lines, r"^Serving ")).group(1)
        yield path, address, lines
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)


def test_serve_rebuilds_a_saved_tip_and_keeps_serving_through_mistakes(content, tmp_path):
    with serving(content, tmp_path) as (path, address, lines):
        status, page = fetch(f"{address}/2021/w01/smil/")
        assert status == 200 and "Første versjon." in page
        # The live-reload script is in what is served, never in what was written.
        assert 'fetch("/_livereload"' in page
        written = (tmp_path / "output" / "2021" / "w01" / "smil" / "index.html").read_text()
        assert "_livereload" not in written
        assert page.replace(LIVE_RELOAD.search(page).group(0), "") == written
        generation = fetch(f"{address}/_livereload")[1]

        path.write_text(path.read_text("utf-8").replace("Første versjon.", "Andre versjon."))
        wait_for(lines, r"^Wrote \d+ pages")
        assert "Andre versjon." in fetch(f"{address}/2021/w01/smil/")[1]
        assert int(fetch(f"{address}/_livereload")[1]) > int(generation)

        path.write_text(path.read_text("utf-8").replace('title: "Smil"', "title: Smil: nå"))
        wait_for(lines, r"smil\.nb\.md:2: error: the front matter is not valid YAML")
        status, page = fetch(f"{address}/2021/w01/smil/")
        assert status == 200 and "Andre versjon." in page  # the last good site stays up

        status, page = fetch(f"{address}/en/nowhere/")
        assert status == 404 and 'lang="en"' in page

        # make site into the folder being served is refused, and leaves it as it was.
        site = subprocess.run(
            [sys.executable, "-m", "scripts.build", "--settings", str(REPO / "publishconf.py"),
             "--no-outbox", "--staged", "--content", str(content.root),
             "--output", str(tmp_path / "output"), "--cache", str(tmp_path / "cache")],
            cwd=REPO, capture_output=True, text=True,
            env={
                **os.environ,
                "SITEURL": "https://tips.example.org",
                "NEWSLETTER_SIGNUP_URL": "https://example.us1.list-manage.com/subscribe/post?u=1&id=2",
            },
        )  # fmt: skip
        assert site.returncode == 1
        assert re.fullmatch(
            r"error: make serve \(process \d+\) is showing .*output right now, and the "
            r"production build would replace it with pages whose links point at the "
            r"production host: stop make serve \(Ctrl-C\), then run this again\n",
            site.stderr,
        )
        assert "Andre versjon." in fetch(f"{address}/2021/w01/smil/")[1]
    assert not (tmp_path / "cache" / "serve.json").exists()  # make site may run again
