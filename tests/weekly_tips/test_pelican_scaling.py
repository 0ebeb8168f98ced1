"""Pelican's translation grouping, group by group, is Pelican's own result; the
tag, category and author lists Pelican does not write pages for are not gone
over; and a large site's build does neither in time that grows with the
square of its tips."""

from __future__ import annotations

import datetime
import logging
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

import pelican.generators
import pelican.utils
import pytest
from pelican.log import LimitFilter

from pelican.plugins.weekly_tips.pelican_scaling import (
    process_translations_by_group,
    skip_unwritten_lists,
)
from tests.conftest import build_site

NOW = datetime.datetime(2021, 2, 1, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))


class Item:
    """What Pelican's grouping reads of a tip: its id attributes, language,
    metadata and whether it is in the default language."""

    def __init__(self, number: int, slug: str, lang: str, translation: str | None):
        self.number, self.slug, self.lang = number, slug, lang
        self.metadata = {} if translation is None else {"translation": translation}
        self.in_default_lang = lang == "nb"
        self.source_path = f"/content/{number}-{slug}-{lang}.md"

    def __repr__(self) -> str:
        return f"Item({self.number})"


def random_items(rng: random.Random, count: int) -> list[Item]:
    slugs = [f"tip-{i}" for i in range(max(1, count // 3))]
    return [
        Item(
            i,
            rng.choice(slugs),
            rng.choice(("nb", "sv", "fi", "et", "en")),
            rng.choice((None, None, None, "true", "false")),
        )
        for i in range(count)
    ]


def grouped(function, items: list[Item], translation_id, caplog, monkeypatch) -> tuple:
    caplog.clear()
    # Pelican's log filter drops a message it has seen: each run starts unseen.
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())
    monkeypatch.setattr(LimitFilter, "_ignore", set())
    monkeypatch.setattr(LimitFilter, "_group_count", defaultdict(int))
    work = list(items)
    with caplog.at_level(logging.WARNING):
        index, translations = function(work, translation_id)
    return (
        [item.number for item in work],  # both sort the list they are given
        [item.number for item in index],
        [item.number for item in translations],
        {item.number: [t.number for t in item.translations] for item in items},
        [record.getMessage() for record in caplog.records],
    )


@pytest.mark.parametrize("seed", range(12))
def test_grouping_by_group_gives_pelicans_lists_translations_and_warnings(
    seed, caplog, monkeypatch
):
    rng = random.Random(seed)
    items = random_items(rng, rng.randint(0, 60))
    for translation_id in ("slug", ("slug", "lang"), None, ""):
        ours = grouped(process_translations_by_group, items, translation_id, caplog, monkeypatch)
        pelicans = grouped(
            pelican.utils.process_translations, items, translation_id, caplog, monkeypatch
        )
        assert ours == pelicans


def test_an_id_the_items_lack_is_pelicans_error():
    items = random_items(random.Random(1), 5)
    with pytest.raises(AttributeError, match="'translation_id'"):
        process_translations_by_group(items, "no_such_attribute")


def test_a_build_groups_translations_by_group_and_links_them(content, tmp_path):
    for lang, title in (("nb", "Smil"), ("en", "Smile")):
        content.tip(title=title, date="2021-01-08 09:00", lang=lang, slug="smil")
    site = build_site(tmp_path, content, now=NOW)
    assert pelican.generators.process_translations is process_translations_by_group
    alternates = {
        link["hreflang"]: link["href"]
        for link in site.html("2021/w01/smil/").select('link[rel="alternate"][hreflang]')
    }
    assert alternates["en"].endswith("/en/2021/w01/smil/")


class Generator:
    def __init__(self, settings: dict):
        self.settings = settings
        self.tags = {"service": ["a tip"]}
        self.categories = [("misc", ["a tip"])]
        self.authors = [("Kari", ["a tip"])]


def test_lists_without_pages_are_emptied_and_those_with_pages_kept():
    generator = Generator({"TAG_SAVE_AS": "", "CATEGORY_SAVE_AS": "", "AUTHOR_SAVE_AS": "a/"})
    skip_unwritten_lists(generator)
    assert generator.tags == {} and generator.categories == []
    assert generator.authors == [("Kari", ["a tip"])]
