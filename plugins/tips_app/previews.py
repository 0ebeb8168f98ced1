"""`make preview`: a tip's pages and emails, as they will be when it is published.

The preview is a whole site, built as it will be at the tip's date (so a
scheduled tip and its draft translations are in it, and later tips are not),
into its own folder: ``<preview>/site``, with ``<preview>/outbox`` as the
newsletter's outbox, so a preview never touches ``output/`` or the real outbox.
`make serve` serves the folder at ``/_preview/`` (PREVIEW_URL).

The emails come from the newsletter plugin: the preview build sets
``NEWSLETTER_BACKEND = "outbox"``, ``NEWSLETTER_OUTBOX = <preview>/outbox`` and
``TIPS_PREVIEW = True``, and reads back the ``.eml`` files where the outbox
backend says it wrote them, writing each one's HTML and text parts beside the
pages.
"""

from __future__ import annotations

import datetime
import difflib
import email
import email.policy
import html
import json
import os
from dataclasses import dataclass, field
from typing import Any

from pelican.plugins.tip_newsletter.backends.outbox import OutboxBackend
from pelican.plugins.tip_newsletter.settings import NewsletterSettings
from tips_core.content_check import ContentReport
from tips_core.errors import TipsError
from tips_core.fingerprint import fingerprint
from tips_core.naming import email_file_stem
from tips_core.problems import display_path
from tips_core.source_file import SourceFile
from tips_core.weeks import IsoWeek

from .email_checks import NEWSLETTER_PLUGIN

PREVIEW_URL = "/_preview/"


class PreviewError(TipsError):
    exit_code = 1


@dataclass
class PreviewPlan:
    slug: str
    versions: list[SourceFile]  # in the site's language order
    missing: list[str]  # site languages without a version
    moment: datetime.datetime  # when the last version is published

    @property
    def week(self) -> IsoWeek:
        return IsoWeek.of(self.versions[0].fields["date"].date())


@dataclass
class EmailPreview:
    lang: str
    html_path: str | None = None
    text_path: str | None = None
    note: str = ""


@dataclass
class PreviewResult:
    plan: PreviewPlan
    pages: dict[str, str] = field(default_factory=dict)  # lang -> file
    emails: dict[str, EmailPreview] = field(default_factory=dict)
    email_note: str = ""

    def paths(self) -> list[str]:
        """Every file of the preview, language by language: page, email HTML, email text."""
        out = []
        for source in self.plan.versions:
            lang = source.fields["lang"]
            out.append(self.pages[lang])
            mail = self.emails.get(lang)
            if mail and mail.html_path:
                out.append(mail.html_path)
            if mail and mail.text_path:
                out.append(mail.text_path)
        return out


