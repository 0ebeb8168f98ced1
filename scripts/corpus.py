"""The synthetic corpus of `make bench`, scripts.time_check and the large-site tests.

Weekly tips of about 400 words (headings, a list, links, emphasis), the same
slug and date in every language so translations link as real ones do, at the
paths of PRODUCT.md (:func:`tips_core.naming.tip_file_path`). The text comes
from small word lists: it reads like nothing, but each file has the size and
shape of a real tip. Options give the shape of a real site where not every
tip gets every translation and tips link to the week before; the same tips can
be written in Pelican's own format for the plain-Pelican baseline.

    .venv/bin/python -m scripts.corpus <content folder> [--files 5000]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys

from tips_core.naming import tip_file_path
from tips_core.weeks import IsoWeek

LANGUAGES = ("nb", "sv", "fi", "et", "en")
LAST_MONDAY = datetime.date(2025, 12, 29)  # the corpus ends in ISO week 1 of 2026
# The shape of `make check`'s large site: fi and et are left out every few
# weeks, and every few tips link to the one of the week before.
PARTIAL_EVERY = 4
PARTIAL_LANGUAGES = ("fi", "et")
LINK_EVERY = 3

# A small vocabulary per language: enough for text that Markdown parses like prose.
WORDS = {
    "nb": [
        "kunden",
        "service",
        "smil",
        "telefon",
        "svar",
        "hjelp",
        "lytt",
        "tid",
        "tillit",
        "feil",
        "løsning",
        "uke",
        "tips",
        "møte",
        "høflig",
        "rask",
        "ærlig",
        "oppfølging",
        "kollega",
        "spørsmål",
    ],
    "sv": [
        "kunden",
        "service",
        "leende",
        "telefon",
        "svar",
        "hjälp",
        "lyssna",
        "tid",
        "förtroende",
        "fel",
        "lösning",
        "vecka",
        "tips",
        "möte",
        "artig",
        "snabb",
        "ärlig",
        "uppföljning",
        "kollega",
        "fråga",
    ],
    "fi": [
        "asiakas",
        "palvelu",
        "hymy",
        "puhelin",
        "vastaus",
        "apu",
        "kuuntele",
        "aika",
        "luottamus",
        "virhe",
        "ratkaisu",
        "viikko",
        "vinkki",
        "tapaaminen",
        "kohtelias",
        "nopea",
        "rehellinen",
        "seuranta",
        "kollega",
        "kysymys",
    ],
    "et": [
        "klient",
        "teenindus",
        "naeratus",
        "telefon",
        "vastus",
        "abi",
        "kuula",
        "aeg",
        "usaldus",
        "viga",
        "lahendus",
        "nädal",
        "nõuanne",
        "kohtumine",
        "viisakas",
        "kiire",
        "aus",
        "järeltegevus",
        "kolleeg",
        "küsimus",
    ],
    "en": [
        "customer",
        "service",
        "smile",
        "phone",
        "answer",
        "help",
        "listen",
        "time",
        "trust",
        "mistake",
        "solution",
        "week",
        "tip",
        "meeting",
        "polite",
        "quick",
        "honest",
        "follow-up",
        "colleague",
        "question",
    ],
}
TAGS = ("phone", "email", "complaints", "trust", "listening", "follow-up", "queues", "tone")


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[:1].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: list[str]) -> str:
    return " ".join(_sentence(rng, words, rng.randint(8, 14)) for _ in range(7))


def tip_body(rng: random.Random, lang: str, index: int, link: str | None = None) -> str:
    """About 400 words: paragraphs, two subheadings, a list, links, emphasis;
    ``link`` (a content path) adds a link to another tip."""
    words = WORDS[lang]
    parts = [
        _paragraph(rng, words),
        _paragraph(rng, words),
        f"## {_sentence(rng, words, 4)[:-1]}",
        _paragraph(rng, words),
        "\n".join(f"- **{rng.choice(words)}**: {_sentence(rng, words, 7)}" for _ in range(4)),
        f"## {_sentence(rng, words, 3)[:-1]}",
        _paragraph(rng, words)
        + f" Read [more](https://example.com/{lang}/{index}) or see *the* archive.",
        _sentence(rng, words, 9)[:-1] + "?",
    ]
    if link:
        parts.append(f"[{_sentence(rng, words, 5)[:-1]}]({{filename}}{link})")
    return "\n\n".join(parts) + "\n"


def tip_date(index: int, weeks: int) -> datetime.datetime:
    """Fridays of consecutive weeks, the last of ``weeks`` one in the past."""
    day = LAST_MONDAY - datetime.timedelta(weeks=weeks - 1 - index) + datetime.timedelta(days=4)
    return datetime.datetime.combine(day, datetime.time(9, 0))


def tip_slug(index: int) -> str:
    return f"tip-{index:05d}"


def tip_path(root: str, index: int, weeks: int, lang: str) -> str:
    """The file of tip ``index`` (of ``weeks``) in ``lang`` under the content folder ``root``."""
    week = IsoWeek.of(tip_date(index, weeks).date())
    return tip_file_path(root, week, tip_slug(index), lang)


def week_languages(index: int, partial: bool) -> tuple[str, ...]:
    if partial and index % PARTIAL_EVERY == PARTIAL_EVERY - 1:
        return tuple(lang for lang in LANGUAGES if lang not in PARTIAL_LANGUAGES)
    return LANGUAGES


def weeks_for(files: int, partial: bool) -> int:
    """How many weeks of tips make ``files`` files."""
    weeks = written = 0
    while written < files:
        written += len(week_languages(weeks, partial))
        weeks += 1
    return weeks


def write_corpus(
    root: str,
    weeks: int,
    *,
    partial: bool = False,
    links: bool = False,
    files: int | None = None,
    pages: bool = True,
    seed: int = 8,
) -> list[str]:
    """Write ``weeks`` weekly tips under ``root`` (a content/ folder), in every
    language (or without PARTIAL_LANGUAGES every PARTIAL_EVERY weeks, with
    ``partial``), at most ``files`` of them; ``links`` makes every LINK_EVERY-th
    tip link to the week before; ``pages`` adds an about page per language.
    Returns the tips' paths."""
    rng = random.Random(seed)
    written: list[str] = []
    for index in range(weeks):
        date = tip_date(index, weeks)
        tags = rng.sample(TAGS, 2)
        for lang in week_languages(index, partial):
            if files is not None and len(written) == files:
                break
            link = None
            linked = links and index and index % LINK_EVERY == 0
            if linked and lang in week_languages(index - 1, partial):
                before = tip_path(root, index - 1, weeks, lang)
                link = "/" + os.path.relpath(before, root).replace(os.sep, "/")
            path = tip_path(root, index, weeks, lang)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(
                    "---\n"
                    f'title: "{_sentence(rng, WORDS[lang], 5)[:-1]}"\n'
                    f"date: {date:%Y-%m-%d %H:%M}\n"
                    f"lang: {lang}\n"
                    f"slug: {tip_slug(index)}\n"
                    "author: Bench Author\n"
                    f"tags: [{', '.join(tags)}]\n"
                    f'summary: "{_sentence(rng, WORDS[lang], 12)}"\n'
                    "---\n\n" + tip_body(rng, lang, index, link)
                )
            written.append(path)
    if pages:
        folder = os.path.join(root, "pages")
        os.makedirs(folder, exist_ok=True)
        for lang in LANGUAGES:
            with open(os.path.join(folder, f"about.{lang}.md"), "w", encoding="utf-8") as handle:
                handle.write(f'---\ntitle: "About"\nlang: {lang}\nslug: about\n---\n\nAbout.\n')
    return written


