"""The bad-input corpus: an author's mistakes, one file among good ones, fed to
`make check` and to `make build` (their programs' main).

An error exits 1 with a ``path:line: error: message`` line naming the file and
the line to fix, and the build writes nothing: the site built before it is
still in output/, byte for byte. A case that is handled safely exits 0, does
what the authoring guide says, and every other tip is still on the site.
Nothing prints a traceback.
"""

from __future__ import annotations

import codecs
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scripts import build as build_command
from scripts import check as check_command
from tests.conftest import PELICANCONF, page_text, tip_text

FOLDERS = ["--content", "content", "--output", "output", "--cache", "cache"]
NEW = "content/tips/2021/2021-w03-new-tip.nb.md"
NEW_URL = "2021/w03/new-tip/"
# The good site: these pages exist before every case and after every safe one.
TIP_PAGES = (
    "2021/w01/say-their-name/index.html",
    "sv/2021/w01/say-their-name/index.html",
    "en/2021/w01/say-their-name/index.html",
    "2021/w02/answer-every-question/index.html",
    "en/2021/w02/answer-every-question/index.html",
)


def tip(**changes) -> str:
    """The new tip of week 3 (lines: title 2, date 3, lang 4, slug 5, author 6,
    tags 7, summary 8, closing --- 9, body 11)."""
    fields = dict(
        title="Ny tips",
        date="2021-01-22 09:00",
        lang="nb",
        slug="new-tip",
        summary="Et nytt tips.",
        body="Svar på alle spørsmål.\n\nOgså de vanskelige.",
    )
    fields.update(changes)
    return tip_text(**fields)


def replaced(old: str, new: str, **changes) -> str:
    text = tip(**changes)
    assert old in text
    return text.replace(old, new)


@dataclass
class Case:
    """One mistake: the files it adds, and what check and build must say."""

    id: str
    files: dict[str, str | bytes]
    errors: list[tuple[str, int, str]] = field(default_factory=list)  # path, line, words
    warnings: list[tuple[str, int, str]] = field(default_factory=list)
    says: str = ""  # a line the build prints (safe cases)
    published: dict[str, str] = field(default_factory=dict)  # URL -> its h1 (safe cases)
    absent: list[str] = field(default_factory=list)  # URLs the safe build must not write
    unsaid: list[str] = field(default_factory=list)  # words no problem may hold (misleading)


def error(case_id: str, text: str | bytes, line: int, words: str, path: str = NEW) -> Case:
    return Case(case_id, {path: text}, errors=[(path, line, words)])


FIVE_MB = tip(body="Svar. " * 900_000)

