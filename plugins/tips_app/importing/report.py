"""The closing report of `make import`: every item of the export by kind, and
what became of it; the files, redirects and media; how to choose another
series."""

from __future__ import annotations

from collections import Counter

from tips_core.problems import display_path

from .entries import KINDS
from .importer import ImportResult

PLURALS = {
    "post": "posts",
    "page": "pages",
    "attachment": "attachments",
    "comment": "comments",
    "menu item": "menu items",
    "other": "others",
}


def report_lines(result: ImportResult, command: str) -> list[str]:
    plan = result.plan
    export = plan.export
    verb = "Would import" if result.dry_run else "Imported"
    lines = [
        f'{verb} {display_path(export.path)} ({export.format}, "{export.title}") '
        f"in {result.seconds:.2f} s"
    ]
    series = plan.series
    if series.proposed:
        lines.append(
            f"Series: {series.describe()} (proposed). To choose another, run again with "
            "SERIES=<category, tag or title words> or SERIES=all, "
            f"e.g. {command} {series.argument()}"
        )
    else:
        lines.append(f"Series: {series.describe()} ({series.argument()})")
    lines.append("")
    lines.append("Items of the export, by kind:")
    counts = plan.counts()
    for kind in KINDS:
        results: Counter = counts.get(kind, Counter())
        total = sum(results.values())
        detail = "; ".join(f"{n} {what}" for what, n in sorted(results.items()))
        lines.append(f"  {PLURALS[kind]:12} {total:5}" + (f": {detail}" if detail else ""))
    lines.append("")
    lines.append("Every item:")
    for outcome in plan.outcomes:
        where = f" -> {display_path(outcome.path)}" if outcome.path else ""
        title = outcome.title.replace("\n", " ")[:60]
        lines.append(
            f'  {display_path(export.path)}:{outcome.line}: {outcome.kind} "{title}": '
            f"{outcome.result}{where}"
        )
    files = Counter(action for _path, action in result.file_actions)
    lines.append("")
    lines.append(
        "Files: "
        + (", ".join(f"{n} {what}" for what, n in sorted(files.items())) or "none")
        + (" (dry run: nothing was written)" if result.dry_run else "")
    )
    redirects = Counter(
        "added" if what == "added" else "already listed" for _s, _t, what in result.redirect_actions
    )
    lines.append(
        "Redirects (content/redirects.yaml): "
        + (", ".join(f"{n} {what}" for what, n in sorted(redirects.items())) or "none")
    )
    for source, _target, what in result.redirect_actions:
        if what.startswith("kept"):
            lines.append(f"  {source}: {what} (listed before this import)")
    for link, why in plan.unservable:
        lines.append(f"  not redirected: {link}: {why}")
    if result.media_actions:
        lines.append("Media:")
        lines.extend(f"  {address}: {what}" for address, what in result.media_actions)
    if result.pairs:
        lines.append(result.pairs)
    lines.append(f"Record: {display_path(result.record_path)}")
    if result.problems:
        lines.append("")
        lines.extend(str(p) for p in sorted(result.problems))
    return lines
