"""The file-name conventions of PRODUCT.md, each written once.

A tip lives at ``content/tips/<ISO year>/<ISO year>-w<ww>-<slug>.<lang>.md``
(what `make new` writes, what `make check` points a misplaced tip to, what the
corpus generators follow); the outbox writes a tip's email to
``outbox/<lang>/<ISO year>-W<ww>-<slug>.eml``; the email a tip is, whatever
its slug, is named by its series, ISO week and language.
"""

from __future__ import annotations

import os
import re

from .weeks import IsoWeek

TIPS_FOLDER = "tips"  # under content/ (ARTICLE_PATHS)

TIP_FILE_RE = re.compile(r"(?P<year>\d{4})-w(?P<week>\d{2})-(?P<slug>.+)\.(?P<lang>[a-z]{2})\.md")
EMAIL_FILE_RE = re.compile(r"(?P<year>\d{4})-W(?P<week>\d{2})-(?P<slug>[a-z0-9-]+)\.eml")


def tip_file_name(week: IsoWeek, slug: str, lang: str) -> str:
    """``2021-w01-say-their-name.nb.md``."""
    return f"{week.year}-w{week.week:02d}-{slug}.{lang}.md"


def tip_file_path(
    content_root: str, week: IsoWeek, slug: str, lang: str, tips_folder: str = TIPS_FOLDER
) -> str:
    """Where a tip of ``week`` belongs under ``content_root`` (``PATH``)."""
    return os.path.join(content_root, tips_folder, str(week.year), tip_file_name(week, slug, lang))


def email_file_stem(week: IsoWeek, slug: str) -> str:
    """``2021-W01-say-their-name``: an email's file name without ``.eml`` (also the
    left part of its Message-ID)."""
    return f"{week.code}-{slug}"


def email_file_name(week: IsoWeek, slug: str) -> str:
    """``2021-W01-say-their-name.eml``, in the outbox folder of the email's language."""
    return f"{email_file_stem(week, slug)}.eml"


def slug_of_email_file(name: str) -> str | None:
    """The slug an outbox file name gives, or None for a name not of the convention."""
    match = EMAIL_FILE_RE.fullmatch(name)
    return match["slug"] if match else None


def email_identity(series: str, week: IsoWeek, lang: str) -> str:
    """``tip-of-the-week/2021-W01/nb``: the email a tip is (PRODUCT.md: the email of
    its series, ISO week and language), sent at most once whatever its slug or title."""
    return f"{series}/{week.code}/{lang}"


def week_of_email_file(name: str) -> IsoWeek | None:
    """The ISO week an outbox file name gives, or None for a name not of the convention."""
    match = EMAIL_FILE_RE.fullmatch(name)
    return IsoWeek(int(match["year"]), int(match["week"])) if match else None
