"""`make new`: start the next tip of a language, or a translation of a tip.

    make new TIP_LANG=nb TITLE="Smil når du svarer"
    make new TIP_LANG=sv FROM=smile-on-the-phone

Prints what it did and, as its last line, the path of the new file.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import os
import subprocess
import sys

from scripts.cli import (
    add_now_argument,
    add_settings_arguments,
    now_from,
    print_lines,
    run,
    settings_from,
)
from tips_app.pipeline import check
from tips_app.scaffold import (
    ScaffoldError,
    new_tip_text,
    next_free_week,
    publish_date,
    translation_text,
    week_of_file_name,
)
from tips_core.authoring_settings import AuthoringSettings
from tips_core.content_check import ContentReport
from tips_core.holiday_check import holiday_message
from tips_core.i18n import Catalogs, language_name, translations_dir
from tips_core.naming import tip_file_path
from tips_core.problems import WARNING, Problem, display_path
from tips_core.site_settings import TipsSettings
from tips_core.slugs import slugify
from tips_core.source_file import SLUG_RE, SourceFile
from tips_core.weeks import DEFAULT_SERIES, IsoWeek, week_label

DATE_LINE = 3  # of what new_tip_text and translation_text write


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    parser.add_argument("--lang", default="", help="the tip's language (make: TIP_LANG)")
    parser.add_argument("--title", default="", help="the tip's title (make: TITLE)")
    parser.add_argument(
        "--from", dest="from_slug", default="", help="slug of the tip to translate (make: FROM)"
    )
    parser.add_argument("--slug", default="", help="instead of one made from the title (SLUG)")
    parser.add_argument("--author", default="", help="instead of git's user.name (AUTHOR)")
    parser.add_argument("--date", default="", help="the day, YYYY-MM-DD (make: DATE)")
    add_now_argument(parser)
    return parser.parse_args(argv)


def git_user_name() -> str | None:
    try:
        result = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    name = " ".join(result.stdout.split())
    return name if result.returncode == 0 and name else None


def choose_author(given: str, authoring: AuthoringSettings) -> str:
    author = " ".join(given.split()) or git_user_name() or authoring.default_author
    if not author:
        raise ScaffoldError(
            'who is writing? add AUTHOR="Your Name" to the command, or tell git once: '
            'git config --global user.name "Your Name"'
        )
    return author


def check_language(lang: str, tips: TipsSettings) -> str:
    lang = lang.strip()
    if not lang:
        hint = ""
        locale = os.environ.get("LANG", "")
        if locale in tips.languages:
            hint = (
                f": write TIP_LANG={locale}, not LANG={locale} (LANG is your system's "
                "locale setting)"
            )
        raise ScaffoldError(
            f"TIP_LANG is missing{hint or ': make new TIP_LANG=nb TITLE=...'}; "
            f"the languages are {', '.join(tips.languages)}"
        )
    if lang not in tips.languages:
        hint = " (Norwegian bokmål is nb)" if lang.lower() in ("no", "nn", "nob") else ""
        raise ScaffoldError(
            f"unknown language '{lang}'{hint}: TIP_LANG is one of {', '.join(tips.languages)}"
        )
    return lang


def write_new_file(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{display_path(path)} already exists: nothing was written") from None


def tips_of(report: ContentReport, slug: str) -> list[SourceFile]:
    return [tip for tip in report.tips if tip.fields["slug"] == slug]


def taken_weeks(report: ContentReport, lang: str) -> dict[IsoWeek, str]:
    """Every week of the series that a tip in ``lang`` holds, drafts included;
    a file whose front matter cannot be read holds the week of its name."""
    taken: dict[IsoWeek, str] = {}
    for source in report.sources:
        if source.ok and source.kind == "tip":
            if source.fields["lang"] == lang and source.fields["series"] == DEFAULT_SERIES:
                taken[IsoWeek.of(source.fields["date"].date())] = source.path
        elif not source.ok:
            named = week_of_file_name(source.path)
            if named and named[1] == lang:
                taken.setdefault(named[0], source.path)
    return taken


def new_tip(args, settings, tips: TipsSettings, authoring, report, now) -> list[str]:
    title = " ".join(args.title.split())
    if not title:
        raise ScaffoldError(
            'TITLE is missing: make new TIP_LANG=nb TITLE="Smile when you answer the phone" '
            "(or FROM=<slug> to translate a tip)"
        )
    lang = check_language(args.lang, tips)
    slug = args.slug.strip() or slugify(title)
    if not SLUG_RE.fullmatch(slug):
        raise ScaffoldError(
            f"no slug can be made from the title {title!r}: give one with SLUG=, "
            "e.g. SLUG=smile-on-the-phone (lowercase a-z, digits and hyphens)"
        )
    used = tips_of(report, slug)
    if used:
        raise ScaffoldError(
            f"the slug '{slug}' is taken by {display_path(used[0].path)}: the same slug makes "
            "a translation of that tip. Choose another with SLUG=..., or translate that tip "
            f"with FROM={slug}"
        )
    author = choose_author(args.author, authoring)
    taken = taken_weeks(report, lang)
    day = chosen_day(args.date)
    if day is None:
        week = next_free_week(taken, now.date())
        date = publish_date(week, authoring.publish_weekday, authoring.publish_time, tips.timezone)
    else:
        week = IsoWeek.of(day)
        if week in taken:
            raise ScaffoldError(
                f"{lang} already has a tip in week {week.code} ({display_path(taken[week])}): "
                "a series has one tip a week per language; choose a DATE in another week"
            )
        date = datetime.datetime.combine(day, authoring.publish_time, tzinfo=tips.timezone)
    path = tip_file_path(settings["PATH"], week, slug, lang)
    newest = max(
        (t for t in report.tips if t.fields["lang"] == lang and t.fields["status"] != "draft"),
        key=lambda t: t.fields["date"],
        default=None,
    )
    link = None
    if newest is not None:
        link = "/" + os.path.relpath(newest.path, settings["PATH"]).replace(os.sep, "/")
    write_new_file(
        path,
        new_tip_text(
            title=title,
            date=date,
            lang=lang,
            slug=slug,
            author=author,
            summary_max_length=authoring.summary_max_length,
            link_example=link,
        ),
    )
    catalogs = Catalogs(translations_dir(settings), tips.languages, tips.default_lang)
    lines = [
        f"New tip for {week_label(week, catalogs.gettext(lang))}, "
        f"by {author}: it appears on {date:%A %Y-%m-%d %H:%M} ({tips.timezone.key}).",
    ]
    if date <= now:
        lines.append(
            "That time has passed, so the tip appears with the first build after you push it."
        )
    lines.append(
        "Next: write the tip and its summary in place of every TODO, run make check, "
        f"then make preview SLUG={slug}."
    )
    return [*lines, *holiday_lines(path, date, lang, authoring), display_path(path)]


def chosen_day(value: str) -> datetime.date | None:
    """``DATE=YYYY-MM-DD``: the day of the new tip instead of the next publish day."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ScaffoldError(
            f"DATE={value} is not a day like 2026-12-23 (YYYY-MM-DD); nothing was written"
        ) from None


