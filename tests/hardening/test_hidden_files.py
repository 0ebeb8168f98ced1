"""Hidden files in output/ (what an interrupted build was writing) are never served."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from scripts.local_site import serving


@pytest.mark.parametrize(
    "path",
    [
        "/2021/w01/smile/.index.html.4242.k3j2h1.tmp",
        "/2021/w01/smile/%2Eindex.html.4242.k3j2h1.tmp",
        "/.sitemap.xml.4242.k3j2h1.tmp",
        "/.git/config",
    ],
)
def test_make_serve_answers_404_for_hidden_files(tmp_path, path):
    page = tmp_path / "2021" / "w01" / "smile"
    page.mkdir(parents=True)
    (page / "index.html").write_text("<!doctype html><title>Smile</title>")
    (page / ".index.html.4242.k3j2h1.tmp").write_text("<!doctype html><title>Sm")
    (tmp_path / ".sitemap.xml.4242.k3j2h1.tmp").write_text("<?xml")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]")
    with serving(str(tmp_path), ("nb", "en")) as base:
        with urllib.request.urlopen(f"{base}/2021/w01/smile/", timeout=10) as response:
            assert response.status == 200
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(base + path, timeout=10)
        assert error.value.code == 404
