"""The newsletter's settings (``NEWSLETTER_*``, ``MAILCHIMP_*``), read and checked once.

They come from the Pelican settings file; for ``make publish`` each may be
overridden by the environment variable of the same name
(:func:`apply_environment`). The Mailchimp API key is the exception: it is
read from the environment only, by the Mailchimp backend, and never stored.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tips_core.errors import ConfigurationError as TipsConfigurationError
from tips_core.site_settings import TipsSettings

from .errors import ConfigurationError
from .registry import BACKENDS

DEFAULT_MAX_AGE_DAYS = 7
# The hidden merge field the subscribe form fills in with the page's language.
DEFAULT_LANGUAGE_FIELD = "LANGUAGE"
# Mailchimp's own language codes differ from ours for Norwegian bokmål.
MAILCHIMP_LANGUAGE_CODES = {"nb": "no"}

# Settings that `make publish` takes from the environment when set there.
ENVIRONMENT_SETTINGS = (
    "NEWSLETTER_BACKEND",
    "NEWSLETTER_OUTBOX",
    "NEWSLETTER_MAX_AGE_DAYS",
    "NEWSLETTER_FROM_NAME",
    "NEWSLETTER_REPLY_TO",
    "NEWSLETTER_POSTAL_ADDRESS",
    "NEWSLETTER_SEGMENTS",
    "NEWSLETTER_SIGNUP_URL",
    "NEWSLETTER_STATE_PATH",
    "NEWSLETTER_LOCK_TIMEOUT",
    "MAILCHIMP_AUDIENCE_ID",
    "MAILCHIMP_API_URL",
    "MAILCHIMP_TIMEOUT",
    "MAILCHIMP_RETRIES",
    "MAILCHIMP_BACKOFF",
)
SECRET_SETTINGS = ("MAILCHIMP_API_KEY",)

_TAG_RE = re.compile(r"[A-Z][A-Z0-9_]{0,9}")
_EMAIL_RE = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


@dataclass(frozen=True)
class Segment:
    """How one language's subscribers are picked out of the audience.

    ``kind`` is ``language`` (Mailchimp's language field), ``merge`` (a text
    merge field equal to ``value``), ``tag`` (members with the tag named
    ``field``), ``saved`` (a saved segment or tag by id) or ``raw`` (Mailchimp
    ``segment_opts`` given as is).
    """

    kind: str
    field: str = ""
    value: str = ""
    raw: Mapping[str, Any] | None = None

    def describe(self) -> str:
        if self.kind == "language":
            return f"Mailchimp language is '{self.value}'"
        if self.kind == "merge":
            return f"merge field {self.field} is '{self.value}'"
        if self.kind == "tag":
            return f"tag '{self.field}'"
        if self.kind == "saved":
            return f"saved segment {self.value}"
        return "custom segment_opts"


def parse_segment(spec: Any, lang: str, setting: str = "NEWSLETTER_SEGMENTS") -> Segment:
    """Read one language's segment from its setting, e.g. ``merge:LANGUAGE``."""
    if isinstance(spec, Mapping):
        if "conditions" not in spec and "saved_segment_id" not in spec:
            raise ConfigurationError(
                f"{setting}: the segment of '{lang}' is a dict without 'conditions' or "
                "'saved_segment_id'; give Mailchimp segment_opts or a text such as "
                f"'merge:{DEFAULT_LANGUAGE_FIELD}'"
            )
        return Segment("raw", raw=dict(spec))
    if not isinstance(spec, str) or not spec.strip():
        raise ConfigurationError(
            f"{setting}: the segment of '{lang}' must be a text such as "
            f"'merge:{DEFAULT_LANGUAGE_FIELD}', 'language', 'tag:Norsk' or 'saved:1234'"
        )
    kind, _, rest = spec.strip().partition(":")
    kind = kind.strip().lower()
    rest = rest.strip()
    if kind == "language":
        code = rest or MAILCHIMP_LANGUAGE_CODES.get(lang, lang)
        if not re.fullmatch(r"[a-z]{2}(_[A-Z]{2})?", code):
            raise ConfigurationError(
                f"{setting}: '{code}' is not a Mailchimp language code such as 'no' or 'sv'"
            )
        return Segment("language", "language", code)
    if kind == "merge":
        tag, _, value = rest.partition("=")
        tag = tag.strip()
        if not _TAG_RE.fullmatch(tag):
            raise ConfigurationError(
                f"{setting}: '{tag}' is not a merge tag (up to 10 capital letters, digits "
                f"or _, e.g. merge:{DEFAULT_LANGUAGE_FIELD})"
            )
        return Segment("merge", tag, value.strip() or lang)
    if kind == "tag" and rest:
        return Segment("tag", rest)
    if kind == "saved" and rest.isdigit():
        return Segment("saved", value=rest)
    raise ConfigurationError(
        f"{setting}: cannot read {spec!r} for '{lang}'; write 'merge:{DEFAULT_LANGUAGE_FIELD}', "
        "'language', 'language:no', 'tag:<tag name>' or 'saved:<segment id>'"
    )