def write_large_site(root: str, files: int = 5000) -> list[str]:
    """The large site `make check` is timed and tested on: ``files`` tips, some
    untranslated, some linking to the week before, no pages."""
    weeks = weeks_for(files, partial=True)
    return write_corpus(root, weeks, partial=True, links=True, files=files, pages=False)


def write_pelican_corpus(root: str, pages: int, seed: int = 8) -> int:
    """The same number of pages in Pelican's own format, one language, one folder."""
    rng = random.Random(seed)
    os.makedirs(root, exist_ok=True)
    for n in range(pages):
        index, lang_index = divmod(n, len(LANGUAGES))
        lang = LANGUAGES[lang_index]
        date = tip_date(index, pages // len(LANGUAGES))
        tags = rng.sample(TAGS, 2)
        with open(os.path.join(root, f"tip-{n:05d}.md"), "w", encoding="utf-8") as handle:
            handle.write(
                f"Title: {_sentence(rng, WORDS['en'], 5)[:-1]}\n"
                f"Date: {date:%Y-%m-%d %H:%M}\n"
                f"Slug: tip-{n:05d}\n"
                "Author: Bench Author\n"
                f"Tags: {', '.join(tags)}\n"
                f"Summary: {_sentence(rng, WORDS['en'], 12)}\n\n" + tip_body(rng, lang, index)
            )
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", help="the content folder to write (created)")
    parser.add_argument("--files", type=int, default=5000)
    args = parser.parse_args(argv)
    paths = write_large_site(args.folder, args.files)
    print(f"Wrote {len(paths)} tips to {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
