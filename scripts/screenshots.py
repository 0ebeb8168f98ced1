"""`make screenshots`: the home page and a tip on a phone and a desktop, the
tip in dark mode, and the tip's email (its web version) as a phone shows it.

Builds the sample content (content/) into cache/screenshots/, serves it on
127.0.0.1 and photographs it with Debian's Chromium. The README shows the
pictures; rerun this after changing the theme and look at them before committing.
"""

from __future__ import annotations

import argparse
import os
import sys

from scripts.cli import run, settings_from
from scripts.local_site import CHROMIUM, chromium_available, launch_chromium, serving
from tips_app.pipeline import build

VIEWPORTS = {
    "mobile": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}
EMAIL_VIEWPORT = {"width": 375, "height": 812}
# The signup boxes show their form as in production; nothing is ever posted to it.
SIGNUP_URL = "https://example.us21.list-manage.com/subscribe/post?u=0&id=0"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file")
    parser.add_argument("--content", default="content", help="content folder")
    parser.add_argument("--output", default="docs/screenshots", help="where the PNGs go")
    parser.add_argument("--work", default="cache/screenshots", help="where the site is built")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if not chromium_available():
        message = f"error: Chromium not found at {CHROMIUM} (apt-get install chromium)"
        print(message, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    site_dir = os.path.abspath(os.path.join(args.work, "output"))
    os.makedirs(site_dir, exist_ok=True)
    os.makedirs(args.output, exist_ok=True)

    def action() -> int:
        with serving(site_dir, ("nb", "sv", "fi", "et", "en")) as base_url:
            build_args = argparse.Namespace(
                settings=args.settings,
                content=args.content,
                output=site_dir,
                cache=os.path.join(args.work, "cache"),
            )
            build(settings_from(build_args, SITEURL=base_url, NEWSLETTER_SIGNUP_URL=SIGNUP_URL))
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                try:
                    written = shoot(browser, base_url, args.output)
                finally:
                    browser.close()
        for path in written:
            print(path)
        return 0

    return run(action)


def shoot(browser, base_url: str, folder: str) -> list[str]:
    written = []

    def photograph(name: str, url: str, viewport: dict, full_page: bool, scheme="light") -> None:
        page = browser.new_page(viewport=viewport, color_scheme=scheme)
        page.goto(url, wait_until="networkidle")
        path = os.path.join(folder, f"{name}.png")
        page.screenshot(path=path, full_page=full_page)
        page.close()
        written.append(path)

    page = browser.new_page()
    page.goto(f"{base_url}/", wait_until="networkidle")
    tip_url = page.locator("#latest-title a").get_attribute("href")
    page.close()
    for name, viewport in VIEWPORTS.items():
        # The home page as it first appears; the whole tip, down to its share block.
        photograph(f"home-{name}", f"{base_url}/", viewport, full_page=False)
        photograph(f"tip-{name}", tip_url, viewport, full_page=True)
    photograph("tip-mobile-dark", tip_url, VIEWPORTS["mobile"], full_page=True, scheme="dark")
    photograph("email-mobile", tip_url + "email.html", EMAIL_VIEWPORT, full_page=True)
    return written


if __name__ == "__main__":
    sys.exit(main())
