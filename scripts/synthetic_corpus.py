"""A large synthetic corpus of tips: years of weekly tips in every language.

Used to time `make check` (scripts.time_check) and by the test that checks
5,000 files. The text is generated from small word lists: it reads like
nothing, but each file has the size and shape of a real tip (front matter,
headings, a list, a link to the week before).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys

LANGUAGES = ("nb", "sv", "fi", "et", "en")
# fi and et are left out every few weeks, as on a real site where not every
# tip gets every translation.
PARTIAL_EVERY = 4
PARTIAL_LANGUAGES = ("fi", "et")
LINK_EVERY = 3
START = datetime.datetime(2001, 1, 5, 9, 0)  # a Friday

WORDS_TEXT = {
    "nb": "kunde svar tid telefon hjelp smil spørsmål løsning lytt takk",
    "sv": "kund svar tid telefon hjälp leende fråga lösning lyssna tack",
    "fi": "asiakas vastaus aika puhelin apu hymy kysymys ratkaisu kuuntele kiitos",
    "et": "klient vastus aeg telefon abi naeratus küsimus lahendus kuula aitäh",
    "en": "customer answer time phone help smile question solution listen thanks",
}
WORDS = {lang: text.split() for lang, text in WORDS_TEXT.items()}


def tip_path(root: str, when: datetime.datetime, slug: str, lang: str) -> str:
    year, week, _ = when.isocalendar()
    return os.path.join(root, "tips", str(year), f"{year}-w{week:02d}-{slug}.{lang}.md")


def _sentence(rng: random.Random, words: list[str]) -> str:
    text = " ".join(rng.choice(words) for _ in range(rng.randint(8, 16)))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, words: list[str]) -> str:
    return " ".join(_sentence(rng, words) for _ in range(rng.randint(3, 5)))


def tip_text(number: int, lang: str, when: datetime.datetime, link: str | None) -> str:
    rng = random.Random(f"{number}-{lang}")
    words = WORDS[lang]
    body = [_paragraph(rng, words), _paragraph(rng, words), f"## {_sentence(rng, words)[:-1]}"]
    body.append("\n".join(f"- {_sentence(rng, words)}" for _ in range(4)))
    body.append(_paragraph(rng, words))
    if link:
        body.append(f"[{_sentence(rng, words)[:-1]}]({{filename}}{link})")
    summary = _sentence(rng, words)[:130]
    return (
        "---\n"
        f'title: "{words[number % len(words)].capitalize()} {number}"\n'
        f"date: {when:%Y-%m-%d %H:%M}\n"
        f"lang: {lang}\n"
        f"slug: tip-{number:05d}\n"
        "author: Kari Nordmann\n"
        f"tags: [{words[number % 7]}, {words[number % 5 + 1]}]\n"
        f'summary: "{summary}"\n'
        "---\n" + "\n\n".join(body) + "\n"
    )


def week_languages(number: int) -> tuple[str, ...]:
    if number % PARTIAL_EVERY == PARTIAL_EVERY - 1:
        return tuple(lang for lang in LANGUAGES if lang not in PARTIAL_LANGUAGES)
    return LANGUAGES


def write_corpus(root: str, files: int = 5000) -> list[str]:
    """Write ``files`` tips under ``root`` (a content/ folder); return their paths."""
    written: list[str] = []
    number = 0
    while len(written) < files:
        when = START + datetime.timedelta(weeks=number)
        before = START + datetime.timedelta(weeks=number - 1)
        for lang in week_languages(number):
            if len(written) == files:
                break
            link = None
            if number and number % LINK_EVERY == 0 and lang in week_languages(number - 1):
                link = "/" + os.path.relpath(
                    tip_path(root, before, f"tip-{number - 1:05d}", lang), root
                ).replace(os.sep, "/")
            path = tip_path(root, when, f"tip-{number:05d}", lang)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(tip_text(number, lang, when, link))
            written.append(path)
        number += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", help="the content folder to write (created)")
    parser.add_argument("--files", type=int, default=5000)
    args = parser.parse_args(argv)
    paths = write_corpus(args.folder, args.files)
    print(f"Wrote {len(paths)} tips to {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