def holiday_lines(path: str, date: datetime.datetime, lang: str, authoring) -> list[str]:
    """A warning, in make check's form, when the tip falls on a public holiday."""
    country = authoring.holiday_countries.get(lang)
    message = holiday_message(country, date.date()) if country else None
    return [str(Problem(path, DATE_LINE, message, WARNING))] if message else []


def translation(args, settings, tips: TipsSettings, authoring, report) -> list[str]:
    slug = args.from_slug.strip()
    lang = check_language(args.lang, tips)
    versions = tips_of(report, slug)
    if not versions:
        slugs = sorted({t.fields["slug"] for t in report.tips})
        close = difflib.get_close_matches(slug, slugs, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ScaffoldError(f"no tip has the slug '{slug}' (FROM){hint}")
    existing = [v for v in versions if v.fields["lang"] == lang]
    if existing:
        raise ScaffoldError(
            f"'{slug}' is already in {lang}: {display_path(existing[0].path)}; nothing was written"
        )
    order = {code: i for i, code in enumerate(tips.languages)}
    original = min(versions, key=lambda v: order.get(v.fields["lang"], len(order)))
    week = IsoWeek.of(original.fields["date"].date())
    path = tip_file_path(settings["PATH"], week, slug, lang)
    if os.path.exists(path):
        raise ScaffoldError(f"{display_path(path)} already exists: nothing was written")
    other = taken_weeks(report, lang).get(week)
    if other is not None:
        raise ScaffoldError(
            f"{lang} already has a tip in week {week.code} ({display_path(other)}), and a "
            f"translation of '{slug}' must be in that week too: a series has one tip a week "
            "per language. Move one of them first"
        )
    author = " ".join(args.author.split()) or original.fields["author"]
    names = {code: language_name(code) for code in tips.languages}
    date = original.fields["date"]
    day = chosen_day(args.date)
    if day is not None:
        if IsoWeek.of(day) != week:
            raise ScaffoldError(
                f"DATE={day} is in week {IsoWeek.of(day).code}, but a translation is in its "
                f"original's week ({week.code}): choose a day from {week.monday} to "
                f"{week.monday + datetime.timedelta(days=6)}"
            )
        date = datetime.datetime.combine(day, date.timetz())
    write_new_file(
        path,
        translation_text(
            original=original,
            original_path=display_path(original.path),
            lang=lang,
            author=author,
            title=" ".join(args.title.split()) or None,
            language_names=names,
            date=date,
        ),
    )
    like = "like the original" if date == original.fields["date"] else "(DATE)"
    return [
        f"Translation of '{slug}' from {original.fields['lang']} into {lang}, "
        f"week {week.code}, dated {date:%Y-%m-%d %H:%M} {like}.",
        "Next: translate the quoted text, the title, summary and tags, delete every TODO, "
        f"run make check, then make preview SLUG={slug}.",
        *holiday_lines(path, date, lang, authoring),
        display_path(path),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)

    def action() -> int:
        settings = settings_from(args)
        tips = TipsSettings.from_pelican(settings)
        authoring = AuthoringSettings.from_pelican(settings)
        now = now_from(args.now, tips)
        report = check(settings, now)
        if args.from_slug.strip():
            lines = translation(args, settings, tips, authoring, report)
        else:
            lines = new_tip(args, settings, tips, authoring, report, now)
        return print_lines(lines)

    return run(action)


if __name__ == "__main__":
    sys.exit(main())
