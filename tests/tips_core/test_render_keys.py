"""Render keys say what a page shows, whenever they are derived: a key made
before another page read an object's URL equals one made after."""

from __future__ import annotations

from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category, Tag

from tips_core.render_cache import key_of, signature

SETTINGS = dict(DEFAULT_CONFIG)


def test_a_tag_signs_the_same_before_and_after_its_url_is_read():
    for kind in (Tag, Author, Category):
        wrapper = kind("Kundeservice", SETTINGS)
        before = signature(wrapper)
        assert wrapper.url  # Pelican copies name and slug into the object here
        assert "slug" in vars(wrapper)
        assert signature(wrapper) == before


def test_tags_that_show_differently_sign_differently():
    signed = {
        signature(Tag("Kundeservice", SETTINGS)),
        signature(Tag("Lytting", SETTINGS)),
        signature(Author("Kundeservice", SETTINGS)),
    }
    assert len(signed) == 3


def test_what_a_page_is_given_keeps_its_key_whatever_was_read_of_it():
    tags = [Tag("Smil", SETTINGS), Tag("Telefon", SETTINGS)]
    before = key_of("tag.html", {"tags": tags, "lang": "nb"})
    for tag in tags:
        assert tag.save_as and tag.page_name
    assert key_of("tag.html", {"tags": tags, "lang": "nb"}) == before
    assert key_of("tag.html", {"tags": tags[:1], "lang": "nb"}) != before


class _Shown:
    """An object whose template-visible value comes from a property, with a
    stale copy in its own attributes (as Pelican's URL wrappers leave one)."""

    def __init__(self, value: str, copy: str):
        self._value = value
        self.__dict__["value"] = copy
        self.note = "kept"

    @property
    def value(self) -> str:
        return self._value


def test_an_attribute_behind_a_property_is_not_what_is_signed():
    assert signature(_Shown("a", "stale")) == signature(_Shown("a", "other"))
