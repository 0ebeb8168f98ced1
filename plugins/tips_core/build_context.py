"""One build's context: its settings read once, its clock, its caches and its model.

The application (tips_app.pipeline) creates one per build and makes it active
around the Pelican run; the plugins' reader, generators, writer and signal
handlers take it from :func:`current_build` instead of finding run-time
objects in Pelican's settings, which hold only the user's settings. Pelican
calls plugins through signals with no room for arguments of ours, so the
active build is a context variable: set for one run, reset after it.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from jinja2 import BytecodeCache

from .authoring_settings import AuthoringSettings
from .content_store import ContentStore
from .errors import ConfigurationError
from .i18n import Catalogs, translations_dir
from .model import SiteModel
from .render_cache import RenderCache
from .site_settings import TipsSettings
from .source_file import Rules

T = TypeVar("T")

_active: ContextVar[BuildContext | None] = ContextVar("tips_build", default=None)


@dataclass(eq=False)
class BuildContext:
    settings: Mapping[str, Any]  # Pelican's, as the user wrote them
    now: datetime.datetime
    store: ContentStore
    model: SiteModel | None = None  # set once the content is checked
    render_cache: RenderCache | None = None
    # Called once every tip page is written (the search index starts then).
    on_tip_pages_written: Callable[[], None] | None = None
    # What the newsletter's generator found it may send, by tip key: the
    # sending step takes it from the build's summary, never from a file.
    emails: dict[str, Any] = field(default_factory=dict)
    # Pelican's tips and pages by source file, as its generators made them: a
    # `make serve` rebuild of text alone puts the new text in them.
    contents: dict[str, Any] = field(default_factory=dict)
    # The static files (images, attachments) Pelican copies, as its generator
    # lists them: noted in the render manifest once they are copied.
    statics: list[Any] = field(default_factory=list)
    # Compiled templates kept in cache/ for the next process, by environment
    # (template_cache.py).
    templates: dict[str, BytecodeCache] = field(default_factory=dict)
    _parsed: dict[Callable, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def create(
        cls, settings: Mapping[str, Any], now: datetime.datetime | None = None
    ) -> BuildContext:
        """A build of ``settings`` at ``now`` (default: the current time), its
        content store in the settings' CACHE_PATH."""
        tips = TipsSettings.from_pelican(settings)
        store = ContentStore(
            Rules(tips.languages, tips.timezone, tips.series, tips.default_lang),
            settings.get("CACHE_PATH"),
        )
        return cls(
            settings,
            now or datetime.datetime.now(tips.timezone),
            store,
            _parsed={TipsSettings.from_pelican: tips},
        )

    def parsed(self, reader: Callable[[Mapping[str, Any]], T]) -> T:
        """``reader(settings)`` (a typed settings class's ``from_pelican``), once per build."""
        if reader not in self._parsed:
            self._parsed[reader] = reader(self.settings)
        return self._parsed[reader]

    @property
    def tips(self) -> TipsSettings:
        return self.parsed(TipsSettings.from_pelican)

    @property
    def authoring(self) -> AuthoringSettings:
        return self.parsed(AuthoringSettings.from_pelican)

    @cached_property
    def catalogs(self) -> Catalogs:
        return load_catalogs(self.settings, self.tips)

    @contextlib.contextmanager
    def active(self) -> Iterator[BuildContext]:
        token = _active.set(self)
        try:
            yield self
        finally:
            _active.reset(token)


def load_catalogs(settings: Mapping[str, Any], tips: TipsSettings) -> Catalogs:
    return Catalogs(translations_dir(settings), tips.languages, tips.default_lang)


def current_build() -> BuildContext:
    build = _active.get()
    if build is None:
        raise ConfigurationError(
            "the weekly_tips and tip_newsletter plugins run inside our build: use `make build` "
            "or `make site` (tips_app.pipeline), not the pelican command"
        )
    return build
