"""Which tips exist in which language, against the languages the site promises.

Translations are linked by slug, so a tip is its slug; it is translated into a
language when a file with that slug and language exists (a draft counts: the
translation is under way), and done unless it is a stub (the TODOs or the
quoted original of `make new` are still in it). A tip whose every version is a
draft is not counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .problems import WARNING, Problem
from .source_file import SourceFile


@dataclass
class Coverage:
    languages: tuple[str, ...]  # every language of the site, in its order
    promised: tuple[str, ...]
    tips: int = 0
    present: dict[str, int] = field(default_factory=dict)  # done: not a stub
    stubs: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def table(self) -> list[str]:
        """The completeness table `make check` prints, one line per language."""
        lines = [f"Translations, of {self.tips} tip{'s' if self.tips != 1 else ''}:"]
        for lang in self.languages:
            count = self.present.get(lang, 0)
            share = f"{100 * count // self.tips:3d}%" if self.tips else "   -"
            stubs = self.stubs.get(lang, 0)
            missing = self.tips - count - stubs
            note = f"  {stubs} stub{'s' if stubs != 1 else ''}" if stubs else ""
            note += f"  {missing} missing" if missing else ""
            if lang not in self.promised:
                note += "  (not promised: TIPS_PROMISED_LANGUAGES)"
            lines.append(f"  {lang}  {count:>{len(str(self.tips))}}/{self.tips} {share}{note}")
        return lines


def translation_coverage(
    tips: list[SourceFile],
    languages: tuple[str, ...],
    promised: tuple[str, ...],
    stubs: frozenset[str] = frozenset(),
) -> Coverage:
    """``stubs``: the paths of tips that still hold what `make new` left to do;
    such a version counts as a stub, not as done."""
    coverage = Coverage(languages, promised)
    by_slug: dict[str, list[SourceFile]] = defaultdict(list)
    for tip in tips:
        by_slug[tip.fields["slug"]].append(tip)
    order = {lang: i for i, lang in enumerate(languages)}
    present: dict[str, int] = defaultdict(int)
    stubbed: dict[str, int] = defaultdict(int)
    for slug, group in by_slug.items():
        if all(tip.fields["status"] == "draft" for tip in group):
            continue
        coverage.tips += 1
        langs = {tip.fields["lang"] for tip in group}
        done = {tip.fields["lang"] for tip in group if tip.path not in stubs}
        for lang in langs:
            if lang in done:
                present[lang] += 1
            else:
                stubbed[lang] += 1
        missing = [lang for lang in promised if lang not in langs]
        if missing:
            original = min(group, key=lambda t: order.get(t.fields["lang"], len(order)))
            coverage.problems.append(
                Problem(
                    original.path,
                    original.line_of("slug"),
                    f"not translated into {', '.join(missing)} yet "
                    f"(make new TIP_LANG={missing[0]} FROM={slug} starts one)",
                    WARNING,
                )
            )
    coverage.present = dict(present)
    coverage.stubs = dict(stubbed)
    return coverage
