"""Interface strings and dates in the reader's language, without OS locales.

Strings come from gettext catalogs (``theme/translations/<lang>/LC_MESSAGES/
messages.po``, compiled to ``.mo`` here when stale); dates from Babel's CLDR
data. Templates call ``_()`` and the date filters with no language argument:
the language is the page's, read from the template context (``lang``).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .partial_files import remove_partial_files
from .safe_write import atomic_open

DOMAIN = "messages"


def translations_dir(settings: dict[str, Any]) -> str:
    return os.path.join(settings["THEME"], "translations")


def compile_catalogs(translations_dir: str, languages: Iterable[str]) -> None:
    """Compile each language's .po to .mo when the .mo is missing or older.

    The .mo files are build output (git-ignored); writing them atomically lets
    parallel builds (tests) share the folder. They are compiled beside the .po
    in the theme, not in output/, so what an interrupted compile left there is
    removed here, not by the build guard.
    """
    for lang in languages:
        folder = os.path.join(translations_dir, lang, "LC_MESSAGES")
        po_path = os.path.join(folder, DOMAIN + ".po")
        mo_path = os.path.join(folder, DOMAIN + ".mo")
        if not os.path.exists(po_path):
            continue
        remove_partial_files(folder, recursive=False)
        if os.path.exists(mo_path) and os.path.getmtime(mo_path) >= os.path.getmtime(po_path):
            continue
        with open(po_path, "rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN)
        with atomic_open(mo_path, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)


class Catalogs:
    """The gettext catalogs of the site's languages."""

    def __init__(self, translations_dir: str, languages: Iterable[str], default_lang: str):
        languages = tuple(languages)
        compile_catalogs(translations_dir, languages)
        self.default_lang = default_lang
        self._translations: dict[str, NullTranslations] = {
            lang: Translations.load(translations_dir, [lang], DOMAIN) for lang in languages
        }

    def translations(self, lang: str) -> NullTranslations:
        return self._translations.get(lang) or NullTranslations()

    def gettext(self, lang: str) -> Callable[[str], str]:
        return self.translations(lang).gettext

    def ngettext(self, lang: str) -> Callable[[str, str, int], str]:
        return self.translations(lang).ngettext


@cache
def babel_locale(lang: str) -> Locale:
    return Locale.parse(lang)


@cache
def language_name(lang: str) -> str:
    """A language's name in itself, e.g. 'Norsk bokmål', 'Suomi'."""
    name = babel_locale(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def localized_date(value: datetime.date, lang: str, fmt: str = "full") -> str:
    """A date as readers of ``lang`` write it, e.g. fi 'lauantai 22. huhtikuuta 2017'."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return _formatted_date(value, lang, fmt)


@lru_cache(maxsize=65536)  # a tip's date shows on its page, its week and every list
def _formatted_date(value: datetime.date, lang: str, fmt: str) -> str:
    return format_date(value, format=fmt, locale=babel_locale(lang))


def context_lang(ctx: Context) -> str:
    """The language of the page being rendered: templates set ``lang``."""
    lang = ctx.get("lang")
    if lang:
        return lang
    for name in ("article", "page"):
        content = ctx.get(name)
        if getattr(content, "lang", None):
            return content.lang
    return ctx.get("DEFAULT_LANG", "en")


class TemplateI18n:
    """The gettext callables and date filters installed in a Jinja environment."""

    def __init__(self, catalogs: Catalogs):
        self.catalogs = catalogs
        # A page asks for a dozen messages, the same on every page of its language.
        self._translated: dict[tuple[str, str], str] = {}
        self._formatted: dict[tuple[str, str, bool], str] = {}

    def _translate(self, lang: str, message: str) -> str:
        translated = self._translated.get((lang, message))
        if translated is None:
            translated = self.catalogs.gettext(lang)(message)
            self._translated[lang, message] = translated
        return translated

    @pass_context
    def template_gettext(self, ctx: Context, message: str, **variables: Any) -> str:
        """``_()`` in templates, as Jinja's "newstyle" gettext: escaped like any
        text, and always a format string (``%%`` is ``%``). In one call rather
        than Jinja's three: a page says a dozen of them, a site 16,000 pages."""
        escape = ctx.eval_ctx.autoescape
        if variables:
            translated = self._translate(context_lang(ctx), message)
            return (Markup(translated) if escape else translated) % variables
        key = (context_lang(ctx), message, escape)
        formatted = self._formatted.get(key)
        if formatted is None:
            translated = self._translate(key[0], message)
            formatted = (Markup(translated) if escape else translated) % {}
            self._formatted[key] = formatted
        return formatted

    @pass_context
    def ngettext(self, ctx: Context, singular: str, plural: str, n: int) -> str:
        return self.catalogs.ngettext(context_lang(ctx))(singular, plural, n)

    @pass_context
    def date_filter(self, ctx: Context, value: datetime.date, fmt: str = "full") -> str:
        return localized_date(value, context_lang(ctx), fmt)

    def install(self, env) -> None:
        env.add_extension("jinja2.ext.i18n")
        # The extension's newstyle ngettext (and {% trans %}); its gettext, a
        # wrapper of three calls, is replaced by ours, which does what it does.
        env.install_gettext_callables(self.template_gettext, self.ngettext, newstyle=True)
        env.globals["_"] = env.globals["gettext"] = self.template_gettext
        env.filters["localdate"] = self.date_filter
        env.globals["language_name"] = language_name
