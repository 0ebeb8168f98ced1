"""The plain-text part of an email, from the same HTML as its HTML part.

Tips are short Markdown texts: paragraphs, lists, emphasis, links, now and
then a heading or a quote. This turns that HTML back into readable text the
way a person would type it: blank lines between blocks, ``-`` and ``1.``
before list items, ``> `` before quotes, and every link's address in
brackets after its text, so nothing a reader could click is lost.
"""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

WIDTH = 76
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "tr", "hr"}
_SPACE_RE = re.compile(r"\s+")


class _TextMaker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # (first-line prefix, text, in a list, first block after a list ended)
        self.blocks: list[tuple[str, str, bool, bool]] = []
        self.words: list[str] = []
        self.lists: list[list[int | None]] = []  # a counter per open list (None: bullets)
        self.quote = 0
        self.links: list[str | None] = []
        self.pre = 0
        self.prefix = ""
        self.list_ended = False  # the next list item starts a new list

    # Blocks --------------------------------------------------------------
    def flush(self) -> None:
        text = "".join(self.words)
        self.words = []
        if self.pre:
            if text.strip("\n"):
                self.blocks.append(("pre", text.strip("\n"), False, False))
            return
        text = _SPACE_RE.sub(" ", text).strip()
        if text:
            indent = "  " * max(len(self.lists) - 1, 0)
            prefix = "> " * self.quote + indent + self.prefix
            self.blocks.append((prefix, text, bool(self.lists), self.list_ended))
            self.prefix = ""
            self.list_ended = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCKS or tag in ("li", "blockquote", "ul", "ol", "br"):
            if tag == "br":
                self.words.append("\n" if self.pre else " ")
                return
            self.flush()
        if tag == "ul":
            self.lists.append([None])
        elif tag == "ol":
            self.lists.append([0])
        elif tag == "li" and self.lists:
            counter = self.lists[-1]
            if counter[0] is None:
                self.prefix = "- "
            else:
                counter[0] += 1
                self.prefix = f"{counter[0]}. "
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.words.append(f"[{alt}]")
        elif tag == "hr":
            self.blocks.append(("", "* * *", False, False))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            if href and not href.startswith("#"):
                address = href.removeprefix("mailto:")
                if not "".join(self.words).rstrip().endswith(address):
                    self.words.append(f" ({address})")
            return
        if tag in _BLOCKS or tag in ("li", "blockquote", "ul", "ol"):
            self.flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.list_ended = not self.lists
        elif tag == "blockquote" and self.quote:
            self.quote -= 1
        elif tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        self.words.append(data)


def html_to_text(html: str, width: int = WIDTH) -> str:
    """Readable plain text of a tip's HTML, wrapped at ``width`` columns."""
    maker = _TextMaker()
    maker.feed(html)
    maker.close()
    maker.flush()
    out = []
    previous_in_list = False
    for prefix, text, in_list, after_list in maker.blocks:
        if out:
            same_list = in_list and previous_in_list and not after_list
            out.append("\n" if same_list else "\n\n")
        previous_in_list = in_list
        if prefix == "pre":
            out.append(text)
            continue
        quote = prefix[: len(prefix) - len(prefix.lstrip("> "))] if prefix.startswith(">") else ""
        hang = quote + " " * (len(prefix) - len(quote))
        out.append(
            textwrap.fill(
                text,
                width=width,
                initial_indent=prefix,
                subsequent_indent=hang,
                break_long_words=False,  # never split a URL
                break_on_hyphens=False,
            )
        )
    return "".join(out).strip() + "\n"
