"""The one fingerprint of what cached results are made from (tips_core/fingerprint.py)."""

from __future__ import annotations

import os

from tips_core.fingerprint import fingerprint


def test_a_fingerprint_follows_the_bytes_of_files_and_the_values(tmp_path):
    folder = tmp_path / "theme"
    (folder / "templates").mkdir(parents=True)
    page = folder / "templates" / "page.html"
    page.write_text("<p>one</p>", "utf-8")
    first = fingerprint({"SITEURL": "x"}, [str(folder)])
    os.utime(page, ns=(1, 1))  # touched, not changed
    (folder / "templates" / "messages.mo").write_bytes(b"made from the .po")
    assert fingerprint({"SITEURL": "x"}, [str(folder)]) == first
    assert fingerprint({"SITEURL": "y"}, [str(folder)]) != first
    page.write_text("<p>two</p>", "utf-8")
    assert fingerprint({"SITEURL": "x"}, [str(folder)]) != first
    assert fingerprint({"SITEURL": "x"}, [str(folder)], (".txt",)) == fingerprint({"SITEURL": "x"})
