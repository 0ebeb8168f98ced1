"""Signal handlers: the thin glue between Pelican and the newsletter modules."""

from __future__ import annotations

from .generator import NewsletterGenerator
from .settings import NewsletterSettings
from .signup import SignupForms


def on_initialized(pelican) -> None:
    """Check the newsletter settings before anything is read."""
    NewsletterSettings.from_pelican(pelican.settings)


def on_generator_init(generator) -> None:
    """Templates get ``newsletter_signup(lang)``: the subscribe form of a language."""
    config = NewsletterSettings.from_pelican(generator.settings)
    generator.env.globals["newsletter_signup"] = SignupForms(config).for_lang


def get_generators(pelican):
    return NewsletterGenerator