CASES = [
    # Front matter that is not valid YAML.
    error(
        "unquoted-colon",
        replaced('title: "Ny tips"', "title: Uke 3: svar"),
        2,
        'a value holding ": " must be in double quotes',
    ),
    error(
        "tab-indentation",
        replaced("tags: [service]", "tags:\n\t- service"),
        8,
        "indent with spaces, not tabs",
    ),
    error(
        "unclosed-quote",
        replaced('title: "Ny tips"', 'title: "Ny tips'),
        2,
        "the quote that starts this value is not closed",
    ),
    error(
        "unsafe-yaml-tag",
        replaced('title: "Ny tips"', "title: !!python/object/apply:os.system [ls]"),
        2,
        "could not determine a constructor",
    ),
    error(
        "lists-nested-200000-deep",
        replaced("tags: [service]", "tags: " + "[" * 200_000 + "]" * 200_000),
        7,
        "the front matter nests lists more than 10 deep here",
    ),
    error(
        "front-matter-is-a-list",
        "---\n- title\n- date\n---\n\nSvar.\n",
        1,
        "the front matter must be fields such as 'title: ...'",
    ),
    error("field-given-twice", replaced("lang: nb\n", "lang: nb\nlang: sv\n"), 5, "given twice"),
    error(
        "unknown-field",
        replaced("summary:", "summmary:"),
        8,
        "unknown field 'summmary': did you mean 'summary'?",
    ),
    # The file's shape.
    error("missing-front-matter", "Svar på alle spørsmål.\n", 1, "the file has no front matter"),
    error("empty-file", "", 1, "the file is empty"),
    error("whitespace-only", "\n  \n\t\n", 1, "the file is empty"),
    error(
        "front-matter-only",
        tip().split("---\n\n")[0] + "---\n",
        9,
        "there is no text after the front matter",
    ),
    error(
        "front-matter-not-closed",
        tip().replace("---\n\n", "\n\n"),
        1,
        "the front matter is not closed",
    ),
    error("huge-file", FIVE_MB, 1, "the file is over 1 MB"),
    # Encodings and invisible characters.
    error(
        "latin-1",
        replaced('"Ny tips"', '"Nå tips"').encode("latin-1"),
        2,
        "the file is not UTF-8 text (byte 0xe5); save it as UTF-8",
    ),
    error(
        "utf-16",
        codecs.BOM_UTF16_LE + tip().encode("utf-16-le"),
        1,
        "the file is saved as UTF-16 text; save it as UTF-8",
    ),
    error(
        "utf-16-without-its-mark",
        tip().encode("utf-16-le"),
        1,
        "this line holds a NUL byte: delete it; if the file is full of them, it is saved as UTF-16",
    ),
    error(
        "nul-byte-in-the-body",
        tip(body="Svar\x00 på alle."),
        11,
        "this line holds a NUL byte: delete it",
    ),
    error(
        "escape-character-in-the-title",
        replaced('"Ny tips"', '"Ny\x1b[31m tips"'),
        2,
        "invisible control character (U+001B)",
    ),
    # Wrong types and values.
    error("lang-no", replaced("lang: nb", "lang: no"), 4, "lang: no is read by YAML as 'false'"),
    error("unknown-language", replaced("lang: nb", "lang: de"), 4, "unknown language 'de'"),
    error(
        "title-is-a-list",
        replaced('title: "Ny tips"', "title: [Ny, tips]"),
        2,
        "'title' must be text, not a list",
    ),
    error(
        "summary-is-fields",
        replaced('summary: "Et nytt tips."', "summary: {text: Et nytt tips.}"),
        8,
        "'summary' must be text, not a group of fields",
    ),
    error("empty-title", replaced('title: "Ny tips"', 'title: ""'), 2, "'title' is empty"),
    error(
        "missing-author",
        replaced("author: Kari Nordmann\n", ""),
        1,
        "'author' is missing: add 'author: ...'",
    ),
    error(
        "date-2011-02-30", tip(date="2011-02-30 09:00"), 3, "2011-02-30 09:00 is not a real date"
    ),
    error("hour-25", tip(date="2021-01-22 25:00"), 3, "is not a real date (hour must be in 0..23)"),
    error(
        "date-in-words",
        replaced("date: 2021-01-22 09:00", "date: next friday"),
        3,
        "'next friday' is not a date like 2021-02-26 09:00",
    ),
    error(
        "date-is-a-number",
        replaced("date: 2021-01-22 09:00", "date: 20210122"),
        3,
        "date must look like 2021-02-26 09:00, not int",
    ),
    error(
        "newsletter-maybe",
        replaced("lang: nb\n", "lang: nb\nnewsletter: maybe\n"),
        5,
        "newsletter must be true or false",
    ),
    error(
        "status-publish",
        replaced("lang: nb\n", "lang: nb\nstatus: publish\n"),
        5,
        "status 'publish' is not one of published, draft",
    ),
    # Slugs and addresses.
    error("slug-with-dot-dot", replaced("slug: new-tip", "slug: ../new-tip"), 5, "may hold only"),
    error("slug-with-spaces", replaced("slug: new-tip", "slug: new tip"), 5, "may hold only"),
    error("slug-with-a-slash", replaced("slug: new-tip", "slug: new/tip"), 5, "may hold only"),
    error(
        "two-thousand-tags",
        replaced("tags: [service]", "tags: [" + ", ".join(f"t{i}" for i in range(2000)) + "]"),
        7,
        "2000 tags is too many: a tip has at most 20",
    ),
    error(
        "two-spellings-of-one-topic",
        replaced("tags: [service]", "tags: [Service, service]"),
        7,
        "the tags 'Service' and 'service' would share one topic page (tags/service/)",
    ),
    error(
        "a-topic-without-letters",
        replaced("tags: [service]", 'tags: ["<>"]'),
        7,
        "the tag '<>' has no letter or digit to make the address of its topic page from",
    ),
    Case(
        "two-spellings-of-one-author",
        {NEW: replaced("author: Kari Nordmann", "author: kari nordmann")},
        errors=[
            (NEW, 6, "the authors 'Kari Nordmann' and 'kari nordmann' would share one author"),
            (
                "content/tips/2021/2021-w02-answer-every-question.nb.md",
                6,
                "would share one author page (authors/kari-nordmann/) in 'nb' (also in "
                f"content/tips/2021/2021-w01-say-their-name.nb.md:6, {NEW}:6)",
            ),
        ],
    ),
    Case(
        "two-files-with-one-slug-and-language",
        {NEW: tip(slug="answer-every-question")},
        errors=[
            (NEW, 5, "another tip in 'nb' has the slug 'answer-every-question'"),
            (
                "content/tips/2021/2021-w02-answer-every-question.nb.md",
                5,
                f"another tip in 'nb' has the slug 'answer-every-question' ({NEW})",
            ),
        ],
        unsaid=["this translation is in week"],  # they are not translations of each other
    ),
    Case(
        "duplicate-week",
        {NEW: tip(date="2021-01-14 09:00")},
        errors=[
            (NEW, 3, "week 2021-W02 already has a tip in 'nb'"),
            (
                "content/tips/2021/2021-w02-answer-every-question.nb.md",
                3,
                f"week 2021-W02 already has a tip in 'nb' ({NEW}:3)",
            ),
        ],
    ),
    error(
        "translation-in-another-week",
        tip(slug="say-their-name", lang="fi", title="Sano nimi"),
        3,
        "this translation is in week 2021-W03 but its 'nb' version",
        path="content/tips/2021/2021-w03-say-their-name.fi.md",
    ),
    error(
        "page-slug-of-a-language-home",
        page_text(title="Svensk", lang="nb", slug="sv"),
        4,
        "would be written to sv/index.html, in place of the home page of 'sv'",
        path="content/pages/svensk.nb.md",
    ),
    error(
        "tip-outside-content-tips",
        tip(),
        1,
        "a tip must be in content/tips/ to be published",
        path="content/new-tip.nb.md",
    ),
    error(
        "not-a-markdown-file",
        "Ideas for next week",
        1,
        "not a Markdown file, so it would not be published",
        path="content/tips/ideas.txt",
    ),
    error(
        "list-markers-500-deep",
        tip(body="Svar.\n\n" + "- " * 500 + "svar"),
        13,
        "this line nests lists or quotes 500 deep; Markdown cannot read more than 100",
    ),
    error(
        "sixteen-thousand-brackets",
        tip(body="Svar.\n\n" + "[" * 8000 + "\n" + "[" * 8000),
        13,
        "the text holds 16000 '[' characters, over 2000 by this line",
    ),
    error("todo-left-in", tip(body="TODO: write the tip"), 11, "a TODO from make new is still"),
    error(
        "link-to-a-missing-tip",
        tip(body="Se [forrige uke]({filename}/tips/2021/borte.nb.md)."),
        11,
        "points to content/tips/2021/borte.nb.md, which does not exist",
    ),
    # Handled safely, and said so where there is something to say.
    Case(
        "byte-order-mark",
        {NEW: codecs.BOM_UTF8 + tip().encode()},
        published={NEW_URL: "Ny tips"},
    ),
    Case(
        "crlf-line-ends",
        {NEW: tip().replace("\n", "\r\n").encode()},
        published={NEW_URL: "Ny tips"},
    ),
    Case(
        "date-without-a-time",
        {NEW: tip(date="2021-01-22")},
        published={NEW_URL: "Ny tips"},
    ),
    Case(
        "future-date",
        {"content/tips/2099/2099-w01-later.nb.md": tip(date="2099-01-02 09:00", slug="later")},
        warnings=[
            (
                "content/tips/2099/2099-w01-later.nb.md",
                3,
                "scheduled: stays off the site and the newsletter until 2099-01-02 09:00",
            )
        ],
        says="Scheduled: content/tips/2099/2099-w01-later.nb.md (nb) appears on 2099-01-02 09:00.",
        absent=["2098/w53/later/", "2099/w01/later/"],
    ),
    Case(
        "draft",
        {NEW: replaced("lang: nb\n", "lang: nb\nstatus: draft\n")},
        says=f"Draft, not published: {NEW}",
        absent=[NEW_URL],
    ),
    Case(
        "hidden-file",
        {"content/tips/2021/.2021-w03-new-tip.nb.md": tip()},
        warnings=[
            (
                "content/tips/2021/.2021-w03-new-tip.nb.md",
                1,
                "this file is hidden (its name or folder starts with '.'), so it is not published",
            )
        ],
        absent=[NEW_URL],
    ),
    Case(
        "markdown-among-the-images",
        {"content/images/new-tip.nb.md": tip()},
        warnings=[
            (
                "content/images/new-tip.nb.md",
                1,
                "a Markdown file in a folder of images is copied as it is, not published",
            )
        ],
        published={"images/new-tip.nb.md": ""},
        absent=[NEW_URL],
    ),
    Case(
        "an-image-beside-the-tips",
        {
            "content/images/smile.png": b"\x89PNG\r\n\x1a\n",
            NEW: tip(body="![Et smil]({static}/images/smile.png)"),
        },
        published={NEW_URL: "Ny tips", "images/smile.png": ""},
    ),
    Case(
        "a-time-that-daylight-saving-skips",
        {"content/tips/2021/2021-w12-new-tip.nb.md": tip(date="2021-03-28 02:30")},
        published={"2021/w12/new-tip/": "Ny tips"},
    ),
]


