"""Every interface string is translated into every language of the site."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from tests.conftest import REPO

TRANSLATIONS = REPO / "theme" / "translations"


def catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def template_ids() -> set[str]:
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


@pytest.mark.parametrize("lang", ["nb", "sv", "fi", "et", "en"])
def test_every_message_is_translated(lang):
    messages = {m.id: m for m in catalog(lang) if m.id}
    assert set(messages) == template_ids(), "run `make messages` after changing strings"
    untranslated = [m.id for m in messages.values() if not m.string or m.fuzzy]
    assert untranslated == []


def test_the_template_holds_every_string_the_theme_uses():
    """`make messages` was run after the last change to a template or plugin."""

    used = set()
    for path in (REPO / "theme" / "templates").rglob("*.html"):
        used.update(re.findall(r"_\(\s*'([^']+)'", path.read_text("utf-8")))
        used.update(re.findall(r'_\(\s*"([^"]+)"', path.read_text("utf-8")))
    assert used <= template_ids()
