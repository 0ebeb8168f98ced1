"""`make serve`: build, serve output/ on http://127.0.0.1:8000, rebuild on change.

A failed rebuild prints its problems and keeps serving the last good site, so
an author can fix the file and save again. It never sends email: due emails
go to the outbox, as with `make build`.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from watchfiles import watch

from pelican.plugins.weekly_tips.pipeline import build
from scripts.cli import add_settings_arguments, run, settings_from, setup_logging
from scripts.newsletter_steps import write_outbox


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    return parser.parse_args(argv)


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves output/, with each language's own 404 page."""

    languages: tuple[str, ...] = ()

    def send_error(self, code, message=None, explain=None):
        if code != HTTPStatus.NOT_FOUND:
            return super().send_error(code, message, explain)
        first = self.path.lstrip("/").split("/", 1)[0]
        prefix = f"{first}/" if first in self.languages else ""
        page = os.path.join(self.directory, prefix + "404.html")
        if not os.path.exists(page):
            return super().send_error(code, message, explain)
        with open(page, "rb") as handle:
            body = handle.read()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # quiet: the build's output matters more
        pass


def build_once(args: argparse.Namespace) -> bool:
    def action() -> int:
        settings = settings_from(args)
        summary = build(settings)
        for line in summary.lines() + write_outbox(settings, summary):
            print(line, flush=True)
        return 0

    return run(action) == 0


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    setup_logging()
    settings = settings_from(args)
    build_once(args)
    output = settings["OUTPUT_PATH"]
    os.makedirs(output, exist_ok=True)
    handler = functools.partial(SiteHandler, directory=output)
    SiteHandler.languages = tuple(settings.get("TIPS_LANGUAGES", ()))
    server = ThreadingHTTPServer((args.bind, args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {output} on http://{args.bind}:{args.port}/ (Ctrl-C to stop)", flush=True)
    watched = [settings["PATH"], settings["THEME"], args.settings]
    try:
        for changes in watch(*[p for p in watched if os.path.exists(p)]):
            if all(path.endswith((".mo", ".tmp")) for _change, path in changes):
                continue  # our own compiled catalogs and temporary files
            print(f"Changed: {', '.join(sorted({p for _c, p in changes}))}", flush=True)
            build_once(args)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
