"""The subscribe form of each language: where it posts and what it records.

The form posts straight to the audience's hosted signup form
(``NEWSLETTER_SIGNUP_URL``), so it works without JavaScript and without a
server of our own. Mailchimp's hosted form has no field for Mailchimp's own
language setting, so the language travels in a hidden merge field: the one
that language's segment selects on (``merge:LANGUAGE`` by default). The form
thereby records exactly what the campaign of that language is sent to.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from .settings import NewsletterSettings


@dataclass(frozen=True)
class SignupForm:
    action: str  # '' = NEWSLETTER_SIGNUP_URL not set (development only)
    lang: str
    hidden: tuple[tuple[str, str], ...]  # (merge tag, value) recorded with the address
    honeypot: str  # Mailchimp's bot trap field ('' when the URL has no u/id)


def honeypot_field(url: str) -> str:
    """Mailchimp's hosted forms expect an empty ``b_<u>_<id>`` field; bots fill it in."""
    query = parse_qs(urlsplit(url).query)
    user, audience = query.get("u", [""])[0], query.get("id", [""])[0]
    return f"b_{user}_{audience}" if user and audience else ""


class SignupForms:
    """``newsletter_signup(lang)`` in templates: the form of a language, or None."""

    def __init__(self, config: NewsletterSettings):
        self.config = config

    def for_lang(self, lang: str) -> SignupForm | None:
        """None when the site offers no signup; an ``action`` of '' when the address
        of the form is not set yet (development only: production builds refuse it)."""
        url = self.config.signup_url
        if not self.config.tips.signup or lang not in self.config.segments:
            return None
        segment = self.config.segment(lang)
        hidden = ((segment.field, segment.value),) if segment.kind == "merge" else ()
        return SignupForm(action=url, lang=lang, hidden=hidden, honeypot=honeypot_field(url))
