"""The email's look: its stylesheet (``theme/templates/email/email.css``) inlined.

Gmail and Outlook drop or ignore most of a ``<style>`` block, so every element
must carry its own ``style`` attribute. css-inline, a maintained CSS inliner,
copies each rule of the email's first ``<style>`` block onto the elements it
matches (the author's Markdown as well as our own markup) and removes the
block. A block marked ``data-css-inline="keep"`` stays for the programs that
read it: the phone layout and dark mode (``@media``), Outlook.com's hooks.
"""

from __future__ import annotations

import re

import css_inline

# Nothing is ever fetched: an email's styles are all in the email.
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)

_ATTR_RE = re.compile(r"""\s(href|src)=(["'])(/[^/"'][^"']*|/)\2""")


def absolute_links(html: str, siteurl: str) -> str:
    """Make the site's own links absolute: an email is read far from the site, so
    ``href="/about/"`` must become ``href="https://site/about/"``."""
    return _ATTR_RE.sub(
        lambda m: f" {m.group(1)}={m.group(2)}{siteurl}{m.group(3)}{m.group(2)}", html
    )


def inline_css(html: str) -> str:
    """The email with its stylesheet's rules in the style attributes of its elements."""
    return _INLINER.inline(html)


# Where the template leaves room for the tip's body (see EmailRenderer._html).
BODY_MARK = "<!--tip body-->"


def inline_body(html: str, css: str) -> str:
    """The tip's body in its ``.body`` block, with the stylesheet's rules inlined."""
    return _INLINER.inline_fragment(f'<div class="body">{html}</div>', css)
