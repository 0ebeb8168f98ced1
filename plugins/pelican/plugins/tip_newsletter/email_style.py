"""The email's look, as inline styles: the one place its CSS lives.

Gmail and Outlook drop or ignore most of a ``<style>`` block, so every element
carries its own ``style`` attribute. The templates use :data:`STYLES` for
their own markup; :func:`inline_styles` gives the tip's HTML (from Markdown)
the same styles, tag by tag. Our own small map is enough because we write all
the CSS ourselves: a general CSS inliner would parse selectors we never use.

Colours are chosen to read well in light mode and after the automatic colour
inversion of dark-mode clients; the ``<style>`` block in the template adds
proper dark colours where a client honours ``prefers-color-scheme``.
"""

from __future__ import annotations

import re

FONT = "font-family:-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;"
TEXT = "#1f2328"
MUTED = "#555d66"
ACCENT = "#0b5cad"
PAGE_BG = "#f1eee8"
CARD_BG = "#ffffff"

STYLES = {
    "body": f"margin:0;padding:0;background-color:{PAGE_BG};",
    "page": f"background-color:{PAGE_BG};",
    "card": f"background-color:{CARD_BG};border-radius:8px;padding:32px 28px;",
    "site": f"{FONT}font-size:15px;font-weight:bold;color:{TEXT};text-decoration:none;",
    "label": f"{FONT}margin:0 0 8px;font-size:14px;line-height:1.4;color:{MUTED};",
    "h1": f"{FONT}margin:0 0 8px;font-size:26px;line-height:1.25;color:{TEXT};",
    "meta": f"{FONT}margin:0 0 24px;font-size:14px;line-height:1.4;color:{MUTED};",
    "h2": f"{FONT}margin:24px 0 8px;font-size:19px;line-height:1.3;color:{TEXT};",
    "h3": f"{FONT}margin:20px 0 8px;font-size:17px;line-height:1.3;color:{TEXT};",
    "p": f"{FONT}margin:0 0 16px;font-size:17px;line-height:1.6;color:{TEXT};",
    "ul": f"{FONT}margin:0 0 16px;padding:0 0 0 24px;font-size:17px;line-height:1.6;color:{TEXT};",
    "ol": f"{FONT}margin:0 0 16px;padding:0 0 0 24px;font-size:17px;line-height:1.6;color:{TEXT};",
    "li": "margin:0 0 6px;",
    "a": f"color:{ACCENT};text-decoration:underline;",
    "blockquote": f"margin:0 0 16px;padding:0 0 0 16px;border-left:4px solid {PAGE_BG};",
    "img": "max-width:100%;height:auto;border:0;",
    "code": "font-family:Menlo,Consolas,monospace;font-size:15px;",
    "pre": "white-space:pre-wrap;font-family:Menlo,Consolas,monospace;font-size:15px;",
    "hr": f"border:0;border-top:1px solid {PAGE_BG};margin:24px 0;",
    "table": "border-collapse:collapse;margin:0 0 16px;",
    "td": f"{FONT}border:1px solid #d8d3ca;padding:6px 8px;font-size:15px;color:{TEXT};",
    "th": f"{FONT}border:1px solid #d8d3ca;padding:6px 8px;font-size:15px;color:{TEXT};",
    "button_cell": f"border-radius:6px;background-color:{ACCENT};",
    "button": (
        f"{FONT}display:inline-block;padding:12px 20px;font-size:16px;font-weight:bold;"
        "color:#ffffff;text-decoration:none;border-radius:6px;"
    ),
    "share_h": f"{FONT}margin:0 0 8px;font-size:17px;line-height:1.3;color:{TEXT};",
    "share_p": f"{FONT}margin:0 0 8px;font-size:15px;line-height:1.6;color:{TEXT};",
    "footer": f"{FONT}margin:0 0 8px;font-size:13px;line-height:1.5;color:{MUTED};",
    "footer_a": f"color:{MUTED};text-decoration:underline;",
    "preheader": (
        "display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;"
        "opacity:0;overflow:hidden;mso-hide:all;"
    ),
}

# Markdown's output: open tags with or without attributes.
_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*?)?(/?)>")
_ATTR_RE = re.compile(r"""\s(href|src)=(["'])(/[^/"'][^"']*|/)\2""")
_STYLE_ATTR_RE = re.compile(r"""\sstyle=(["'])(.*?)\1""", re.S)


def absolute_links(html: str, siteurl: str) -> str:
    """Make the site's own links absolute: an email is read far from the site, so
    ``href="/about/"`` must become ``href="https://site/about/"``."""
    return _ATTR_RE.sub(
        lambda m: f" {m.group(1)}={m.group(2)}{siteurl}{m.group(3)}{m.group(2)}", html
    )


def inline_styles(html: str) -> str:
    """Give each tag of the tip's HTML its style from :data:`STYLES`."""

    def replace(match: re.Match) -> str:
        tag, attrs, closing = match.group(1), match.group(2) or "", match.group(3)
        lower = tag.lower()
        style = STYLES.get("h3" if lower in ("h4", "h5", "h6") else lower)
        if style:
            existing = _STYLE_ATTR_RE.search(attrs)
            if existing:
                attrs = _STYLE_ATTR_RE.sub(
                    lambda m: f" style={m.group(1)}{style}{m.group(2)}{m.group(1)}", attrs, count=1
                )
            else:
                attrs = f' style="{style}"{attrs}'
        return f"<{tag}{attrs}{closing}>"

    return _TAG_RE.sub(replace, html)
