"""A built site served on this machine, and Debian's Chromium to look at it.

Shared by the browser tests and `make screenshots`: both serve output/ on
127.0.0.1 with an ephemeral port (so they never clash with `make serve`) and
build the site with that address as SITEURL, so every absolute link stays on
the local server.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from scripts.serve import SiteHandler

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# No network beyond the page under test: no QUIC, sync, component or
# background updates, first-run pages or GPU.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_available() -> bool:
    return os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM) is not None


def launch_chromium(playwright):
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextmanager
def serving(directory: str, languages: tuple[str, ...]) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (ephemeral port); yield the base URL.

    The folder may be (re)built while it is served: the build needs the URL first.
    """
    handler_class = type("LocalSiteHandler", (SiteHandler,), {"languages": tuple(languages)})
    handler = functools.partial(handler_class, directory=directory)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
