"""A synthetic corpus for `make bench`: N weekly tips in each of five languages.

Each tip has about 400 words with headings, a list and links, a few tags, and
the same slug and date in every language, so translations link as real ones
do. The same tips can be written in Pelican's own Markdown format, all in one
language, for the plain-Pelican baseline.
"""

from __future__ import annotations

import datetime
import os
import random

LANGUAGES = ("nb", "sv", "fi", "et", "en")
LAST_MONDAY = datetime.date(2025, 12, 29)  # the corpus ends in ISO week 1 of 2026

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


def tip_body(rng: random.Random, lang: str, index: int) -> str:
    """About 400 words: paragraphs, two subheadings, a list, links, emphasis."""
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
    return "\n\n".join(parts) + "\n"


def tip_date(index: int, count: int) -> datetime.datetime:
    """Fridays of consecutive weeks, the last one in the past whatever ``count``."""
    day = LAST_MONDAY - datetime.timedelta(weeks=count - 1 - index) + datetime.timedelta(days=4)
    return datetime.datetime.combine(day, datetime.time(9, 0))


def write_corpus(root: str, per_language: int, seed: int = 8) -> int:
    """Our format: content/tips/<year>/<year>-w<ww>-<slug>.<lang>.md. Returns files written."""
    rng = random.Random(seed)
    count = 0
    for index in range(per_language):
        date = tip_date(index, per_language)
        year, week, _ = date.isocalendar()
        slug = f"tip-{index:05d}"
        tags = rng.sample(TAGS, 2)
        for lang in LANGUAGES:
            folder = os.path.join(root, "tips", str(year))
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, f"{year}-w{week:02d}-{slug}.{lang}.md")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(
                    "---\n"
                    f'title: "{_sentence(rng, WORDS[lang], 5)[:-1]}"\n'
                    f"date: {date:%Y-%m-%d %H:%M}\n"
                    f"lang: {lang}\n"
                    f"slug: {slug}\n"
                    "author: Bench Author\n"
                    f"tags: [{', '.join(tags)}]\n"
                    f'summary: "{_sentence(rng, WORDS[lang], 12)}"\n'
                    "---\n\n" + tip_body(rng, lang, index)
                )
            count += 1
    pages = os.path.join(root, "pages")
    os.makedirs(pages, exist_ok=True)
    for lang in LANGUAGES:
        with open(os.path.join(pages, f"about.{lang}.md"), "w", encoding="utf-8") as handle:
            handle.write(f'---\ntitle: "About"\nlang: {lang}\nslug: about\n---\n\nAbout.\n')
    return count


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
