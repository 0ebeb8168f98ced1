"""A rendered email as a standard RFC 5322 message: multipart/alternative, text then HTML.

Python's ``email`` package does the encoding: a non-ASCII subject becomes an
RFC 2047 encoded word, bodies are quoted-printable UTF-8 with short lines.
"""

from __future__ import annotations

import datetime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from urllib.parse import quote, urlsplit

from .rendering import RenderedEmail

# The email's identity (series/ISO week/lang), so a file found without its record
# still says which week's email it is.
EMAIL_ID_HEADER = "X-Newsletter-Email"


def sender_address(name: str, address: str) -> Address:
    username, _, domain = address.partition("@")
    return Address(display_name=name, username=username, domain=domain)


def site_domain(url: str) -> str:
    return urlsplit(url).hostname or "localhost"


def list_unsubscribe(email: RenderedEmail, reply_to: str) -> str:
    """RFC 2369: where a mail program's "unsubscribe" button goes.

    A reply to the sender asking to be removed, and the web page that says how
    to leave. (One-click RFC 8058 needs a server to receive the click; the
    outbox has none, so it does not claim one.)
    """
    targets = []
    if reply_to:
        subject = quote(f"unsubscribe {email.lang}")
        targets.append(f"<mailto:{reply_to}?subject={subject}>")
    targets.append(f"<{email.unsubscribe_url}>")
    return ", ".join(targets)


def set_text_header(message: EmailMessage, name: str, value: str) -> None:
    """Set a free-text header, encoding non-ASCII text as RFC 2047 words ourselves.

    Python 3.11's header folder drops the space between two encoded words
    ("spørsmål – også" arrives as "spørsmål– også"); ``Header`` keeps the
    text whole inside the encoded words, folded to short lines.
    """
    if value.isascii():
        message[name] = value
    else:
        message.set_raw(name, Header(value, "utf-8", header_name=name).encode(linesep="\r\n"))


def build_message(
    email: RenderedEmail,
    *,
    from_name: str,
    reply_to: str,
    date: datetime.datetime | None = None,
) -> EmailMessage:
    source = email.source
    domain = site_domain(source.url)
    message = EmailMessage(policy=SMTP)
    set_text_header(message, "Subject", email.subject)
    if reply_to:
        message["From"] = sender_address(from_name, reply_to)
        message["Reply-To"] = sender_address(from_name, reply_to)
    else:
        message["From"] = Address(display_name=from_name, username="newsletter", domain=domain)
    message["To"] = "undisclosed-recipients:;"
    message["Date"] = format_datetime(date or datetime.datetime.now().astimezone())
    # The same Message-ID on every run: one tip in one language is one message.
    message["Message-ID"] = f"<{source.file_stem}.{source.lang}@{domain}>"
    set_text_header(message, "List-Id", f"{source.sitename} <tips-{source.lang}.{domain}>")
    message["List-Unsubscribe"] = list_unsubscribe(email, reply_to)
    message["X-Newsletter-Tip"] = source.key
    message[EMAIL_ID_HEADER] = source.email_id  # the outbox reads it back
    message.set_content(email.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = source.lang  # after the content: set_content clears Content-*
    return message


def test_message(email: RenderedEmail, to: str, *, from_name: str, reply_to: str) -> EmailMessage:
    """The message of a test send (`make test-send`): the same email, to one address."""
    message = build_message(email, from_name=from_name, reply_to=reply_to)
    message.replace_header("To", to)
    return message
