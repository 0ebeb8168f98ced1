"""The text part: the tip's HTML as a person would type it."""

from __future__ import annotations

import markdown

from pelican.plugins.tip_newsletter.plain_text import html_to_text


def text_of(md: str) -> str:
    return html_to_text(markdown.markdown(md, extensions=["extra", "sane_lists"]))


def test_paragraphs_lists_and_quotes():
    assert text_of("One **bold** step.\n\n- first\n- second\n\n1. one\n2. two\n\n> quoted") == (
        "One bold step.\n\n- first\n- second\n\n1. one\n2. two\n\n> quoted\n"
    )


def test_links_keep_their_address_and_urls_are_never_broken():
    text = text_of(
        "See [the page](https://example.org/a/) and <https://example.org/" + "x" * 90 + ">."
    )
    assert "the page (https://example.org/a/)" in text
    assert "https://example.org/" + "x" * 90 in text.replace("\n", "")
    assert ("https://example.org/" + "x" * 90) in text.splitlines()[-1]


def test_long_lines_wrap_and_list_items_hang():
    text = text_of("- " + "word " * 30)
    lines = text.splitlines()
    assert all(len(line) <= 76 for line in lines)
    assert lines[0].startswith("- word") and lines[1].startswith("  word")


def test_an_email_link_shows_its_address_once():
    assert text_of("Write <kari@example.org>.").strip() == "Write kari@example.org."
