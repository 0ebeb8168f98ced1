"""Signal handlers: the thin glue between Pelican and the newsletter modules."""

from __future__ import annotations

from tips_core.build_context import current_build

from .generator import NewsletterGenerator
from .settings import NewsletterSettings
from .signup import SignupForms


def on_generator_init(generator) -> None:
    """Templates get ``newsletter_signup(lang)``: the subscribe form of a language."""
    config = current_build().parsed(NewsletterSettings.from_pelican)
    generator.env.globals["newsletter_signup"] = SignupForms(config).for_lang


def get_generators(pelican):
    return NewsletterGenerator