def parse_segments(value: Any, languages: tuple[str, ...]) -> dict[str, Segment]:
    """Every language's segment: one spec for all, or a dict per language."""
    default = f"merge:{DEFAULT_LANGUAGE_FIELD}"
    if value is None or value == "":
        value = {}
    if isinstance(value, str) or (
        isinstance(value, Mapping) and ("conditions" in value or "saved_segment_id" in value)
    ):
        value = {lang: value for lang in languages}
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            "NEWSLETTER_SEGMENTS: give one segment for every language (e.g. 'merge:LANGUAGE') "
            "or a dict by language, e.g. {'nb': 'language:no', 'en': 'tag:English'}"
        )
    unknown = [lang for lang in value if lang not in languages]
    if unknown:
        raise ConfigurationError(
            f"NEWSLETTER_SEGMENTS: unknown language(s) {', '.join(map(str, unknown))}; "
            f"the site has {', '.join(languages)}"
        )
    return {lang: parse_segment(value.get(lang, default), lang) for lang in languages}


def _text(settings: Mapping[str, Any], name: str, default: str = "") -> str:
    value = settings.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ConfigurationError(f"{name}: must be text, not {type(value).__name__}")
    return value.strip()


def per_language(
    settings: Mapping[str, Any], name: str, languages: tuple[str, ...], default: Mapping[str, str]
) -> dict[str, str]:
    """A text setting given once for every language or as a dict by language;
    a language it leaves out gets its ``default`` ('' when it has none)."""
    value = settings.get(name)
    if isinstance(value, str) and value.strip().startswith("{"):  # from the environment
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ConfigurationError(f"{name}: the value is not valid JSON ({exc.msg})") from None
    if isinstance(value, Mapping):
        unknown = [lang for lang in value if lang not in languages]
        if unknown:
            raise ConfigurationError(
                f"{name}: unknown language(s) {', '.join(map(str, unknown))}; "
                f"the site has {', '.join(languages)}"
            )
        texts = {
            lang: _text({f"{name}['{lang}']": text}, f"{name}['{lang}']")
            for lang, text in value.items()
        }
        return {lang: texts.get(lang) or str(default.get(lang, "")) for lang in languages}
    one = _text(settings, name)
    return {lang: one or str(default.get(lang, "")) for lang in languages}


def _one_line(name: str, value: str) -> None:
    if any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in value):
        raise ConfigurationError(
            f"{name}: {value!r} holds a line break or another control character; "
            "write it on one line"
        )


def _number(
    settings: Mapping[str, Any], name: str, default: float, kind=float, positive: bool = False
) -> Any:
    """A number setting; ``positive`` ones must be above zero (a timeout of 0
    would make every request fail)."""
    value = settings.get(name, default)
    what = "a whole number" if kind is int else "a number"
    try:
        number = kind(value)
    except (TypeError, ValueError, OverflowError):
        raise ConfigurationError(f"{name}: {value!r} is not {what}") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise ConfigurationError(f"{name}: {value!r} is not {what}")
    if positive and number <= 0:
        raise ConfigurationError(f"{name}: must be more than 0 (it is {value!r}), e.g. {default}")
    if number < 0:
        raise ConfigurationError(f"{name}: must not be negative (it is {number})")
    return number


