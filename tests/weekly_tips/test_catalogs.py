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


def test_compiling_leaves_no_temporary_file_and_removes_an_interrupted_ones(tmp_path):
    from babel.support import Translations

    from tips_core.i18n import compile_catalogs

    folder = tmp_path / "nb" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes((TRANSLATIONS / "nb/LC_MESSAGES/messages.po").read_bytes())
    dead = folder / ".messages.mo.999999999.k3j2h1.tmp"  # a compile killed halfway
    dead.write_bytes(b"\x00half")
    compile_catalogs(str(tmp_path), ["nb"])
    assert sorted(p.name for p in folder.iterdir()) == ["messages.mo", "messages.po"]
    nb = Translations.load(str(tmp_path), ["nb"], "messages")
    assert nb.gettext("Tip of the week (%(week)s-%(year)s)") == "Ukens tips (%(week)s-%(year)s)"
