"""Everything an email says about one tip in one language, as plain data.

It is taken from the build (the tip as Pelican read it, with the week label,
URLs and share links the site already computed) and saved in the build's
manifest, so sending never reads or converts content again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any
from urllib.parse import urlencode

from tips_core.i18n import localized_date
from tips_core.naming import email_file_stem
from tips_core.weeks import IsoWeek

from .email_style import absolute_links

# Beside the tip's page, in the tip's folder: no folder of its own to make.
WEB_VERSION_PATH = "email.html"


@dataclass(frozen=True)
class EmailSource:
    key: str  # slug/lang: one tip in one language
    lang: str
    slug: str
    week_code: str  # 2021-W01
    week_label: str  # "Ukens tips (1-2021)"
    title: str
    summary: str
    date: str  # ISO 8601
    date_text: str  # as readers of the language write it
    author: str
    content_html: str  # the tip, links absolute
    url: str  # absolute URL of the tip
    web_url: str  # absolute URL of the email's web version
    home_url: str
    subscribe_url: str  # the page that says how to subscribe and leave
    sitename: str
    share_mailto: str
    share_web: tuple[tuple[str, str], ...]
    source_path: str

    @property
    def tracked_url(self) -> str:
        """The tip's link in the email, tagged so the site's statistics see the newsletter."""
        query = urlencode(
            {
                "utm_source": "newsletter",
                "utm_medium": "email",
                "utm_campaign": f"{self.week_code}-{self.slug}",
            }
        )
        return f"{self.url}?{query}"

    @property
    def week(self) -> IsoWeek:
        return IsoWeek.from_code(self.week_code)

    @property
    def file_stem(self) -> str:
        """``2021-W01-say-their-name``: the outbox's file name without ``.eml``."""
        return email_file_stem(self.week, self.slug)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["share_web"] = [list(pair) for pair in self.share_web]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EmailSource:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["share_web"] = tuple(tuple(pair) for pair in values.get("share_web", ()))
        return cls(**values)


def web_version_url(tip_url: str) -> str:
    """Relative URL of a tip's email web version, e.g. ``2021/w01/smile/email.html``."""
    return f"{tip_url}{WEB_VERSION_PATH}"


def from_tip(
    tip: Any, *, siteurl: str, sitename: str, home_url: str, subscribe_url: str, url: str = ""
) -> EmailSource:
    """The email source of a tip decorated by weekly_tips (week_label, share, …).

    ``url`` is the tip's relative URL when the caller has it (Pelican computes
    ``tip.url`` anew on every access).
    """
    url = url or tip.url
    week = IsoWeek.of(tip.date.date())
    return EmailSource(
        key=f"{tip.slug}/{tip.lang}",
        lang=tip.lang,
        slug=tip.slug,
        week_code=week.code,
        week_label=tip.week_label,
        title=tip.title,
        summary=tip.summary_text,
        date=tip.date.isoformat(),
        date_text=localized_date(tip.date, tip.lang, "long"),
        author=str(tip.author),
        content_html=absolute_links(tip.get_content(siteurl), siteurl),
        url=f"{siteurl}/{url}",
        web_url=f"{siteurl}/{web_version_url(url)}",
        home_url=home_url,
        subscribe_url=subscribe_url,
        sitename=sitename,
        share_mailto=tip.share.mailto,
        share_web=tuple(tip.share.web),
        source_path=tip.source_path,
    )
