"""A post's HTML as Markdown, through markdownify (a kept library).

Before conversion the HTML is made plain and safe:

- WordPress keeps paragraphs as blank lines (its ``wpautop`` adds the
  ``<p>`` on display), so blank lines become paragraphs here too;
- shortcodes: ``[caption]`` becomes a figure, ``[code]``/``[sourcecode]`` a
  code block; any other is kept as text and reported;
- Blogger's ``<div>``/``<br>`` soup: two line breaks in a row end a paragraph;
- hostile markup: scripts, styles, frames, forms and event handlers go, links
  and images with a scheme other than http(s)/mailto (``javascript:``,
  ``data:``) lose it, and text that looks like markup is written ``&lt;``, so
  the Markdown never carries raw HTML it did not have to;
- links to other posts of the old blog become ``{filename}`` links, images
  the addresses the media step chose.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from markdownify import MarkdownConverter

DROPPED = ("script", "style", "iframe", "object", "embed", "form", "noscript", "template", "svg")
SAFE_SCHEMES = ("", "http", "https", "mailto")
_SHORTCODE_RE = re.compile(r"\[(/?)([a-z_][\w-]*)([^\]]*)\]", re.IGNORECASE)
_CAPTION_RE = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
_CODE_RE = re.compile(r"\[(code|sourcecode)([^\]]*)\](.*?)\[/\1\]", re.IGNORECASE | re.DOTALL)
_ATTR_RE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_BLOCK_TAG_RE = re.compile(
    r"^\s*</?(p|div|ul|ol|li|h[1-6]|pre|blockquote|table|figure|hr|dl)\b", re.IGNORECASE
)
_PRE_RE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
_BR_RUN_RE = re.compile(r"(?:<br\s*/?>\s*){2,}", re.IGNORECASE)
_BLANK_RUN_RE = re.compile(r"\n{3,}")
KNOWN_SHORTCODES = {"caption", "code", "sourcecode"}


@dataclass
class Converted:
    markdown: str
    images: list[str] = field(default_factory=list)  # image addresses, as in the HTML
    unknown_shortcodes: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # hostile or unsupported markup dropped


def autop(text: str) -> str:
    """WordPress's paragraphs: blank lines separate them (``<pre>`` kept whole)."""
    keep: list[str] = []

    def hold(match: re.Match) -> str:
        keep.append(match.group())
        return f"\x00{len(keep) - 1}\x00"

    text = _PRE_RE.sub(hold, text.replace("\r\n", "\n"))
    chunks = [c.strip() for c in re.split(r"\n\s*\n", text) if c.strip()]
    out = []
    for chunk in chunks:
        if _BLOCK_TAG_RE.match(chunk) or re.fullmatch(r"\x00\d+\x00", chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    joined = "\n\n".join(out)
    return re.sub(r"\x00(\d+)\x00", lambda m: keep[int(m.group(1))], joined)


def _attrs(text: str) -> dict[str, str]:
    return {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTR_RE.finditer(text)}


def shortcodes(text: str) -> tuple[str, list[str]]:
    """Known shortcodes as HTML; the names of the unknown ones left in the text."""

    def caption(match: re.Match) -> str:
        attrs = _attrs(match.group(1))
        inner = match.group(2)
        soup = BeautifulSoup(inner, "html.parser")
        image = soup.find("img")
        caption_text = attrs.get("caption", "")
        if image is not None:
            image_html = str(image.parent if image.parent and image.parent.name == "a" else image)
            rest = inner.replace(image_html, "", 1)
            caption_text = caption_text or BeautifulSoup(rest, "html.parser").get_text(" ")
        else:
            image_html = ""
        caption_html = html.escape(" ".join(caption_text.split()))
        return f"<figure>{image_html}<figcaption>{caption_html}</figcaption></figure>"

    def code(match: re.Match) -> str:
        attrs = _attrs(match.group(2))
        lang = re.sub(r"[^\w+-]", "", attrs.get("lang") or attrs.get("language") or "")
        body = html.escape(html.unescape(match.group(3)).strip("\n"))
        return (
            f'<pre><code class="language-{lang}">{body}</code></pre>'
            if lang
            else (f"<pre><code>{body}</code></pre>")
        )

    text = _CAPTION_RE.sub(caption, text)
    text = _CODE_RE.sub(code, text)
    unknown = sorted({m.group(2).lower() for m in _SHORTCODE_RE.finditer(text)} - KNOWN_SHORTCODES)
    return text, [u for u in unknown if _is_shortcode(text, u)]


def _is_shortcode(text: str, name: str) -> bool:
    """``[gallery ids="1,2"]`` is a shortcode; ``[sic]`` in a sentence rarely is,
    but a closing ``[/name]`` or attributes make it one."""
    return bool(re.search(rf"\[/{name}\]|\[{name}\s+\w+=", text, re.IGNORECASE))


def _safe_url(url: str) -> bool:
    scheme = urlsplit(url.strip()).scheme.lower()
    return scheme in SAFE_SCHEMES


class _Converter(MarkdownConverter):
    """markdownify, with figures kept as figures."""

    def convert_figure(self, el, text, parent_tags):
        image = el.find("img")
        caption = el.find("figcaption")
        caption_text = " ".join(caption.get_text(" ").split()) if caption is not None else ""
        parts = []
        if image is not None and image.get("src"):
            src = html.escape(image["src"])
            # An image without its own text is described by its caption.
            alt = html.escape(image.get("alt", "").strip() or caption_text)
            parts.append(f'<img src="{src}" alt="{alt}">')
        if caption_text:
            parts.append(f"<figcaption>{html.escape(caption_text)}</figcaption>")
        if not parts:
            return text
        return "\n\n<figure>\n" + "\n".join(parts) + "\n</figure>\n\n"

    def convert_figcaption(self, el, text, parent_tags):
        return text


def to_markdown(
    source_html: str,
    wordpress: bool,
    link_target: Callable[[str], str | None],
    image_target: Mapping[str, str] | None = None,
) -> Converted:
    """Markdown of a post's HTML; ``link_target`` maps an old blog address to a
    ``{filename}`` link (or None), ``image_target`` image addresses to new ones."""
    text, unknown = shortcodes(source_html)
    if wordpress:
        text = autop(text)
    text = _BR_RUN_RE.sub("</p><p>", text)
    soup = BeautifulSoup(f"<div>{text}</div>", "html.parser")
    result = Converted("", unknown_shortcodes=unknown)
    for tag in soup.find_all(DROPPED):
        result.removed.append(f"<{tag.name}>")
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag):
            continue
        for attribute in [a for a in tag.attrs if a.lower().startswith("on")]:
            del tag.attrs[attribute]
        if tag.name == "a" and tag.get("href") is not None:
            href = str(tag["href"])
            if not _safe_url(href):
                result.removed.append(f"a link to {urlsplit(href.strip()).scheme}:")
                del tag.attrs["href"]
            else:
                target = link_target(href)
                if target:
                    tag["href"] = target
        if tag.name == "img":
            src = str(tag.get("src", ""))
            if not src or not _safe_url(src):
                result.removed.append("an image without a web address")
                tag.decompose()
                continue
            result.images.append(src)
            if image_target and src in image_target:
                tag["src"] = image_target[src]
    _escape_markup_in_text(soup)
    markdown = _Converter(heading_style="ATX", bullets="-").convert_soup(soup)
    result.markdown = _tidy(markdown)
    return result


