"""`make preview SLUG=<slug>`: a tip's page and email in every language, as
they will be when it is published. Opens nothing: prints the files, last.

The preview is built into cache/preview/ (TIPS_PREVIEW_PATH), only when
something changed since the last one, and `make serve` shows it at
http://127.0.0.1:8000/_preview/.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import time
from dataclasses import replace

import tips_core
from scripts.cli import add_settings_arguments, print_lines, run, settings_from
from scripts.newsletter_steps import write_outbox
from tips_app.email_checks import newsletter_enabled
from tips_app.pipeline import build, check, load_settings, site_model
from tips_app.previews import (
    PREVIEW_URL,
    PreviewResult,
    extract_emails,
    inputs_fingerprint,
    plan_preview,
    preview_outbox,
    preview_overrides,
    preview_root,
    read_stamp,
    write_index,
    write_stamp,
)
from tips_core.authoring_settings import AuthoringSettings
from tips_core.errors import ContentError
from tips_core.problems import display_path
from tips_core.site_settings import TipsSettings
from tips_core.source_file import TIP

PLUGINS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(tips_core.__file__)))


def write_preview_outbox(preview_settings: dict, summary, slug: str) -> None:
    """Have the newsletter write the preview build's due emails into the preview
    outbox (NEWSLETTER_OUTBOX points there), the previewed tip's drafts included."""
    summary.report.sources = [
        replace(source, fields={**source.fields, "status": "published"})
        if source.kind == TIP and source.fields.get("slug") == slug
        else source
        for source in summary.report.sources
    ]
    write_outbox(preview_settings, summary)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    add_settings_arguments(parser)
    parser.add_argument("--slug", default="", help="the tip to preview (make: SLUG)")
    parser.add_argument("--preview-dir", help="instead of TIPS_PREVIEW_PATH (cache/preview)")
    parser.add_argument("--rebuild", action="store_true", help="build even if nothing changed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)

    def action() -> int:
        # Unfinished work (TODOs) is what a preview is for: a warning here.
        settings = settings_from(args, TIPS_PREVIEW=True)
        tips = TipsSettings.from_pelican(settings)
        authoring = AuthoringSettings.from_pelican(settings)
        report = check(settings, datetime.datetime.now(tips.timezone))
        if report.errors:
            raise ContentError(report.errors)
        plan = plan_preview(report, args.slug.strip(), tips.languages)
        root = (
            os.path.abspath(args.preview_dir)
            if args.preview_dir
            else preview_root(args.settings, authoring.preview_path)
        )
        overrides = {"PATH": settings["PATH"], **preview_overrides(root, tips.siteurl, plan)}
        preview_settings = load_settings(args.settings, overrides)

        result = PreviewResult(plan)
        model = site_model(preview_settings, report, plan.moment, plan.slug)
        for source in plan.versions:
            result.pages[source.fields["lang"]] = os.path.join(
                preview_settings["OUTPUT_PATH"], model.entry(source.path).save_as
            )
        fingerprint = inputs_fingerprint(
            [settings["PATH"], settings["THEME"], PLUGINS_DIR],
            [os.path.abspath(args.settings)],
            plan,
        )
        fresh = read_stamp(root) == fingerprint and all(map(os.path.exists, result.pages.values()))
        lines = [
            f"Preview of '{plan.slug}' as the site will be on "
            f"{plan.moment:%A %Y-%m-%d %H:%M} ({tips.timezone.key}), when it is published."
        ]
        if fresh and not args.rebuild:
            lines.append("Nothing changed since the last preview: not built again.")
        else:
            started = time.perf_counter()
            for folder in ("outbox", "emails"):
                shutil.rmtree(os.path.join(root, folder), ignore_errors=True)
            summary = build(preview_settings, now=plan.moment, preview_slug=plan.slug)
            write_preview_outbox(preview_settings, summary, plan.slug)
            lines.append(
                f"Built the preview site in {time.perf_counter() - started:.1f} s "
                f"into {display_path(os.path.join(root, 'site'))}."
            )
        newsletter = newsletter_enabled(settings)
        extract_emails(result, root, preview_outbox(preview_settings) if newsletter else None)
        write_index(result, root)
        write_stamp(root, fingerprint)

        if plan.missing:
            lines.append(f"Not translated yet: {', '.join(plan.missing)}.")
        if result.email_note:
            lines.append(result.email_note)
        for lang, mail in result.emails.items():
            if mail.note:
                lines.append(f"Email ({lang}): {mail.note}.")
        lines.append(
            f"With make serve running, all of it is at {tips.siteurl or 'http://127.0.0.1:8000'}"
            f"{PREVIEW_URL}"
        )
        lines.extend(display_path(path) for path in result.paths())
        return print_lines(lines)

    return run(action)


if __name__ == "__main__":
    sys.exit(main())