def test_the_corpus_has_at_least_30_cases_with_unique_ids():
    ids = [case.id for case in CASES]
    assert len(ids) >= 30 and len(set(ids)) == len(ids)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    """The good site, built once: content/, output/ and cache/ to copy per case."""
    root = tmp_path_factory.mktemp("good-site")

    def write(relpath: str, text: str) -> None:
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text, "utf-8")

    for lang, title in (("nb", "Si navnet"), ("sv", "Säg namnet"), ("en", "Say their name")):
        write(
            f"content/tips/2021/2021-w01-say-their-name.{lang}.md",
            tip_text(title=title, date="2021-01-08 09:00", lang=lang, slug="say-their-name"),
        )
    for lang, title in (("nb", "Svar på alt"), ("en", "Answer every question")):
        write(
            f"content/tips/2021/2021-w02-answer-every-question.{lang}.md",
            tip_text(title=title, date="2021-01-15 09:00", lang=lang, slug="answer-every-question"),
        )
    write("content/pages/about.nb.md", page_text(title="Om oss", lang="nb", slug="about"))
    code = build_command.main(
        [
            "--settings",
            PELICANCONF,
            *[str(root / arg) if i % 2 else arg for i, arg in enumerate(FOLDERS)],
        ]
    )
    assert code == 0
    return root


