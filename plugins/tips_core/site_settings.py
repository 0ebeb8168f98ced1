"""The plugin's settings, read and checked once into a typed object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigurationError
from .weeks import DEFAULT_SERIES

KNOWN_LANGUAGES = ("nb", "sv", "fi", "et", "en")


@dataclass(frozen=True)
class TipsSettings:
    languages: tuple[str, ...]
    default_lang: str
    timezone: ZoneInfo
    siteurl: str
    sitenames: Mapping[str, str]
    series: tuple[str, ...]
    content_path: str
    output_path: str
    # Whether the site offers the newsletter's signup (boxes, subscribe page, menu item).
    # Read here, not by the newsletter plugin alone: it decides which pages are live.
    signup: bool = True

    @classmethod
    def from_pelican(cls, settings: Mapping[str, Any]) -> TipsSettings:
        languages = tuple(settings.get("TIPS_LANGUAGES", KNOWN_LANGUAGES))
        unknown = [lang for lang in languages if lang not in KNOWN_LANGUAGES]
        if unknown:
            raise ConfigurationError(
                f"TIPS_LANGUAGES: unknown language(s) {', '.join(unknown)}; "
                f"the site knows {', '.join(KNOWN_LANGUAGES)}"
            )
        default_lang = settings.get("DEFAULT_LANG", "nb")
        if default_lang not in languages:
            raise ConfigurationError(
                f"DEFAULT_LANG: {default_lang!r} is not one of TIPS_LANGUAGES "
                f"({', '.join(languages)})"
            )
        tz_name = settings.get("TIMEZONE") or "Europe/Oslo"
        try:
            timezone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigurationError(
                f"TIMEZONE: {tz_name!r} is not a known time zone, e.g. 'Europe/Oslo'"
            ) from exc
        sitename = settings.get("SITENAME", "")
        sitenames = {lang: sitename for lang in languages}
        sitenames.update(settings.get("TIPS_SITENAMES", {}))
        signup = settings.get("NEWSLETTER_SIGNUP", True)
        if not isinstance(signup, bool):
            raise ConfigurationError(
                f"NEWSLETTER_SIGNUP: {signup!r} is not True or False; write "
                "NEWSLETTER_SIGNUP = False to build the site without signup"
            )
        return cls(
            signup=signup,
            languages=languages,
            default_lang=default_lang,
            timezone=timezone,
            siteurl=str(settings.get("SITEURL", "")).rstrip("/"),
            sitenames=sitenames,
            series=tuple(settings.get("TIPS_SERIES", (DEFAULT_SERIES,))),
            content_path=settings.get("PATH", "content"),
            output_path=settings.get("OUTPUT_PATH", "output"),
        )

    def prefix(self, lang: str) -> str:
        """URL prefix of a language: '' for the default one, 'sv/' for Swedish."""
        return "" if lang == self.default_lang else f"{lang}/"

    def absolute(self, url: str) -> str:
        return f"{self.siteurl}/{url}"
