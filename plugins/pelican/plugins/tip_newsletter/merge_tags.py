"""Mailchimp merge tags in what authors write are text, never instructions.

Mailchimp replaces ``*|NAME|*`` anywhere in a campaign (subject, preview
text, HTML and plain text) before sending: a tip titled "Never write
*|EMAIL|* in a reply" would show each subscriber their own address, and
``*|UNSUB|*`` in a summary would become a live unsubscribe link. So in what we
send to Mailchimp, the author's text is changed just enough that Mailchimp no
longer sees a tag, while readers see the same characters:

- in HTML, the bar becomes the character reference ``&#124;`` (``*&#124;EMAIL&#124;*``
  shows as ``*|EMAIL|*``), and a percent-encoded bar in a link (``*%7C``) gets
  its star encoded too (``%2A%7C``, the same address);
- in plain text (subject, preview text, text part), an invisible zero-width
  joiner goes between the star and the bar.

Only the author's fields and the tip's body are changed: the tags our own
templates put in (``*|UNSUB|*``, ``*|FORWARD|*``, the postal address) stay live.
The outbox and the site show the text as written.
"""

from __future__ import annotations

import dataclasses
import re

from .email_source import EmailSource

ZWJ = "\u200d"
_HTML_BAR = "&#124;"
_OPEN_RE = re.compile(r"\*\|")
_CLOSE_RE = re.compile(r"\|\*")
_ENCODED_OPEN_RE = re.compile(r"\*(%7[cC])")
_ENCODED_CLOSE_RE = re.compile(r"(%7[cC])\*")
# The author's fields an email shows as text.
TEXT_FIELDS = ("title", "summary", "author")


def inert_text(text: str) -> str:
    """Plain text with no ``*|`` or ``|*`` left for Mailchimp to read as a tag."""
    if "|" not in text:
        return text
    return _CLOSE_RE.sub("|" + ZWJ + "*", _OPEN_RE.sub("*" + ZWJ + "|", text))


def inert_html(html: str) -> str:
    """HTML that shows the same, with no merge tag left in it (text or links)."""
    if "|" in html:
        html = _CLOSE_RE.sub(_HTML_BAR + "*", _OPEN_RE.sub("*" + _HTML_BAR, html))
    if "%7" in html:
        html = _ENCODED_CLOSE_RE.sub(r"\1%2A", _ENCODED_OPEN_RE.sub(r"%2A\1", html))
    return html


def inert_source(source: EmailSource) -> EmailSource:
    """The tip as Mailchimp may see it: the author's text and body made inert."""
    changes = {name: inert_text(getattr(source, name)) for name in TEXT_FIELDS}
    changes["content_html"] = inert_html(source.content_html)
    return dataclasses.replace(source, **changes)
