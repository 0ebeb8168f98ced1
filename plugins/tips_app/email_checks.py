"""The build's email rules, checked before the build: ``make check`` says first
what would make the newsletter refuse a tip.

An email over Gmail's clipping size stops the build when the newsletter
renders it. Here every tip that can still be emailed (newsletter on, and not
older than ``NEWSLETTER_MAX_AGE_DAYS``: drafts, scheduled and due tips) is
rendered the same way from its converted text, with the same message at the
same line. Older tips are never emailed again, so ``make check`` stays fast.
"""

from __future__ import annotations

import datetime

from pelican.plugins.tip_newsletter.email_source import email_source
from pelican.plugins.tip_newsletter.generator import web_variant
from pelican.plugins.tip_newsletter.rendering import EmailRenderer
from pelican.plugins.tip_newsletter.settings import NewsletterSettings
from tips_core.build_context import BuildContext
from tips_core.errors import ContentError
from tips_core.model import SiteModel
from tips_core.problems import WARNING, Problem
from tips_core.source_file import TIP

from .sent_checks import recorded_sends, sent_problems

NEWSLETTER_PLUGIN = "pelican.plugins.tip_newsletter"
# Gmail and phone mail apps show about this many characters of a subject.
SUBJECT_MAX_LENGTH = 70


def newsletter_enabled(settings) -> bool:
    """The site's PLUGINS include the newsletter (a site may run without it)."""
    return NEWSLETTER_PLUGIN in settings.get("PLUGINS", ())


def email_problems(context: BuildContext, model: SiteModel) -> list[Problem]:
    if not newsletter_enabled(context.settings):
        return []
    config = context.parsed(NewsletterSettings.from_pelican)
    oldest = model.now - datetime.timedelta(days=config.max_age_days)
    candidates = [t for t in model.tips if t.newsletter and t.date >= oldest]
    if not candidates:
        return []
    renderer = EmailRenderer(context.settings["THEME"], context.catalogs)
    variant = web_variant(config)
    problems: list[Problem] = []
    for tip in candidates:
        source = email_source(tip, context.store.html(tip.path), model, context.tips)
        try:
            renderer.render_html(source, variant)
        except ContentError as exc:
            problems.extend(exc.problems)
        subject = renderer.subject(source)
        if len(subject) > SUBJECT_MAX_LENGTH:
            problems.append(
                Problem(
                    tip.path,
                    context.store.read(tip.path, TIP).line_of("title"),
                    f"the email's subject '{subject}' is {len(subject)} characters: inboxes "
                    f"cut subjects at about {SUBJECT_MAX_LENGTH}, so shorten the title",
                    WARNING,
                )
            )
    return problems


def sent_email_problems(context: BuildContext, model: SiteModel) -> list[Problem]:
    """Warnings before an edit changes what happens to an email already sent."""
    if not newsletter_enabled(context.settings):
        return []
    config = context.parsed(NewsletterSettings.from_pelican)
    return sent_problems(model.tips, recorded_sends(config))
