"""The newsletter step of the commands that build: build, serve and publish."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import Any

from pelican.plugins.tip_newsletter.backends import BaseBackend, get_backend
from pelican.plugins.tip_newsletter.dispatch import DispatchReport, send_due
from pelican.plugins.tip_newsletter.errors import NewsletterError
from pelican.plugins.tip_newsletter.settings import NewsletterSettings, apply_environment
from scripts.cli import settings_from


def newsletter_settings(
    args: argparse.Namespace, siteurl: str | None = None
) -> tuple[dict[str, Any], NewsletterSettings]:
    """The settings of a command that reads NEWSLETTER_BACKEND (publish, status,
    test-send): the settings file's, each NEWSLETTER_* and MAILCHIMP_* overridden
    by the environment variable of the same name; ``siteurl`` replaces SITEURL."""
    settings = settings_from(args, **({"SITEURL": siteurl.rstrip("/")} if siteurl else {}))
    apply_environment(settings, os.environ)
    return settings, NewsletterSettings.from_pelican(settings)


def send(
    settings: Mapping[str, Any],
    summary,
    backend: BaseBackend,
    environ: Mapping[str, str] | None = None,
) -> DispatchReport:
    """Send what the build made due. What was sent before a run-ending error is
    printed; with ``GITHUB_STEP_SUMMARY`` in ``environ`` (a GitHub Actions job),
    the run's table is added to the job's summary either way."""
    environ = environ if environ is not None else {}
    try:
        report = send_due(settings, summary, backend)
    except NewsletterError as exc:
        partial = getattr(exc, "partial_report", None)
        if partial is not None:
            for line in partial.lines():
                print(line)
            job_summary(partial, environ, error=str(exc))
        raise
    job_summary(report, environ)
    return report


def job_summary(report: DispatchReport, environ: Mapping[str, str], error: str = "") -> None:
    path = environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    text = report.markdown()
    if error:
        text += f"\n**The run stopped:** {error}\n"
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError as exc:
        print(f"warning: could not write the job summary {path}: {exc.strerror}", file=sys.stderr)


def report_problems(report: DispatchReport) -> int:
    """Print one line per failed or missed email to stderr; the exit code they mean."""
    for line in report.problem_lines():
        print(line, file=sys.stderr)
    return report.exit_code


def write_outbox(settings: Mapping[str, Any], summary) -> tuple[list[str], int]:
    """Development builds write due emails to the outbox, whatever else is configured.
    Returns the lines to print and the exit code (2 when an email could not be
    written; a missed one is only shown: the outbox is nobody's inbox)."""
    backend = get_backend(summary.newsletter, "outbox")
    report = send(settings, summary, backend)
    lines = report.short_lines()
    lines += [f"warning: {line.removeprefix('error: ')}" for line in report.problem_lines()]
    return lines, 2 if report.failed else 0
