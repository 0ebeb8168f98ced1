"""One email per tip and language: subject, preheader, HTML part and text part.

Both parts come from the same :class:`EmailSource` and the same templates
(``theme/templates/email/tip.html`` and ``tip.txt``), with every string
through gettext in the tip's language. What differs between backends (how to
unsubscribe, Mailchimp's forward-to-a-friend link) is a :class:`Variant`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import Markup

from tips_core.i18n import Catalogs
from tips_core.problems import Problem

from .email_source import EmailSource
from .email_style import BODY_MARK, inline_body, inline_css
from .errors import ContentError
from .merge_tags import inert_html, inert_source, inert_text
from .plain_text import html_to_text

# Gmail clips a message whose HTML is over 102 KB, hiding the rest (and the
# unsubscribe link) behind "View entire message". Stay well below.
MAX_HTML_BYTES = 80_000
# After the preheader: keeps mail programs from filling the preview with the body.
PREHEADER_SPACER = Markup("&#8199;&#847;" * 40)


@dataclass(frozen=True)
class Variant:
    """What one backend's emails link to for leaving, forwarding and viewing."""

    name: str
    unsubscribe_url: str = ""  # '' = the site's subscribe page, which says how to leave
    forward_url: str = ""  # Mailchimp's *|FORWARD|*; '' = no forward link
    view_online: bool = True  # link to the web version (not in the web version itself)
    preheader: bool = True  # hidden preview text (Mailchimp inserts its own)
    postal_address: str = ""
    # Hints only mail clients read (Apple Mail's reformatting, Outlook's
    # supported-color-schemes): a page on the site is plain, valid HTML.
    for_mail_clients: bool = True
    # Mailchimp expands *|TAGS|*: the author's text must not hold live ones (merge_tags.py).
    inert_merge_tags: bool = False


WEB = Variant("web", view_online=False, preheader=False, for_mail_clients=False)


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
    def email_id(self) -> str:
        return self.source.email_id


def _translator(translations) -> Callable[..., str]:
    """``_()`` for the email templates: gettext with ``%(name)s`` values, as Jinja's
    "newstyle" gettext does; the result is escaped like any other text."""

    def gettext(message: str, **values: object) -> str:
        text = translations.gettext(message)
        return text % values if values else text

    return gettext


class EmailRenderer:
    """The email templates of a theme, with the site's gettext catalogs.

    Built once per build or run and reused for every email: one Jinja
    environment, and ``_`` bound to the email's language when rendering.
    """

    def __init__(self, theme: str, catalogs: Catalogs, bytecode_cache: BytecodeCache | None = None):
        self.env = Environment(
            loader=FileSystemLoader(os.path.join(theme, "templates")),
            bytecode_cache=bytecode_cache,  # compiled templates in cache/ (template_cache.py)
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,  # a missing value is a bug, not an empty link
        )
        self.catalogs = catalogs
        self._gettext: dict[str, Callable[..., str]] = {}
        self.html_template = self.env.get_template("email/tip.html")
        self.css, _name, _uptodate = self.env.loader.get_source(self.env, "email/email.css")
        self.text_template = self.env.get_template("email/tip.txt")

    def gettext(self, lang: str) -> Callable[..., str]:
        if lang not in self._gettext:
            self._gettext[lang] = _translator(self.catalogs.translations(lang))
        return self._gettext[lang]

    def subject(self, source: EmailSource) -> str:
        return self.gettext(source.lang)("%(week_label)s: %(title)s") % {
            "week_label": source.week_label,
            "title": source.title,
        }

    def _values(self, source: EmailSource, variant: Variant) -> dict[str, object]:
        return {
            "_": self.gettext(source.lang),
            "lang": source.lang,
            "tip": source,
            "subject": self.subject(source),
            "variant": variant,
            "unsubscribe_url": variant.unsubscribe_url or source.subscribe_url,
            "spacer": PREHEADER_SPACER,
        }

    def render_html(self, source: EmailSource, variant: Variant) -> str:
        """The HTML part alone (the web version needs no more)."""
        if variant.inert_merge_tags:
            source = inert_source(source)
        return self._html(source, self._values(source, variant))

    def _html(self, source: EmailSource, values: dict[str, object]) -> str:
        # The tip's body is inlined on its own and put in afterwards: the inliner
        # writes the HTML anew, and would turn the body's inert merge tags
        # (merge_tags.py: *&#124;EMAIL&#124;*) back into live ones.
        page = self.html_template.render(body_html=Markup(BODY_MARK), **values)
        body = inline_body(source.content_html, self.css)
        if values["variant"].inert_merge_tags:
            body = inert_html(body)
        html = inline_css(page).replace(BODY_MARK, body, 1)
        size = len(html.encode("utf-8"))
        if size > MAX_HTML_BYTES:
            message = (
                f"the email of this tip is {size // 1000} KB of HTML; Gmail hides everything "
                "after 102 KB (the unsubscribe link too): shorten the tip"
            )
            raise ContentError([Problem(source.source_path, 1, message)])
        return html

    def render(self, source: EmailSource, variant: Variant) -> RenderedEmail:
        original = source
        if variant.inert_merge_tags:
            source = inert_source(source)
        values = self._values(source, variant)
        html = self._html(source, values)
        body_text = html_to_text(source.content_html)
        if variant.inert_merge_tags:  # the HTML's &#124; is a bar again in text
            body_text = inert_text(body_text)
        text = self.text_template.render(body_text=body_text, **values)
        return RenderedEmail(
            source=original,
            variant=variant.name,
            subject=str(values["subject"]),
            preheader=source.summary,
            html=html,
            text=text,
            unsubscribe_url=str(values["unsubscribe_url"]),
        )