@dataclass(frozen=True)
class NewsletterSettings:
    backend: str
    outbox: str
    max_age_days: int
    from_names: Mapping[str, str]  # the sender's name of each language's emails
    reply_tos: Mapping[str, str]  # the sender's address of each language ('' = none)
    postal_address: str
    segments: Mapping[str, Segment]
    signup_url: str
    state_path: str
    lock_timeout: float
    audience_id: str
    api_url: str
    timeout: float
    retries: int
    backoff: float
    tips: TipsSettings = field(repr=False)

    @classmethod
    def from_pelican(cls, settings: Mapping[str, Any]) -> NewsletterSettings:
        for name in SECRET_SETTINGS:
            if settings.get(name):
                raise ConfigurationError(
                    f"{name}: remove it from the settings file; the key is read from the "
                    f"environment variable {name} only, so it never lands in the repository"
                )
        try:
            tips = TipsSettings.from_pelican(settings)
        except TipsConfigurationError as exc:
            raise ConfigurationError(str(exc)) from exc
        backend = _text(settings, "NEWSLETTER_BACKEND", "outbox").lower()
        if backend not in BACKENDS:
            raise ConfigurationError(
                f"NEWSLETTER_BACKEND: {backend!r} is not one of {', '.join(BACKENDS)}"
            )
        reply_tos = per_language(settings, "NEWSLETTER_REPLY_TO", tips.languages, {})
        for reply_to in reply_tos.values():
            if reply_to and not _EMAIL_RE.fullmatch(reply_to):
                raise ConfigurationError(
                    f"NEWSLETTER_REPLY_TO: {reply_to!r} is not an email address such as "
                    "tips@example.org"
                )
        signup_url = _text(settings, "NEWSLETTER_SIGNUP_URL")
        if signup_url and not signup_url.startswith(("https://", "http://")):
            raise ConfigurationError(
                f"NEWSLETTER_SIGNUP_URL: {signup_url!r} is not a web address; copy the "
                "form action of the audience's hosted signup form (https://…list-manage.com/"
                "subscribe/post?u=…&id=…)"
            )
        api_url = _text(settings, "MAILCHIMP_API_URL").rstrip("/")
        if api_url and not api_url.startswith(("https://", "http://")):
            raise ConfigurationError(
                f"MAILCHIMP_API_URL: {api_url!r} is not a base URL such as "
                "http://127.0.0.1:8025/3.0"
            )
        cache_root = settings.get("TIPS_CACHE_ROOT") or settings.get("CACHE_PATH") or "cache"
        # Both go into email headers (From, List-Id): a line break would start a new one.
        for lang, sitename in tips.sitenames.items():
            _one_line(f"TIPS_SITENAMES['{lang}']", str(sitename))
        # Each language's emails come from that language's site name unless told otherwise.
        from_names = per_language(settings, "NEWSLETTER_FROM_NAME", tips.languages, tips.sitenames)
        for from_name in from_names.values():
            _one_line("NEWSLETTER_FROM_NAME", from_name)
        return cls(
            backend=backend,
            outbox=_text(settings, "NEWSLETTER_OUTBOX", "outbox") or "outbox",
            max_age_days=_number(settings, "NEWSLETTER_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS, int),
            from_names=from_names,
            reply_tos=reply_tos,
            postal_address=_text(settings, "NEWSLETTER_POSTAL_ADDRESS"),
            segments=parse_segments(settings.get("NEWSLETTER_SEGMENTS"), tips.languages),
            signup_url=signup_url,
            state_path=_text(settings, "NEWSLETTER_STATE_PATH")
            or os.path.join(str(cache_root), "newsletter"),
            lock_timeout=_number(settings, "NEWSLETTER_LOCK_TIMEOUT", 300.0),
            audience_id=_text(settings, "MAILCHIMP_AUDIENCE_ID"),
            api_url=api_url,
            timeout=_number(settings, "MAILCHIMP_TIMEOUT", 30.0, positive=True),
            retries=_number(settings, "MAILCHIMP_RETRIES", 4, int),
            backoff=_number(settings, "MAILCHIMP_BACKOFF", 1.0),
            tips=tips,
        )

    def segment(self, lang: str) -> Segment:
        return self.segments[lang]

    def from_name(self, lang: str) -> str:
        """The sender's name of an email in ``lang``."""
        return self.from_names[lang]

    def reply_to(self, lang: str) -> str:
        """The sender's address of an email in ``lang`` ('' when none is set)."""
        return self.reply_tos[lang]

    def check_signup(self) -> None:
        """A production site must not ask readers to subscribe through a form that goes
        nowhere, nor show them the operator's instructions instead of the form."""
        if self.tips.signup and not self.signup_url:
            raise ConfigurationError(
                "NEWSLETTER_SIGNUP_URL: not set; copy the form action of the audience's hosted "
                "signup form (https://…list-manage.com/subscribe/post?u=…&id=…) into it, or set "
                "NEWSLETTER_SIGNUP = False for a site without signup"
            )

    def check_siteurl(self) -> None:
        """Emails are read far from the site: their links must be absolute."""
        if not self.tips.siteurl.startswith(("https://", "http://")):
            raise ConfigurationError(
                f"SITEURL: {self.tips.siteurl!r} is not an absolute address, and emails need "
                "one for their links; set SITEURL in the environment of `make publish`"
            )


def apply_environment(settings: dict[str, Any], environ: Mapping[str, str]) -> list[str]:
    """Let the environment override the newsletter settings (``make publish``).

    Returns the names taken from the environment. Values keep their text form
    except NEWSLETTER_SEGMENTS, which may be JSON, one spec for every language
    (``merge:LANGUAGE``) or ``nb=language:no,en=tag:English``.
    """
    taken = []
    for name in ENVIRONMENT_SETTINGS:
        if name not in environ:
            continue
        value: Any = environ[name]
        if name == "NEWSLETTER_SEGMENTS":
            value = _segments_from_text(value)
        settings[name] = value
        taken.append(name)
    return taken


def _segments_from_text(text: str) -> Any:
    text = text.strip()
    if text.startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigurationError(
                f"NEWSLETTER_SEGMENTS: the environment variable is not valid JSON ({exc.msg})"
            ) from None
    if "=" in text.split(":", 1)[0] or "," in text:
        pairs = {}
        for part in text.split(","):
            lang, sep, spec = part.partition("=")
            if not sep:
                raise ConfigurationError(
                    f"NEWSLETTER_SEGMENTS: {part!r} is not lang=segment, e.g. nb=language:no"
                )
            pairs[lang.strip()] = spec.strip()
        return pairs
    return text
