"""One email per tip and language: subject, preheader, HTML part and text part.

Both parts come from the same :class:`EmailSource` and the same templates
(``theme/templates/email/tip.html`` and ``tip.txt``), with every string
through gettext in the tip's language. What differs between backends (how to
unsubscribe, Mailchimp's forward-to-a-friend link) is a :class:`Variant`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pelican.plugins.weekly_tips.i18n import Catalogs, TemplateI18n

from .email_source import EmailSource
from .email_style import STYLES, inline_styles
from .errors import ContentError
from .plain_text import html_to_text

# Gmail clips a message whose HTML is over 102 KB, hiding the rest (and the
# unsubscribe link) behind "View entire message". Stay well below.
MAX_HTML_BYTES = 80_000


@dataclass(frozen=True)
class Variant:
    """What one backend's emails link to for leaving, forwarding and viewing."""

    name: str
    unsubscribe_url: str = ""  # '' = the site's subscribe page, which says how to leave
    forward_url: str = ""  # Mailchimp's *|FORWARD|*; '' = no forward link
    view_online: bool = True  # link to the web version (not in the web version itself)
    preheader: bool = True  # hidden preview text (Mailchimp inserts its own)
    postal_address: str = ""


WEB = Variant("web", view_online=False)


@dataclass(frozen=True)
class RenderedEmail:
    source: EmailSource
    variant: str
    subject: str
    preheader: str
    html: str
    text: str
    unsubscribe_url: str

    @property
    def lang(self) -> str:
        return self.source.lang

    @property
    def key(self) -> str:
        return self.source.key


class EmailRenderer:
    """The email templates of a theme, with the site's gettext catalogs."""

    def __init__(self, theme: str, catalogs: Catalogs, sender: str):
        self.sender = sender
        self.env = Environment(
            loader=FileSystemLoader(os.path.join(theme, "templates")),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,  # a missing value is a bug, not an empty link
        )
        TemplateI18n(catalogs).install(self.env)
        self.catalogs = catalogs
        self.html_template = self.env.get_template("email/tip.html")
        self.text_template = self.env.get_template("email/tip.txt")

    def subject(self, source: EmailSource) -> str:
        gettext = self.catalogs.gettext(source.lang)
        return gettext("%(week_label)s: %(title)s") % {
            "week_label": source.week_label,
            "title": source.title,
        }

    def render(self, source: EmailSource, variant: Variant) -> RenderedEmail:
        subject = self.subject(source)
        unsubscribe_url = variant.unsubscribe_url or source.subscribe_url
        values = dict(
            lang=source.lang,
            tip=source,
            subject=subject,
            variant=variant,
            unsubscribe_url=unsubscribe_url,
            sender=self.sender,
            style=STYLES,
        )
        body_html = inline_styles(source.content_html)
        html = self.html_template.render(body_html=body_html, **values)
        text = self.text_template.render(body_text=html_to_text(source.content_html), **values)
        size = len(html.encode("utf-8"))
        if size > MAX_HTML_BYTES:
            raise ContentError(
                f"{source.source_path}:1: error: the email of this tip is {size // 1000} KB of "
                f"HTML; Gmail hides everything after 102 KB (the unsubscribe link too). "
                "Shorten the tip."
            )
        return RenderedEmail(
            source=source,
            variant=variant.name,
            subject=subject,
            preheader=source.summary,
            html=html,
            text=text,
            unsubscribe_url=unsubscribe_url,
        )
