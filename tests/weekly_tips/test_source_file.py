"""Reading one content file: every problem, with its line and what to do."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from tips_core.source_file import PAGE, TIP, Rules, read_source

RULES = Rules(("nb", "sv", "fi", "et", "en"), ZoneInfo("Europe/Oslo"))

GOOD = """---
title: "Smil i telefonen"
date: 2011-02-25 10:54
lang: nb
slug: smil-i-telefonen
author: Kari Nordmann
tags: [telefon, førsteinntrykk]
summary: "Kunden hører smilet."
---

Smil når du svarer.
"""


def read(tmp_path, text, kind=TIP, name="tip.nb.md"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return read_source(str(path), kind, RULES)


def messages(source):
    return [(p.line, p.severity, p.message) for p in source.problems]


def test_a_good_tip_gives_typed_fields_and_their_lines(tmp_path):
    source = read(tmp_path, GOOD)
    assert source.ok, source.problems
    assert source.fields["date"] == datetime.datetime(
        2011, 2, 25, 10, 54, tzinfo=ZoneInfo("Europe/Oslo")
    )
    assert source.fields["tags"] == ["telefon", "førsteinntrykk"]
    assert source.fields["series"] == "tip-of-the-week"
    assert source.fields["newsletter"] is True
    assert source.fields["status"] == "published"
    assert source.line_of("date") == 3
    assert source.body.strip() == "Smil når du svarer."


def test_unquoted_colon_names_the_line_and_says_to_quote(tmp_path):
    source = read(tmp_path, GOOD.replace('"Smil i telefonen"', "Ukens tips (8-2011): Smil"))
    [(line, severity, message)] = messages(source)
    assert (line, severity) == (2, "error")
    assert "not valid YAML" in message and "double quotes" in message


def test_tab_indentation_is_explained(tmp_path):
    source = read(tmp_path, GOOD.replace("tags: [telefon, førsteinntrykk]", "tags:\n\t- telefon"))
    [(line, _, message)] = messages(source)
    assert line == 8
    assert "tabs" in message


def test_unclosed_quote(tmp_path):
    source = read(tmp_path, GOOD.replace('"Kunden hører smilet."', '"Kunden hører smilet.'))
    [(line, _, message)] = messages(source)
    assert line >= 8
    assert "quote is not closed" in message


def test_lang_no_is_read_as_false_and_said_so(tmp_path):
    source = read(tmp_path, GOOD.replace("lang: nb", "lang: no"))
    [(line, _, message)] = messages(source)
    assert line == 4
    assert "lang: no" in message and "lang: nb" in message


def test_every_problem_in_a_file_is_reported_not_just_the_first(tmp_path):
    text = GOOD.replace("lang: nb", "lang: de").replace("slug: smil-i-telefonen", "slug: ../etc")
    text = text.replace("date: 2011-02-25 10:54", "date: 2011-02-30 10:54")
    text = text.replace("author: Kari Nordmann\n", "")
    lines = {(line, message.split(":")[0]) for line, _, message in messages(read(tmp_path, text))}
    assert {line for line, _ in lines} == {1, 3, 4, 5}
    found = messages(read(tmp_path, text))
    assert any("2011-02-30 10:54 is not a real date" in m for _, _, m in found)
    assert any("unknown language 'de'" in m for _, _, m in found)
    assert any("slug '../etc'" in m for _, _, m in found)
    assert any("'author' is missing" in m for _, _, m in found)


@pytest.mark.parametrize(
    ("change", "line", "expected"),
    [
        (('title: "Smil i telefonen"', "title: [a, b]"), 2, "'title' must be text, not a list"),
        (("date: 2011-02-25 10:54", "date: 25.02.2011"), 3, "not a date like"),
        (("date: 2011-02-25 10:54", "date: 2011-02-25 10:54:00"), None, None),
        (("tags: [telefon, førsteinntrykk]", "tags: telefon"), 7, "tags must be a list"),
        (("slug: smil-i-telefonen", "slug: Smil i telefonen"), 5, "lowercase letters"),
        (("slug: smil-i-telefonen", "slug: a/b"), 5, "lowercase letters"),
        (("author: Kari Nordmann", "autor: Kari Nordmann"), 6, "did you mean 'author'?"),
        (("lang: nb", "lang: nb\nstatus: pending"), 5, "status 'pending' is not one of"),
        (("lang: nb", "lang: nb\nnewsletter: maybe"), 5, "newsletter must be true or false"),
        (("lang: nb", "lang: nb\nseries: other"), 5, "series 'other' is not one of"),
        (("lang: nb", "lang: nb\nlang: sv"), 5, "'lang' is given twice (also on line 4)"),
    ],
)
def test_field_problems(tmp_path, change, line, expected):
    source = read(tmp_path, GOOD.replace(*change))
    if expected is None:
        assert source.ok, source.problems
        return
    assert [(p.line, p.message) for p in source.problems if expected in p.message] != [], (
        source.problems
    )
    assert any(p.line == line for p in source.problems if expected in p.message)


def test_whole_file_problems_are_on_line_1(tmp_path):
    assert messages(read(tmp_path, ""))[0][:2] == (1, "error")
    assert "empty" in messages(read(tmp_path, "   \n\n"))[0][2]
    assert "no front matter" in messages(read(tmp_path, "Just text\n"))[0][2]
    assert "not closed" in messages(read(tmp_path, "---\ntitle: x\n"))[0][2]


def test_front_matter_without_text(tmp_path):
    source = read(tmp_path, GOOD.split("\n\nSmil")[0] + "\n")
    [(line, _, message)] = messages(source)
    assert line == 9
    assert "no text after the front matter" in message


def test_non_utf8_names_the_line_of_the_bad_byte(tmp_path):
    source = read(tmp_path, GOOD.encode("utf-8").replace("hører".encode(), b"h\xf8rer"))
    [(line, _, message)] = messages(source)
    assert line == 8
    assert "not UTF-8" in message


def test_bom_and_crlf_are_read_as_if_absent(tmp_path):
    source = read(tmp_path, ("\ufeff" + GOOD).replace("\n", "\r\n"))
    assert source.ok, source.problems
    assert source.fields["title"] == "Smil i telefonen"
    assert source.line_of("summary") == 8


def test_newlines_in_one_line_fields_become_spaces(tmp_path):
    source = read(tmp_path, GOOD.replace('"Smil i telefonen"', '"Smil\\ni telefonen"'))
    assert source.fields["title"] == "Smil i telefonen"


def test_too_many_tags(tmp_path):
    tags = ", ".join(f"t{i}" for i in range(2000))
    source = read(tmp_path, GOOD.replace("[telefon, førsteinntrykk]", f"[{tags}]"))
    [(line, _, message)] = messages(source)
    assert line == 7
    assert "2000 tags is too many" in message


def test_huge_file_is_refused_before_parsing(tmp_path):
    source = read(tmp_path, GOOD + "x" * 5_000_000)
    [(line, _, message)] = messages(source)
    assert line == 1
    assert "over 1 MB" in message


def test_pages_need_no_date_or_author(tmp_path):
    page = '---\ntitle: "Om oss"\nlang: nb\nslug: about\ntemplate: subscribe\n---\n\nHei.\n'
    source = read(tmp_path, page, kind=PAGE, name="about.nb.md")
    assert source.ok, source.problems
    assert source.fields["template"] == "subscribe"
