"""Weekly tips: a multilingual weekly series of customer-service tips.

``register()`` connects the signal handlers of ``weekly_tips.py``, and puts a
linear version of Pelican's translation grouping in its place
(``pelican_scaling.py``).
"""

from pelican import signals

from .pelican_scaling import install as install_linear_translations
from .weekly_tips import (
    get_generators,
    get_writer,
    on_all_generators_finalized,
    on_article_writer_finalized,
    on_content_metadata,
    on_content_written,
    on_generator_finalized,
    on_generator_init,
    on_readers_init,
    on_static_generator_finalized,
)

# Pelican's signal -> our handler, in the order Pelican sends them.
HANDLERS = (
    # Set up: our reader, generators and writer; every generator's templates.
    (signals.readers_init, on_readers_init),
    (signals.generator_init, on_generator_init),
    (signals.get_generators, get_generators),
    (signals.get_writer, get_writer),
    # Each tip and page as read, then the site once every context is made.
    (signals.article_generator_context, on_content_metadata),
    (signals.page_generator_context, on_content_metadata),
    (signals.article_generator_finalized, on_generator_finalized),
    (signals.page_generator_finalized, on_generator_finalized),
    (signals.static_generator_finalized, on_static_generator_finalized),
    (signals.all_generators_finalized, on_all_generators_finalized),
    # Output: each page noted for the sitemap; the tip pages rendered at once.
    (signals.content_written, on_content_written),
    (signals.article_writer_finalized, on_article_writer_finalized),
)


def register() -> None:
    install_linear_translations()
    for signal, handler in HANDLERS:
        signal.connect(handler)
