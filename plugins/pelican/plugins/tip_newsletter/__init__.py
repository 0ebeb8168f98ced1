"""Tip of the week newsletter: each new tip emailed once per language.

``register()`` only connects the signal handlers of ``tip_newsletter.py``.
Sending happens after the build, in ``dispatch.send_due``, called by the
``build``, ``serve`` and ``publish`` commands with the emails the build made.
"""

from pelican import signals

from .tip_newsletter import get_generators, on_generator_init


def register() -> None:
    signals.generator_init.connect(on_generator_init)
    signals.get_generators.connect(get_generators)