def plan_preview(report: ContentReport, slug: str, languages: tuple[str, ...]) -> PreviewPlan:
    if not slug:
        raise PreviewError("SLUG is missing: make preview SLUG=<the slug of the tip>")
    versions = [tip for tip in report.tips if tip.fields["slug"] == slug]
    if not versions:
        slugs = sorted({tip.fields["slug"] for tip in report.tips})
        close = difflib.get_close_matches(slug, slugs, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise PreviewError(f"no tip has the slug '{slug}'{hint}")
    order = {lang: i for i, lang in enumerate(languages)}
    versions.sort(key=lambda tip: order.get(tip.fields["lang"], len(order)))
    present = {tip.fields["lang"] for tip in versions}
    return PreviewPlan(
        slug=slug,
        versions=versions,
        missing=[lang for lang in languages if lang not in present],
        moment=max(tip.fields["date"] for tip in versions),
    )


def preview_root(settings_file: str, preview_path: str) -> str:
    """The preview folder; a relative TIPS_PREVIEW_PATH is taken from the settings
    file's folder, as Pelican takes PATH and OUTPUT_PATH."""
    if os.path.isabs(preview_path):
        return preview_path
    return os.path.join(os.path.dirname(os.path.abspath(settings_file)), preview_path)


def preview_overrides(root: str, siteurl: str, plan: PreviewPlan) -> dict[str, Any]:
    """Settings of the preview build, on top of the author's settings."""
    return {
        "OUTPUT_PATH": os.path.join(root, "site"),
        "CACHE_PATH": os.path.join(root, "cache"),
        "SITEURL": f"{siteurl.rstrip('/')}{PREVIEW_URL}site",
        # Each preview is a site of its own moment: nothing of the last one stays.
        "DELETE_OUTPUT_DIRECTORY": True,
        # Pelican would hold a future tip back by the real clock; the build's
        # clock (the tip's date) decides instead.
        "WITH_FUTURE_DATES": True,
        "TIPS_PREVIEW": True,
        "NEWSLETTER_BACKEND": "outbox",
        "NEWSLETTER_OUTBOX": os.path.join(root, "outbox"),
    }


def inputs_fingerprint(folders: list[str], files: list[str], plan: PreviewPlan) -> str:
    """Changes when anything the preview is built from changes: every file under
    the folders (content, theme, plugins), the settings, the slug and its date."""
    return fingerprint((plan.slug, plan.moment.isoformat()), [*folders, *files])


def stamp_path(root: str) -> str:
    return os.path.join(root, "stamp.json")


def read_stamp(root: str) -> str | None:
    try:
        with open(stamp_path(root), encoding="utf-8") as handle:
            return json.load(handle).get("fingerprint")
    except (OSError, ValueError):
        return None


def write_stamp(root: str, fingerprint: str) -> None:
    with open(stamp_path(root), "w", encoding="utf-8") as handle:
        json.dump({"fingerprint": fingerprint}, handle)


def preview_outbox(preview_settings: dict[str, Any]) -> OutboxBackend:
    """The outbox the preview build writes its emails to (``NEWSLETTER_OUTBOX``)."""
    return OutboxBackend(NewsletterSettings.from_pelican(preview_settings))


def email_parts(path: str) -> tuple[str | None, str | None]:
    """The HTML and the text part of a multipart/alternative message."""
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    parts = {}
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("text/html", "text/plain") and kind not in parts:
            parts[kind] = part.get_content()
    return parts.get("text/html"), parts.get("text/plain")


def extract_emails(result: PreviewResult, root: str, outbox: OutboxBackend | None) -> None:
    """Each version's email, read back from where ``outbox`` wrote it; ``None`` when
    the newsletter plugin is not in PLUGINS."""
    plan = result.plan
    if outbox is None:
        result.email_note = (
            f"Emails: none rendered: the newsletter plugin ({NEWSLETTER_PLUGIN}) is not in "
            "PLUGINS, so there is no email to preview yet."
        )
        return
    for source in plan.versions:
        lang = source.fields["lang"]
        preview = EmailPreview(lang)
        result.emails[lang] = preview
        eml = outbox.path_for(lang, plan.week, plan.slug)
        if not os.path.exists(eml):
            preview.note = (
                "not emailed: newsletter: false"
                if source.fields.get("newsletter") is False
                else f"the newsletter wrote no email for it (expected {display_path(eml)})"
            )
            continue
        html_part, text_part = email_parts(eml)
        base = os.path.join(root, "emails", lang, email_file_stem(plan.week, plan.slug))
        os.makedirs(os.path.dirname(base), exist_ok=True)
        if html_part is not None:
            preview.html_path = base + ".html"
            with open(preview.html_path, "w", encoding="utf-8") as handle:
                handle.write(html_part)
        if text_part is not None:
            preview.text_path = base + ".txt"
            with open(preview.text_path, "w", encoding="utf-8") as handle:
                handle.write(text_part)
        if html_part is None or text_part is None:
            preview.note = f"{display_path(eml)} lacks an HTML or a text part"


def write_index(result: PreviewResult, root: str) -> str:
    """``<preview>/index.html``: what `make serve` shows at /_preview/."""
    plan = result.plan

    def link(path: str | None, label: str) -> str:
        if not path:
            return ""
        href = os.path.relpath(path, root).replace(os.sep, "/")
        if href.endswith("/index.html"):
            href = href[: -len("index.html")]
        return f'<a href="{html.escape(href)}">{html.escape(label)}</a>'

    rows = []
    for source in plan.versions:
        lang = source.fields["lang"]
        mail = result.emails.get(lang) or EmailPreview(lang)
        cells = [
            html.escape(lang),
            html.escape(source.fields["title"]),
            link(result.pages.get(lang), "page"),
            link(mail.html_path, "email (HTML)"),
            link(mail.text_path, "email (text)"),
            html.escape(mail.note),
        ]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    notes = [f"Not translated yet: {', '.join(plan.missing)}."] if plan.missing else []
    if result.email_note:
        notes.append(result.email_note)
    page = (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>Preview: {html.escape(plan.slug)}</title></head>\n<body>\n"
        f"<h1>Preview: {html.escape(plan.slug)}</h1>\n"
        f"<p>The site as it will be on {plan.moment:%A %Y-%m-%d %H:%M}, when the tip is "
        "published. Run <code>make preview SLUG=…</code> again after editing.</p>\n"
        + "".join(f"<p>{html.escape(note)}</p>\n" for note in notes)
        + "<table>\n<thead><tr><th>Language</th><th>Title</th><th>Page</th>"
        "<th>Email</th><th>Email</th><th>Note</th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</body>\n</html>\n"
    )
    path = os.path.join(root, "index.html")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(page)
    return path
