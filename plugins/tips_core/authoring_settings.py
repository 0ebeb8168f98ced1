"""The settings of the authoring tools (`make new`, `make check`, `make preview`).

Read and checked once into a typed object, like ``TipsSettings``; a wrong value
is a ConfigurationError naming the setting.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigurationError
from .holiday_check import DEFAULT_HOLIDAY_COUNTRIES, supported_countries
from .site_settings import KNOWN_LANGUAGES

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})")

DEFAULT_PUBLISH_WEEKDAY = "friday"
DEFAULT_PUBLISH_TIME = "09:00"
# Inbox previews show roughly the first 90 (phones) to 140 (desktop) characters
# of the preheader, which is the summary: beyond 140 the end is never seen.
DEFAULT_SUMMARY_MAX_LENGTH = 140
DEFAULT_PREVIEW_PATH = "cache/preview"


@dataclass(frozen=True)
class AuthoringSettings:
    publish_weekday: int  # ISO weekday: 1 is Monday
    publish_time: datetime.time
    summary_max_length: int
    promised_languages: tuple[str, ...]
    default_author: str | None
    preview_path: str
    holiday_countries: Mapping[str, str | None]  # language -> ISO country code, or None
    # A preview build shows unfinished work (TODOs, quoted originals) instead of
    # refusing it.
    allow_unfinished: bool = False

    @classmethod
    def defaults(cls, languages: tuple[str, ...] = KNOWN_LANGUAGES) -> AuthoringSettings:
        return cls.from_pelican({"TIPS_LANGUAGES": languages})

    @classmethod
    def from_pelican(cls, settings: Mapping[str, Any]) -> AuthoringSettings:
        languages = tuple(settings.get("TIPS_LANGUAGES", KNOWN_LANGUAGES))
        return cls(
            publish_weekday=_weekday(settings.get("TIPS_PUBLISH_WEEKDAY", DEFAULT_PUBLISH_WEEKDAY)),
            publish_time=_time(settings.get("TIPS_PUBLISH_TIME", DEFAULT_PUBLISH_TIME)),
            summary_max_length=_positive(
                settings.get("TIPS_SUMMARY_MAX_LENGTH", DEFAULT_SUMMARY_MAX_LENGTH)
            ),
            promised_languages=_promised(settings.get("TIPS_PROMISED_LANGUAGES"), languages),
            default_author=_author(settings.get("TIPS_AUTHOR")),
            preview_path=str(settings.get("TIPS_PREVIEW_PATH") or DEFAULT_PREVIEW_PATH),
            holiday_countries=_countries(settings.get("TIPS_HOLIDAY_COUNTRIES"), languages),
            allow_unfinished=bool(settings.get("TIPS_PREVIEW", False)),
        )


def _weekday(value: Any) -> int:
    name = str(value).strip().lower()
    if name not in WEEKDAYS:
        raise ConfigurationError(
            f"TIPS_PUBLISH_WEEKDAY: {value!r} is not a weekday; write one of {', '.join(WEEKDAYS)}"
        )
    return WEEKDAYS.index(name) + 1


def _time(value: Any) -> datetime.time:
    match = _TIME_RE.fullmatch(str(value).strip())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return datetime.time(hour, minute)
    raise ConfigurationError(f"TIPS_PUBLISH_TIME: {value!r} is not a time like '09:00'")


def _positive(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(
            f"TIPS_SUMMARY_MAX_LENGTH: {value!r} is not a number of characters, e.g. 140"
        )
    return value


def _promised(value: Any, languages: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return languages
    promised = tuple(value) if isinstance(value, (list, tuple)) else ()
    unknown = [lang for lang in promised if lang not in languages]
    if not promised or unknown:
        raise ConfigurationError(
            f"TIPS_PROMISED_LANGUAGES: {value!r} must list languages of TIPS_LANGUAGES "
            f"({', '.join(languages)})"
        )
    return promised


def _author(value: Any) -> str | None:
    if value is None:
        return None
    name = " ".join(str(value).split())
    if not name:
        raise ConfigurationError("TIPS_AUTHOR: is empty; give a name or remove the setting")
    return name


def _countries(value: Any, languages: tuple[str, ...]) -> Mapping[str, str | None]:
    """Each language's country for its public holidays; a language left out has none."""
    if value is None:
        return {lang: DEFAULT_HOLIDAY_COUNTRIES.get(lang) for lang in languages}
    example = "e.g. {'nb': 'NO', 'sv': 'SE', 'fi': 'FI', 'et': 'EE', 'en': None}"
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            f"TIPS_HOLIDAY_COUNTRIES: {value!r} must map languages to countries, {example}"
        )
    known = supported_countries()
    countries: dict[str, str | None] = {lang: None for lang in languages}
    for lang, country in value.items():
        if lang not in languages:
            raise ConfigurationError(
                f"TIPS_HOLIDAY_COUNTRIES: {lang!r} is not one of TIPS_LANGUAGES "
                f"({', '.join(languages)})"
            )
        if country is not None and (not isinstance(country, str) or country.upper() not in known):
            raise ConfigurationError(
                f"TIPS_HOLIDAY_COUNTRIES: {country!r} (for {lang}) is not a country code the "
                f"holidays package knows, such as 'NO'; write None for no holidays"
            )
        countries[lang] = country.upper() if country else None
    return countries
