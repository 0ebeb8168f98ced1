"""`make serve`: build, serve output/ on http://127.0.0.1:8000, rebuild on change,
and reload the pages open in a browser after each good rebuild (live_reload.py).

A failed rebuild prints its problems and keeps serving the last good site, so
an author can fix the file and save again. It never sends email: due emails
go to the outbox, as with `make build`.
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import os
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from watchfiles import watch

from scripts.cli import add_settings_arguments, run, settings_from, setup_logging
from scripts.live_reload import ENDPOINT, LiveReload
from scripts.newsletter_steps import write_outbox
from tips_app.live_site import LiveSite
from tips_app.pipeline import finish_search
from tips_app.previews import PREVIEW_URL, preview_root
from tips_app.serving import serving
from tips_core.authoring_settings import AuthoringSettings


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    return parser.parse_args(argv)


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves output/, with each language's own 404 page, and `make preview`'s
    folder at /_preview/."""

    languages: tuple[str, ...] = ()
    preview_dir: str | None = None
    live_reload: LiveReload | None = None  # make serve's; None: pages as written

    def translate_path(self, path):
        prefix = PREVIEW_URL.rstrip("/")
        if self.preview_dir and (path == prefix or path.startswith(PREVIEW_URL)):
            site = self.directory
            self.directory = self.preview_dir  # one handler serves one request
            try:
                return super().translate_path(path[len(prefix) :] or "/")
            finally:
                self.directory = site
        return super().translate_path(path)

    def send_head(self):
        # Hidden files are never the site's: e.g. what an interrupted build was writing.
        path = unquote(urlsplit(self.path).path)
        if any(part.startswith(".") for part in path.split("/")):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        if self.live_reload is not None:
            if path == ENDPOINT:
                return self._send(HTTPStatus.OK, "text/plain", self.live_reload.generation.encode())
            page = self._html_file(path)
            if page is not None:
                with open(page, "rb") as handle:
                    return self._send(HTTPStatus.OK, "text/html", handle.read())
        return super().send_head()

    def _html_file(self, path: str) -> str | None:
        """The HTML file a request path is served from, if any."""
        target = self.translate_path(path)
        if os.path.isdir(target):
            if not path.endswith("/"):
                return None  # the base class redirects to the folder's address
            target = os.path.join(target, "index.html")
        return target if target.endswith(".html") and os.path.isfile(target) else None

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> io.BytesIO:
        """Headers for ``body``; the body for do_GET to copy (HEAD drops it)."""
        if kind == "text/html" and self.live_reload is not None:
            body = self.live_reload.inject(body)
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code, message=None, explain=None):
        if code != HTTPStatus.NOT_FOUND:
            return super().send_error(code, message, explain)
        first = self.path.lstrip("/").split("/", 1)[0]
        prefix = f"{first}/" if first in self.languages else ""
        page = os.path.join(self.directory, prefix + "404.html")
        if not os.path.exists(page):
            return super().send_error(code, message, explain)
        with open(page, "rb") as handle:
            body = self._send(HTTPStatus.NOT_FOUND, "text/html", handle.read())
        if self.command != "HEAD":
            self.wfile.write(body.getvalue())

    def log_message(self, format, *args):  # quiet: the build's output matters more
        pass


class Rebuilder:
    """Builds on every change. The pages are served as soon as they are written;
    the search index, when a tip changed, is finished in the background."""

    def __init__(self, args: argparse.Namespace, live_reload: LiveReload):
        self.args = args
        self.live_reload = live_reload
        self.site = LiveSite()  # an edit of text alone renders only what shows it
        self._search: threading.Thread | None = None

    def build(self) -> bool:
        self.wait_for_search()  # one pagefind at a time on the output folder
        started = time.perf_counter()

        def action() -> int:
            settings = settings_from(self.args)
            summary = self.site.rebuild(settings)
            # The pages are written: open pages reload themselves (before the
            # summary is printed, which is when a watcher may look).
            self.live_reload.rebuilt()
            lines, _code = write_outbox(settings, summary)  # a failure is in its lines
            for line in summary.lines() + lines:
                print(line, flush=True)
            if summary.search_job is not None:
                self._search = threading.Thread(
                    target=self._finish_search, args=(summary, started), daemon=True
                )
                self._search.start()
            return 0

        ok = run(action) == 0
        # The last build's pages and tips are garbage now (cycles: Jinja's and
        # Pelican's objects refer to each other). Freed while the author reads,
        # rather than piling up until Python's rare full collection.
        gc.collect()
        return ok

    @staticmethod
    def _finish_search(summary, started: float) -> None:
        def action() -> int:
            index = finish_search(summary)
            print(
                f"Search index updated: {index.pages} pages, "
                f"{time.perf_counter() - started:.1f} s after the change.",
                flush=True,
            )
            return 0

        run(action)

    def wait_for_search(self) -> None:
        if self._search is not None:
            self._search.join()
            self._search = None


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    setup_logging()
    settings = settings_from(args)
    live_reload = LiveReload()
    rebuilder = Rebuilder(args, live_reload)
    rebuilder.build()
    output = settings["OUTPUT_PATH"]
    os.makedirs(output, exist_ok=True)
    handler = functools.partial(SiteHandler, directory=output)
    SiteHandler.languages = tuple(settings.get("TIPS_LANGUAGES", ()))
    SiteHandler.live_reload = live_reload
    SiteHandler.preview_dir = preview_root(
        args.settings, AuthoringSettings.from_pelican(settings).preview_path
    )
    server = ThreadingHTTPServer((args.bind, args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://{args.bind}:{server.server_address[1]}"  # --port 0 picks a free one
    print(f"Serving {output} on {address}/ (Ctrl-C to stop)", flush=True)
    print(f"make preview SLUG=... shows here: {address}{PREVIEW_URL}", flush=True)
    watched = [settings["PATH"], settings["THEME"], args.settings]
    try:
        with serving(settings):  # make site refuses to replace what is shown here
            watch_and_rebuild(watched, rebuilder)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        rebuilder.wait_for_search()
    return 0


def watch_and_rebuild(watched: list[str], rebuilder: Rebuilder) -> None:
    for changes in watch(*[p for p in watched if os.path.exists(p)]):
        if all(path.endswith((".mo", ".tmp")) for _change, path in changes):
            continue  # our own compiled catalogs and temporary files
        print(f"Changed: {', '.join(sorted({p for _c, p in changes}))}", flush=True)
        rebuilder.build()


if __name__ == "__main__":
    sys.exit(main())
