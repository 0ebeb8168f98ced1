"""Every page of the sample site passes the W3C Nu HTML Checker with no error."""

from __future__ import annotations

import json
import shutil
import subprocess

from tests.site_quality.conftest import NODE_MODULES, require

VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A page with errors the checker must find: proof that it really checked.
BROKEN_PAGE = """<!doctype html>
<html lang="en"><head><title>Broken</title></head>
<body><h1>One</h1><h3>Skips a level</h3><p><div>block in a paragraph</div></p>
<img src="x.png"></body></html>
"""


def test_every_page_passes_the_nu_html_checker(sample_site, tmp_path):
    require(VNU_JAR.is_file(), "vnu-jar (npm ci)")
    require(shutil.which("java") is not None, "Java")
    pages = sample_site.pages()
    control = tmp_path / "broken.html"
    control.write_text(BROKEN_PAGE, "utf-8")
    # One JVM run for all the pages (and the control).
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always"]
        + [str(p) for p in pages]
        + [str(control)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    control_errors = [m for m in errors if m.get("url", "").endswith("/broken.html")]
    site_errors = [
        f"{m['url'].split('/output/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in errors
        if m not in control_errors
    ]
    assert len(pages) > 100
    assert len(control_errors) >= 3, "the checker did not flag a page with known errors"
    assert site_errors == [], "\n".join(site_errors)
    print(f"Nu HTML Checker: {len(pages)} pages, {len(site_errors)} errors")
