"""Newsletter fixtures: real builds of tips dated around a fixed "now", then sending."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican.plugins.tip_newsletter.backends import BaseBackend
from pelican.plugins.tip_newsletter.dispatch import DispatchReport, send_due
from pelican.plugins.tip_newsletter.settings import NewsletterSettings
from tests.conftest import ContentTree, settings_for
from tests.tip_newsletter.fake_mailchimp import FakeMailchimp
from tips_app.pipeline import build

OSLO = ZoneInfo("Europe/Oslo")
# Wednesday of ISO week 3 of 2021.
NOW = datetime.datetime(2021, 1, 20, 12, 0, tzinfo=OSLO)

# The tip of week 3 in every language: due at NOW.
TITLES = {
    "nb": "Svar på alle spørsmål – også de vanskelige",
    "sv": "Svara på alla frågor – även de svåra",
    "fi": "Vastaa kaikkiin kysymyksiin",
    "et": "Vasta kõigile küsimustele",
    "en": "Answer every question",
}
SUMMARIES = {
    "nb": "Et ærlig «det vet jeg ikke ennå» slår en gjetning.",
    "sv": "Ett ärligt ”det vet jag inte än” slår en gissning.",
    "fi": "Rehellinen ”en tiedä vielä” voittaa arvauksen.",
    "et": "Aus „ma ei tea veel” on parem kui oletus.",
    "en": "An honest “I don't know yet” beats a guess.",
}
BODY = (
    "When a customer asks something you cannot answer, **say so**, and say when you "
    "will know.\n\n"
    "- Write the question down\n- Promise a time\n- Call back before that time\n\n"
    "More on [our about page](/about/)."
)


def write_week_three(content: ContentTree) -> None:
    for lang, title in TITLES.items():
        content.tip(
            title=title,
            date="2021-01-18 09:00",
            lang=lang,
            slug="answer-all",
            summary=SUMMARIES[lang],
            body=BODY,
        )


def write_pages(content: ContentTree) -> None:
    for lang in TITLES:
        content.page(
            title=f"Subscribe {lang}", lang=lang, slug="subscribe", extra="template: subscribe\n"
        )
        content.page(title=f"About {lang}", lang=lang, slug="about")


@dataclass
class Built:
    settings: dict[str, Any]
    summary: Any
    tmp: Path

    @property
    def output(self) -> Path:
        return Path(self.settings["OUTPUT_PATH"])

    @property
    def config(self) -> NewsletterSettings:
        return NewsletterSettings.from_pelican(self.settings)

    def send(self, backend: BaseBackend) -> DispatchReport:
        """Send what the build made due, at the build's moment."""
        return send_due(self.settings, self.summary, backend)

    def exists(self, url: str) -> bool:
        """Whether an absolute site URL (query and fragment ignored) is a built file."""
        path = url.split("#")[0].split("?")[0].removeprefix(self.settings["SITEURL"]).lstrip("/")
        target = self.output / path
        return (
            (target / "index.html").is_file()
            if path == "" or path.endswith("/")
            else target.is_file()
        )


def build_newsletter_site(
    tmp: Path, content: ContentTree, now: datetime.datetime = NOW, **overrides
) -> Built:
    overrides.setdefault("NEWSLETTER_OUTBOX", str(tmp / "outbox"))
    settings = settings_for(tmp, content.root, **overrides)
    summary = build(settings, now=now)
    return Built(settings, summary, tmp)


# What each language's emails are called and come from (pelicanconf.TIPS_SITENAMES).
SITENAMES = {
    "nb": "Kundeservicetips",
    "sv": "Kundservicetips",
    "fi": "Asiakaspalveluvinkit",
    "et": "Klienditeeninduse nõuanded",
    "en": "Customer service tips",
}


PRODUCTION = "https://kundeservicetips.example"
# The form action of an audience's hosted signup form.
SIGNUP_URL = "https://example.us21.list-manage.com/subscribe/post?u=ab12cd34&id=f00dfeed42"


def production_environment(fake, audience: str) -> dict[str, str]:
    """The environment `make publish` gets in production, aimed at the local fake."""
    return {
        "SITEURL": PRODUCTION,
        "NEWSLETTER_SIGNUP_URL": SIGNUP_URL,
        "NEWSLETTER_BACKEND": "mailchimp",
        "NEWSLETTER_REPLY_TO": "tips@kundeservicetips.example",
        "NEWSLETTER_POSTAL_ADDRESS": "Storgata 1, 0155 Oslo",
        "MAILCHIMP_API_KEY": fake.state.api_key,
        "MAILCHIMP_AUDIENCE_ID": audience,
        "MAILCHIMP_API_URL": fake.url,
        "MAILCHIMP_BACKOFF": "0.01",
    }


@contextlib.contextmanager
def production_fake(monkeypatch, audience: str) -> Iterator[FakeMailchimp]:
    """A local fake Mailchimp with ``audience``, and the environment of `make publish`
    in production aimed at it."""
    with FakeMailchimp() as server:
        server.add_audience(audience)
        for name, value in production_environment(server, audience).items():
            monkeypatch.setenv(name, value)
        yield server
