"""Skip rendering pages whose inputs have not changed since the last build.

Every page gets a render key, derived (never listed by hand) from everything
its render receives: ``key_of`` the template's name and the variables passed
to it, where a tip or page counts by all it can show (``content_signature``:
its attributes and its text as rendered, links resolved), plus a site-wide
fingerprint of the templates, catalogs, plugin code and settings. When a
page's key matches the last build's and its file is still there, it is not
rendered again. After editing one tip, only the pages that show it are
rendered: its own, its neighbours, its week, tags, author, archive, home and
feed.

The manifest also lists every page the last build wrote, so pages of a tip
that was removed or renamed are deleted.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import logging
import os
import traceback
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateError

from .errors import BuildError
from .fingerprint import fingerprint
from .forked import ChildFailed, map_each_forked, map_forked
from .safe_write import atomic_open

logger = logging.getLogger(__name__)

PLUGINS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # every plugin's code

_PLAIN = (str, int, float, bool, type(None))


def site_fingerprint(settings: Mapping[str, Any]) -> str:
    """What every page is made with: the settings, the theme's templates and
    catalogs, and every plugin's code."""
    theme = settings.get("THEME", "")
    return fingerprint(
        dict(settings),
        [os.path.join(theme, "templates"), os.path.join(theme, "translations"), PLUGINS_DIR],
        (".css", ".html", ".po", ".py", ".txt", ".xml"),  # .css: the email's, inlined
    )


_PLAIN_TYPES = frozenset(_PLAIN)
# What a content object holds that no template shows: the site's settings
# (in the site fingerprint) and the whole site (``_context``); private names
# are Pelican's and our caches, and the source text, shown as ``content``.
_NOT_SHOWN = frozenset({"settings"})
_DEEP = "_render_signature"
_OWN = "_render_own_signature"
_FROZEN = "_render_frozen_signature"
_SAME = "(as its attribute)"
_contents_signed = [0]  # tips and pages met by signature(): does a value hold any?
# While a key is derived by ``key_and_shown``: the files of the tips and pages
# whose text it holds (those signed by content_signature).
_shown: list[set[str]] = []


def is_content(value: Any) -> bool:
    """A tip or page as Pelican read it (duck-typed: core does not import Pelican)."""
    return hasattr(value, "_context") and hasattr(value, "source_path")


def _public(value: Any) -> list[tuple[str, Any]]:
    hidden = _behind_descriptors(type(value))
    return sorted(
        (name, _metadata(value, v) if name == "metadata" else v)
        for name, v in vars(value).items()
        if not name.startswith("_") and name not in _NOT_SHOWN and name not in hidden
    )


_descriptors: dict[type, frozenset[str]] = {}


def _behind_descriptors(kind: type) -> frozenset[str]:
    """The names a template cannot read from an object's own attributes: its
    class's properties (data descriptors) answer them instead. Pelican's Tag
    and Author copy their name and slug into their attributes the first time
    their URL is formatted (``URLWrapper.as_dict``); a signature that held those
    copies would depend on whether a page had asked for that URL yet."""
    known = _descriptors.get(kind)
    if known is None:
        known = _descriptors[kind] = frozenset(
            name
            for klass in kind.__mro__
            for name, attribute in vars(klass).items()
            if hasattr(type(attribute), "__set__")
        )
    return known


def _metadata(content: Any, metadata: Any) -> Any:
    """Pelican keeps a content's metadata twice, as a dict and as attributes:
    an entry that is its attribute's very object is signed with the attribute."""
    if type(metadata) is not dict:
        return metadata
    return {
        name: _SAME if getattr(content, name, _SAME) is value else value
        for name, value in metadata.items()
    }


def content_signature(content: Any) -> str:
    """What a template can show of a tip or page: every plain attribute, its
    text as rendered (links resolved, whatever their syntax), and of the tips
    and pages it refers to (neighbours, translations) their own plain
    attributes, one hop deep. A digest, kept on the object for this build: a
    tip shows on many pages.

    Computed only once every generator has made its context, so that the
    links in the text resolve (Pelican caches the rendered text)."""
    cached = content.__dict__.get(_DEEP)
    if cached is None:
        own, referenced = _own(content)
        cached = _digest((own, content.content, [_own(other)[0] for other in referenced]))
        content.__dict__[_DEEP] = cached
    return cached


