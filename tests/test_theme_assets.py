"""The theme's own files: fonts copied from the pinned npm package, with their licence."""

from __future__ import annotations

import re

from tests.conftest import REPO
from tests.site_quality.conftest import NODE_MODULES, require

FONTS = REPO / "theme" / "static" / "fonts"
PACKAGE = NODE_MODULES / "@fontsource" / "fraunces"


def test_the_headline_face_is_the_pinned_packages_with_its_licence():
    """Self-hosted (never a font host): the WOFF2 files are the package's own bytes."""
    require(PACKAGE.is_dir(), "@fontsource/fraunces (npm ci)")
    fonts = sorted(FONTS.glob("*.woff2"))
    assert [f.name for f in fonts] == [
        "fraunces-latin-700-normal.woff2",
        "fraunces-latin-ext-700-normal.woff2",
    ]
    for font in fonts:
        assert font.read_bytes() == (PACKAGE / "files" / font.name).read_bytes(), font.name
    assert (FONTS / "Fraunces-OFL.txt").read_text("utf-8") == (PACKAGE / "LICENSE").read_text(
        "utf-8"
    )
    css = (REPO / "theme" / "static" / "css" / "main.css").read_text("utf-8")
    urls = re.findall(r"url\(\"?([^\")]+)", css)
    assert urls and all(url.startswith("../fonts/") for url in urls)  # the site's own files
    assert "@import" not in css