def _escape_markup_in_text(soup: BeautifulSoup) -> None:
    """Text that reads like markup (``&lt;script&gt;`` in the HTML) must stay
    text in Markdown, where a bare ``<`` starts raw HTML: written as ``&lt;``,
    which Markdown shows as ``<``. Code keeps its ``<`` (Markdown escapes it)."""
    for text in soup.find_all(string=True):
        if type(text) is NavigableString and "<" in text and not text.find_parent(["pre", "code"]):
            text.replace_with(text.replace("<", "&lt;"))


def _tidy(markdown: str) -> str:
    lines = [line.rstrip() if not line.strip() else line for line in markdown.split("\n")]
    # A hard break before a blank line is a paragraph end: drop its two spaces.
    for i in range(len(lines) - 1):
        if not lines[i + 1].strip() and lines[i].endswith("  "):
            lines[i] = lines[i].rstrip()
    text = "\n".join(line if line.strip() else "" for line in lines)
    return _BLANK_RUN_RE.sub("\n\n", text).strip() + "\n"


def plain_text(source_html: str) -> str:
    """The text of some HTML, one space between words (summaries, comments)."""
    soup = BeautifulSoup(source_html, "html.parser")
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def comment_text(source_html: str) -> str:
    """A comment as plain paragraphs: the archive shows text, never markup."""
    text = _BR_RUN_RE.sub("\n\n", autop(source_html))
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(["p", "li", "blockquote", "pre", "div"]):
        block.append("\n\n")  # inside: the parser drops blank text between blocks
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", soup.get_text())]
    return "\n\n".join(p for p in paragraphs if p)


def image_sources(source_html: str) -> list[str]:
    """The addresses of a post's images, in order, each once."""
    soup = BeautifulSoup(source_html, "html.parser")
    found: list[str] = []
    for image in soup.find_all("img"):
        src = str(image.get("src", "")).strip()
        if src and _safe_url(src) and src not in found:
            found.append(src)
    return found


def first_paragraph(source_html: str) -> str:
    """The text of a post's first paragraph that is not a heading: where its
    summary comes from when the post has no excerpt."""
    soup = BeautifulSoup(autop(_BR_RUN_RE.sub("\n\n", source_html)), "html.parser")
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    for paragraph in soup.find_all(["p", "li"]):
        text = " ".join(paragraph.get_text(" ").split())
        if text:
            return text
    return plain_text(source_html)