def run(main, capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--settings", PELICANCONF, *FOLDERS, *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def problem_lines(text: str, severity: str) -> list[str]:
    return [line for line in text.splitlines() if f": {severity}: " in line]


def assert_reported(lines: list[str], expected: list[tuple[str, int, str]], severity: str):
    for path, line, words in expected:
        prefix = f"{path}:{line}: {severity}: "
        assert any(x.startswith(prefix) and words in x for x in lines), (prefix, words, lines)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case: Case, good_site: Path, tmp_path: Path, monkeypatch, capsys):
    site = tmp_path / "site"
    shutil.copytree(good_site, site, symlinks=True)
    monkeypatch.chdir(site)
    before = snapshot(site / "output")
    for relpath, text in case.files.items():
        path = site / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    code, out, _err = run(check_command.main, capsys)
    assert code == (1 if case.errors else 0), out
    assert_reported(problem_lines(out, "error"), case.errors, "error")
    assert_reported(problem_lines(out, "warning"), case.warnings, "warning")
    if not case.errors:
        assert problem_lines(out, "error") == []
    for words in case.unsaid:
        assert words not in out

    code, out, err = run(build_command.main, capsys)
    if case.errors:
        assert code == 1
        assert_reported(problem_lines(err, "error"), case.errors, "error")
        assert err.splitlines()[-1].endswith(
            "in the content: nothing was built or sent. Fix the lines above and run the "
            "command again."
        )
        assert snapshot(site / "output") == before  # the last good site, untouched
        return
    assert code == 0, err
    if case.says:
        assert case.says in out.splitlines()
    output = site / "output"
    for page in TIP_PAGES:  # nothing else is lost
        assert (output / page).is_file(), page
    for url, heading in case.published.items():
        path = output / (url + "index.html" if url.endswith("/") else url)
        assert path.is_file(), url
        if heading:
            page = BeautifulSoup(path.read_text("utf-8"), "html.parser")
            assert page.h1.get_text(strip=True) == heading
    for url in case.absent:
        assert not (output / url).exists(), url