def _own(content: Any) -> tuple[str, tuple]:
    """A tip or page by its plain attributes alone, the tips and pages in them
    by their address; and those tips and pages, in the order of their
    addresses (not the order met: a set's order varies with the hash seed).
    Each object's attributes are signed once per build: its page and its
    neighbours' pages reuse them."""
    cached = content.__dict__.get(_OWN)
    if cached is None:
        referenced: dict[int, Any] = {}

        def refer(value: Any) -> Any:
            referenced.setdefault(id(value), value)
            return _reference(value)

        parts = [(name, signature(v, refer)) for name, v in _public(content)]
        in_order = sorted(referenced.values(), key=lambda other: repr(_reference(other)))
        cached = (_digest((type(content).__name__, parts)), tuple(in_order))
        content.__dict__[_OWN] = cached
    return cached


def _reference(value: Any) -> Any:
    """A tip or page by its address alone."""
    return ("ref", type(value).__name__, getattr(value, "url", None), value.source_path)


def signature(value: Any, content=content_signature) -> Any:
    """What a template can show of a value, as comparable data: plain values as
    they are, containers item by item, tips and pages by ``content`` (their
    ``content_signature``), other objects by their type and public attributes.
    Nothing here depends on where an object lives in memory, so a signature
    compares across builds.

    Called for every page of every build, so the common cases come first.
    """
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is tuple or kind is list:
        return tuple([v if type(v) in _PLAIN_TYPES else signature(v, content) for v in value])
    if kind is dict:
        return tuple(
            sorted(
                (str(k), v if type(v) in _PLAIN_TYPES else signature(v, content))
                for k, v in value.items()
            )
        )
    if is_content(value):
        _contents_signed[0] += 1
        if _shown and content is content_signature:
            _shown[-1].add(value.source_path)
        return content(value)
    if isinstance(value, _PLAIN):  # str subclasses: Markup
        return (kind.__name__, str(value))
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return (kind.__name__, repr(value))
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), signature(v, content)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(signature(v, content) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(signature(v, content)) for v in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass_signature(value, content)
    if isinstance(value, (types.FunctionType, types.MethodType, types.BuiltinFunctionType)):
        return ("function", value.__module__, value.__qualname__)
    if hasattr(value, "__dict__"):
        # An object that says what it is (Pelican's Tag, Author: their names) by
        # it too. Their slug and URLs follow from the name and the settings.
        told = str(value) if kind.__str__ is not object.__str__ else None
        return (kind.__name__, told, tuple((n, signature(v, content)) for n, v in _public(value)))
    if type(value).__repr__ is object.__repr__:
        return kind.__name__  # no state to show, and its address would differ each build
    return (kind.__name__, repr(value))


def _dataclass_signature(value: Any, content) -> Any:
    """A dataclass by its fields. A frozen one (a tip's model, a language's menu)
    shows on thousands of pages: when it holds no tip or page (the usual case),
    its digest is kept on it, so each is signed once per build (a new build
    makes new ones). One that holds tips or pages is signed each time: how
    depends on who asks (``_own`` notes the tips it meets)."""
    kind = type(value)
    memo = (
        value.__dict__ if kind.__dataclass_params__.frozen and hasattr(value, "__dict__") else None
    )
    if memo is not None:
        known = memo.get(_FROZEN)
        if known is not None:
            return known
    contents_before = _contents_signed[0]
    fields = tuple(
        (f.name, signature(getattr(value, f.name), content)) for f in dataclasses.fields(value)
    )
    if memo is None or _contents_signed[0] != contents_before:
        return (kind.__name__, fields)
    signed = (kind.__name__, _digest(fields))
    memo[_FROZEN] = signed
    return signed


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _digest(data: Any) -> str:
    return hashlib.sha1(repr(data).encode(), usedforsecurity=False).hexdigest()


def key_of(*parts: Any) -> str:
    """The render key of whatever ``parts`` make: give it everything the render
    receives (the template's name and the variables passed to it)."""
    return _digest(signature(parts))


def key_and_shown(*parts: Any) -> tuple[str, frozenset[str]]:
    """``key_of(*parts)``, and the source files of the tips and pages whose text
    (and every attribute) the key holds: what must change for the key to change,
    besides the other tips' own attributes it holds by address."""
    _shown.append(set())
    try:
        key = key_of(*parts)
    finally:
        shown = _shown.pop()
    return key, frozenset(shown)


def forget_text(content: Any) -> None:
    """A tip or page whose text was replaced in place: sign its text again."""
    content.__dict__.pop(_DEEP, None)


def _inside(name: object) -> bool:
    """A file name relative to the output, not leading out of it (pages are deleted
    by the names the manifest lists)."""
    return (
        isinstance(name, str)
        and bool(name)
        and not os.path.isabs(name)
        and os.pardir not in name.replace(os.sep, "/").split("/")
    )


@dataclass(frozen=True)
class _Deferred:
    name: str
    key_parts: tuple
    render: Callable[[], None]
    tip: bool
    key: str | None = None  # when signed before it was shared out: it changed


def _render(page: _Deferred) -> None:
    """Render one page; a template's mistake is an error naming the page and
    the template's line, not a traceback."""
    try:
        page.render()
    except TemplateError as exc:
        where = [
            f"{frame.f_code.co_filename}:{line}"
            for frame, line in traceback.walk_tb(exc.__traceback__)
            if frame.f_code.co_filename.endswith((".html", ".xml", ".txt"))
        ]
        raise PageFailed(
            f"could not render {page.name}: {type(exc).__name__}: {exc}"
            + (f" (at {where[-1]})" if where else "")
        ) from None


class PageFailed(BuildError):
    """A page's template failed (a theme's mistake)."""


@dataclass
class _Share:
    """What one process of a flush did: the keys of its pages, and its counts."""

    keys: dict[str, str]
    rendered: int
    skipped: int
    tips_rendered: list[str]  # the tip pages among them
    shown: dict[str, frozenset[str]]  # the files whose text each page shows


class RenderCache:
    def __init__(
        self,
        cache_dir: str | None,
        output_path: str,
        fingerprint: str,
        trust_output: bool = True,
        keep: bool = False,
    ):
        self.output_path = output_path
        # `make serve`: every page is kept after its flush, so that an edit of
        # text alone renders only those that show it (render_text).
        self.keep = keep
        self.pages: dict[str, _Deferred] = {}
        # Each page's files whose text it shows (key_and_shown): kept in the
        # manifest, for the next build to know which keys a change of text reaches.
        self.shown: dict[str, frozenset[str]] = {}
        # The content's state and files (note_content), this build's and the last's.
        self.state, self.files, self.attaching = "", {}, frozenset()
        self._previous_state: dict[str, Any] = {}
        self._previous_shown: dict[str, frozenset[str]] = {}
        # Files whose text may have changed since the last build, when nothing
        # else did: a page that shows none of them keeps its key (flush).
        self._text_changed: set[str] | None = None
        self._pending_content: Callable[[], tuple[str, dict[str, str], frozenset[str]]] | None = (
            None
        )
        self.reused = 0  # pages whose key was the last build's, not derived again
        self.fingerprint = fingerprint
        # False after an interrupted build: its pages may be newer than the manifest.
        self.trust_output = trust_output
        self.path = os.path.join(cache_dir, "render-manifest.json") if cache_dir else None
        self._previous_tips: set[str] = set()
        self._previous: dict[str, str] = self._load()
        self.current: dict[str, str] = {}
        self.current_tips: set[str] = set()  # tip pages: what the search index holds
        self.rendered = 0
        self.skipped = 0
        self.tips_rendered: set[str] = set()  # tip pages: what the search index must read again
        self.removed: list[str] = []
        self._deferred: list[_Deferred] = []

    def _load(self) -> dict[str, str]:
        if not self.path or not os.path.exists(self.path):
            return {}
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            logger.warning("Ignoring an unreadable render manifest %s: %s", self.path, exc)
            return {}
        tips, pages = (data.get("tips"), data.get("pages")) if isinstance(data, dict) else (0, 0)
        if not (
            isinstance(tips, list)
            and isinstance(pages, dict)
            and all(_inside(t) for t in tips)
            and all(_inside(k) and isinstance(v, str) for k, v in pages.items())
        ):
            logger.warning("Ignoring a render manifest of another shape: %s", self.path)
            return {}
        self._previous_tips = set(tips)
        if data.get("fingerprint") != self.fingerprint:
            return {}  # templates, code or settings changed: render everything
        self._load_content(data)
        return dict(pages)

    def _load_content(self, data: dict) -> None:
        """The last build's content state and the files each page showed (none
        when the manifest holds them in another shape: every key is derived)."""
        content = data.get("content")
        if not isinstance(content, dict):
            return
        state, files, attaching = (content.get(k) for k in ("state", "files", "attaching"))
        sources, shown = content.get("sources"), content.get("shown")
        if not (
            isinstance(state, str)
            and isinstance(files, dict)
            and all(isinstance(d, str) for d in files.values())
            and _strings(attaching)
            and _strings(sources)
            and isinstance(shown, dict)
            and all(
                isinstance(indexes, list)
                and all(type(i) is int and 0 <= i < len(sources) for i in indexes)
                for indexes in shown.values()
            )
        ):
            return
        self._previous_shown = {
            name: frozenset(sources[i] for i in indexes) for name, indexes in shown.items()
        }
        self._previous_state = {"state": state, "files": files, "attaching": set(attaching)}

    def note_content(self, state: str, files: dict[str, str], attaching: frozenset[str]) -> None:
        """The content this build renders (tips_app/content_state.py): its
        state, each file's digest, the files linking one with {attach}. When
        the state is the last build's and the output is trusted, only the text
        of the files whose digest changed may have: the pages that show none of
        them keep their keys at the next ``flush``."""
        self.state, self.files, self.attaching = state, files, attaching
        last = self._previous_state
        if not self.trust_output or not last or last["state"] != state:
            return
        changed = {
            path
            for path, digest in files.items()
            if not digest or last["files"].get(path) != digest
        }
        if changed & (attaching | last["attaching"]):
            return  # Pelican moved or stopped moving an attached file: other pages link it
        self._text_changed = changed

    def note_content_later(
        self, noted: Callable[[], tuple[str, dict[str, str], frozenset[str]]]
    ) -> None:
        """``note_content`` with what ``noted()`` returns, once something needs
        it (a flush, ``only_text_changed``, ``save``): a build works the state
        out on another core meanwhile (pipeline.py)."""
        self._pending_content = noted

    def _content_noted(self) -> None:
        if self._pending_content is not None:
            noted, self._pending_content = self._pending_content, None
            self.note_content(*noted())

    @property
    def only_text_changed(self) -> bool:
        """The content's state is the last build's (note_content): which pages
        there are, their addresses, languages and dates are too."""
        self._content_noted()
        return self._text_changed is not None

    def unchanged(self, name: str, key: str | None, tip: bool = False) -> bool:
        """True when ``name`` (relative to the output) needs no rendering; records it."""
        if tip:
            self.current_tips.add(name)
        if key is None:
            return False
        self.current[name] = key
        if self._is_current(name, key):
            self.skipped += 1
            return True
        self.rendered += 1
        if tip:
            self.tips_rendered.add(name)
        return False

    def defer(
        self, name: str, key_parts: tuple, render: Callable[[], None], tip: bool = False
    ) -> None:
        """A page to render at the next ``flush`` unless its key, derived from
        ``key_parts`` then, is unchanged. Keys and pages are made on all cores."""
        if tip:
            self.current_tips.add(name)
        self._deferred.append(_Deferred(name, key_parts, render, tip))

    def sign_contents(self, contents: list[Any]) -> None:
        """Before a build's first flush, when there is no last build to compare
        with (every key is derived where its page renders): each tip's and
        page's signature made once, on all cores, and kept on it. Otherwise
        each forked renderer signs again the tips its pages show (a tip shows
        on its page, its week's, lists and feeds): a cold build derived keys
        for 6.8 s, mostly signing tips a second or third time."""
        if self._previous:
            return  # few keys to derive: each content signed when a page needs it
        pending = [content for content in contents if _DEEP not in content.__dict__]
        try:
            signatures = map_each_forked(content_signature, pending)
        except ChildFailed as exc:
            raise BuildError(str(exc)) from None
        for content, signed in zip(pending, signatures, strict=True):
            content.__dict__[_DEEP] = signed

    def flush(self) -> None:
        """Render the deferred pages whose keys changed, split over the cores
        (forked.py). After a build of everything (nothing to compare with),
        each process signs and writes its share. Otherwise most pages are
        unchanged: they are signed here, and only the changed ones are shared
        out, if there are enough of them to pay for a process (a forked child
        copies what it touches of this process's memory)."""
        self._content_noted()
        deferred, self._deferred = self._deferred, []
        if self.keep:
            self.pages.update((page.name, page) for page in deferred)
        if self._previous:
            changed = []
            for page in deferred:
                if self._keeps_key(page.name):
                    self.current[page.name] = self._previous[page.name]
                    self.shown[page.name] = self._previous_shown[page.name]
                    self.skipped += 1
                    self.reused += 1
                    continue
                key = self.current[page.name] = self._key(page)
                if self._is_current(page.name, key):
                    self.skipped += 1
                else:
                    changed.append(dataclasses.replace(page, key=key))
            deferred = changed
        try:
            shares = map_forked(self._render_share, deferred)
        except ChildFailed as exc:  # its message names the page (see _render)
            raise BuildError(str(exc)) from None
        for share in shares:
            self.current.update(share.keys)
            self.rendered += share.rendered
            self.skipped += share.skipped
            self.tips_rendered.update(share.tips_rendered)
            self.shown.update(share.shown)

    def _keeps_key(self, name: str) -> bool:
        """The page shows the text of none of the files that changed, and nothing
        else changed since the last build, which wrote it (note_content)."""
        if self._text_changed is None:
            return False
        shown = self._previous_shown.get(name)
        return (
            shown is not None
            and not shown & self._text_changed
            and name in self._previous
            and os.path.exists(os.path.join(self.output_path, name))
        )

    def _key(self, page: _Deferred) -> str:
        key, self.shown[page.name] = key_and_shown(*page.key_parts)
        return key

    def _render_share(self, deferred: list[_Deferred]) -> _Share:
        share = _Share({}, 0, 0, [], {})
        for page in deferred:
            key = page.key or self._key(page)
            share.keys[page.name] = key
            share.shown[page.name] = self.shown[page.name]  # from a forked child it does not
            if page.key is None and self._is_current(page.name, key):
                share.skipped += 1
            else:
                _render(page)
                share.rendered += 1
                if page.tip:
                    share.tips_rendered.append(page.name)
        return share

    def render_text(self, sources: set[str]) -> None:
        """After the text of the files ``sources`` changed in place and nothing
        else did: render again the kept pages that show their text, whose key
        changed. In this process: there are few."""
        # What is on disk now is the kept build's: it wrote every page it lists.
        self._previous, self._previous_tips = dict(self.current), set(self.current_tips)
        self.trust_output = True
        self.rendered, self.tips_rendered, self.removed = 0, set(), []
        for name in sorted(n for n, shown in self.shown.items() if shown & sources):
            page = self.pages[name]
            key = self._key(page)
            if self._is_current(name, key):
                continue
            self.current[name] = key
            _render(page)
            self.rendered += 1
            if page.tip:
                self.tips_rendered.add(name)
        self.skipped = len(self.current) - self.rendered

    def _is_current(self, name: str, key: str) -> bool:
        return (
            self.trust_output
            and self._previous.get(name) == key
            and os.path.exists(os.path.join(self.output_path, name))
        )

    def written(self, name: str, tip: bool = False) -> None:
        """A page written without a key: always rendered, still ours to clean up."""
        self.current.setdefault(name, "")
        if tip:
            self.tips_rendered.add(name)

    @property
    def tips_changed(self) -> bool:
        """A tip page was rendered or removed: the search index must be rebuilt."""
        return bool(self.tips_changed_pages)

    @property
    def tips_changed_pages(self) -> set[str]:
        """The tip pages rendered or removed by this build."""
        return self.tips_rendered | (self._previous_tips - self.current_tips)

    def _remove(self, names: set[str]) -> None:
        for name in sorted(names):
            path = os.path.join(self.output_path, name)
            if os.path.isfile(path):
                os.unlink(path)
                self.removed.append(name)

    def remove_stale_tips(self) -> None:
        """Once every tip page is written: delete those of removed tips, before
        the search index reads the folder."""
        self._remove(self._previous_tips - self.current_tips)

    def remove_stale(self) -> list[str]:
        """Delete pages the last build wrote that this build did not."""
        self._remove(set(self._previous) - set(self.current))
        return self.removed

    def save(self) -> None:
        self._content_noted()
        if not self.path:
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        sources = sorted({path for shown in self.shown.values() for path in shown})
        index = {path: i for i, path in enumerate(sources)}
        shown = {  # pages written without a key show nothing known: derived next time
            name: sorted(index[path] for path in self.shown[name])
            for name in self.current
            if name in self.shown
        }
        with atomic_open(self.path, "w") as handle:
            handle.write(
                json.dumps(  # all at once: the C encoder (json.dump encodes in Python)
                    {
                        "fingerprint": self.fingerprint,
                        "pages": self.current,
                        "tips": sorted(self.current_tips),
                        "content": {
                            "state": self.state,
                            "files": self.files,
                            "attaching": sorted(self.attaching),
                            "sources": sources,
                            "shown": shown,
                        },
                    }
                )
            )
