"""Share-with-a-friend links: a prepared email and plain web share links.

Plain links only (no share buttons, scripts or trackers of the networks):
the page and the email stay free of third-party requests. The site and the
newsletter build their share blocks from these same functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote, urlencode


@dataclass(frozen=True)
class ShareLinks:
    url: str
    mailto: str
    web: tuple[tuple[str, str], ...]  # (network name, link)


def _q(text: str) -> str:
    return quote(text, safe="")


def mailto_link(subject: str, body: str) -> str:
    """A ``mailto:`` with no recipient, as RFC 6068 wants it: every special
    character percent-encoded, line breaks as %0D%0A."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:?subject={_q(subject)}&body={_q(body)}"


def web_share_links(url: str, title: str) -> tuple[tuple[str, str], ...]:
    text = f"{title} {url}"
    return (
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("X", "https://x.com/intent/post?" + urlencode({"text": title, "url": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": text})),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": text})),
    )


def share_links(url: str, title: str, summary: str, gettext: Callable[[str], str]) -> ShareLinks:
    """Share links for a tip at ``url``, worded in the language of ``gettext``."""
    subject = gettext("A tip for you: %(title)s") % {"title": title}
    body = gettext("I thought you might like this tip:") + f"\n\n{title}\n{summary}\n\n{url}\n"
    return ShareLinks(url=url, mailto=mailto_link(subject, body), web=web_share_links(url, title))


class LazyShareLinks:
    """``share_links`` computed on first use: a build decorates thousands of
    tips, and a rebuild renders only the few that changed."""

    def __init__(self, url: str, title: str, summary: str, gettext: Callable[[str], str]):
        self.args = (url, title, summary, gettext)

    # Equal when made of the same values and the same catalog's gettext (a
    # tip's model compares equal across builds that share their catalogs).
    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyShareLinks) and self.args == other.args

    def __hash__(self) -> int:
        return hash(self.args)

    def __repr__(self) -> str:  # in a tip's repr (content_state.py): its gettext is the catalog's
        return f"LazyShareLinks{self.args[:3]!r}"

    @cached_property
    def _links(self) -> ShareLinks:
        return share_links(*self.args)

    @property
    def url(self) -> str:
        return self.args[0]

    @property
    def mailto(self) -> str:
        return self._links.mailto

    @property
    def web(self) -> tuple[tuple[str, str], ...]:
        return self._links.web
