"""Weekly tips: a multilingual weekly series of customer-service tips.

``register()`` only connects the signal handlers of ``weekly_tips.py``.
"""

from pelican import signals

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


def register() -> None:
    signals.readers_init.connect(on_readers_init)
    signals.article_generator_context.connect(on_content_metadata)
    signals.page_generator_context.connect(on_content_metadata)
    signals.generator_init.connect(on_generator_init)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    signals.content_written.connect(on_content_written)
    signals.article_writer_finalized.connect(on_article_writer_finalized)
    signals.article_generator_finalized.connect(on_generator_finalized)
    signals.page_generator_finalized.connect(on_generator_finalized)
    signals.static_generator_finalized.connect(on_static_generator_finalized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
