"""Everything an email says about one tip in one language, as plain data.

It is taken from the build (the tip as Pelican published it, and its value in
the site model: week label, URLs, share links) and handed to the sending step
in the build's summary, so sending never reads or converts content again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from tips_core.i18n import localized_date
from tips_core.model import Page, SiteModel, Tip
from tips_core.naming import email_file_stem
from tips_core.raw_html import sanitize_email_html
from tips_core.site_settings import TipsSettings
from tips_core.urls import SiteUrls
from tips_core.weeks import IsoWeek

from .email_style import absolute_links

# Beside the tip's page, in the tip's folder: no folder of its own to make.
WEB_VERSION_PATH = "email.html"
SUBSCRIBE_SLUG = "subscribe"


@dataclass(frozen=True)
class EmailSource:
    key: str  # slug/lang: one tip file's language version
    email_id: str  # series/ISO week/lang: the email it is, sent at most once
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


def web_version_url(tip_url: str) -> str:
    """Relative URL of a tip's email web version, e.g. ``2021/w01/smile/email.html``."""
    return f"{tip_url}{WEB_VERSION_PATH}"


def subscribe_page_url(pages: Iterable[Page], lang: str, default_lang: str) -> str | None:
    """The subscribe page of a language, else the default language's one."""
    live = {p.lang: p.url for p in pages if p.live and p.slug == SUBSCRIBE_SLUG}
    return live.get(lang) or live.get(default_lang)


def email_source(tip: Tip, content_html: str, site: SiteModel, tips: TipsSettings) -> EmailSource:
    """The email of a tip of the site model, whose text Pelican converted to
    ``content_html``: links made absolute, and only the HTML an email may carry
    (tips_core.raw_html)."""
    urls = SiteUrls(tips)
    siteurl = tips.siteurl
    home_url = urls.absolute(urls.home(tip.lang))
    subscribe = subscribe_page_url(site.pages, tip.lang, tips.default_lang)
    return EmailSource(
        key=tip.key,
        email_id=tip.email_id,
        lang=tip.lang,
        slug=tip.slug,
        week_code=tip.week.code,
        week_label=tip.week_label,
        title=tip.title,
        summary=tip.summary,
        date=tip.date.isoformat(),
        date_text=localized_date(tip.date, tip.lang, "long"),
        author=tip.author,
        content_html=sanitize_email_html(absolute_links(content_html, siteurl)),
        url=f"{siteurl}/{tip.url}",
        web_url=f"{siteurl}/{web_version_url(tip.url)}",
        home_url=home_url,
        subscribe_url=urls.absolute(subscribe) if subscribe is not None else home_url,
        sitename=tips.sitenames[tip.lang],
        share_mailto=tip.share.mailto,
        share_web=tuple(tip.share.web),
        source_path=tip.path,
    )
