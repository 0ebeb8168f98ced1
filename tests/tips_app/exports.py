"""Small WordPress exports for tests: what the real ones in ../shared/imports
lack (a weekly series with typed labels, comments with addresses, hostile
markup, Polylang fields). Written the way WordPress 6 writes WXR 1.2."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Kundeservice i praksis</title>
  <link>https://gammel.example</link>
  <language>nb-NO</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://gammel.example</wp:base_site_url>
  <wp:base_blog_url>https://gammel.example</wp:base_blog_url>
  <wp:author>
    <wp:author_id>1</wp:author_id>
    <wp:author_login><![CDATA[kari]]></wp:author_login>
    <wp:author_email><![CDATA[kari@gammel.example]]></wp:author_email>
    <wp:author_display_name><![CDATA[Kari Nordmann]]></wp:author_display_name>
  </wp:author>
"""
WXR_TAIL = "</channel>\n</rss>\n"


@dataclass
class WpComment:
    author: str
    text: str
    date_gmt: str = "2011-02-26 10:00:00"
    approved: str = "1"
    kind: str = ""
    email: str = "leser@privat.example"
    ip: str = "203.0.113.77"
    agent: str = "Mozilla/5.0 (Secret Agent 9.9)"

    def xml(self, number: int) -> str:
        return f"""    <wp:comment>
      <wp:comment_id>{number}</wp:comment_id>
      <wp:comment_author><![CDATA[{self.author}]]></wp:comment_author>
      <wp:comment_author_email><![CDATA[{self.email}]]></wp:comment_author_email>
      <wp:comment_author_IP><![CDATA[{self.ip}]]></wp:comment_author_IP>
      <wp:comment_agent><![CDATA[{self.agent}]]></wp:comment_agent>
      <wp:comment_date><![CDATA[{self.date_gmt}]]></wp:comment_date>
      <wp:comment_date_gmt><![CDATA[{self.date_gmt}]]></wp:comment_date_gmt>
      <wp:comment_content><![CDATA[{self.text}]]></wp:comment_content>
      <wp:comment_approved><![CDATA[{self.approved}]]></wp:comment_approved>
      <wp:comment_type><![CDATA[{self.kind}]]></wp:comment_type>
    </wp:comment>
"""


@dataclass
class WpPost:
    post_id: int
    title: str
    body: str
    date_gmt: str  # "2011-02-25 09:00:00"
    slug: str = ""
    status: str = "publish"
    post_type: str = "post"
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    excerpt: str = ""
    password: str = ""
    date_local: str = ""
    comments: list[WpComment] = field(default_factory=list)
    link: str = ""
    attachment_url: str = ""
    lang: str = ""  # Polylang's language
    group: str = ""  # Polylang's translation group

    def xml(self) -> str:
        slug = self.slug
        link = self.link or (f"https://gammel.example/{slug}/" if slug else "")
        terms = "".join(
            f'    <category domain="category" nicename="{c.lower().replace(" ", "-")}">'
            f"<![CDATA[{c}]]></category>\n"
            for c in self.categories
        ) + "".join(
            f'    <category domain="post_tag" nicename="{t.lower().replace(" ", "-")}">'
            f"<![CDATA[{t}]]></category>\n"
            for t in self.tags
        )
        if self.lang:
            terms += f'    <category domain="language" nicename="{self.lang}">x</category>\n'
        if self.group:
            terms += (
                f'    <category domain="post_translations" nicename="{self.group}">x</category>\n'
            )
        comments = "".join(c.xml(self.post_id * 100 + i) for i, c in enumerate(self.comments))
        return f"""  <item>
    <title><![CDATA[{self.title}]]></title>
    <link>{link}</link>
    <dc:creator><![CDATA[kari]]></dc:creator>
    <content:encoded><![CDATA[{self.body}]]></content:encoded>
    <excerpt:encoded><![CDATA[{self.excerpt}]]></excerpt:encoded>
    <wp:post_id>{self.post_id}</wp:post_id>
    <wp:post_date><![CDATA[{self.date_local or _oslo(self.date_gmt)}]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[{self.date_gmt}]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[{slug}]]></wp:post_name>
    <wp:status><![CDATA[{self.status}]]></wp:status>
    <wp:post_type><![CDATA[{self.post_type}]]></wp:post_type>
    <wp:post_password><![CDATA[{self.password}]]></wp:post_password>
    <wp:attachment_url><![CDATA[{self.attachment_url}]]></wp:attachment_url>
{terms}{comments}  </item>
"""


def write_wxr(path: Path, posts: list[WpPost], extra: str = "") -> Path:
    path.write_text(WXR_HEAD + "".join(p.xml() for p in posts) + extra + WXR_TAIL, "utf-8")
    return path


def _oslo(date_gmt: str) -> str:
    """The old blog's local time of a GMT date: an hour later (winter in Oslo)."""
    moment = datetime.datetime.strptime(date_gmt, "%Y-%m-%d %H:%M:%S")
    return f"{moment + datetime.timedelta(hours=1):%Y-%m-%d %H:%M:%S}"


BLOGGER_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
 <id>tag:blogger.com,1999:blog-77.archive</id>
 <title type="text">Kundservice i praktiken</title>
 <link href="{base}/" rel="alternate" type="text/html"/>
 <entry>
  <id>tag:blogger.com,1999:blog-77.settings.BLOG_NAME</id>
  <category scheme="http://schemas.google.com/g/2005#kind"
    term="http://schemas.google.com/blogger/2008/kind#settings"/>
  <title type="text">Bloggens namn</title>
  <content type="text">Kundservice i praktiken</content>
 </entry>
"""


@dataclass
class BloggerPost:
    """A post of a Blogger backup, as Blogger writes it: its old address is
    ``<base>/<path>``, its time an ISO date with the blog's offset."""

    number: int
    title: str
    html: str
    published: str  # "2011-03-02T09:00:00.000+01:00"
    path: str  # "/2011/03/le-i-telefonen.html"

    def xml(self, base: str) -> str:
        return f"""
 <entry>
  <id>tag:blogger.com,1999:blog-77.post-{self.number}</id>
  <published>{self.published}</published>
  <category scheme="http://schemas.google.com/g/2005#kind"
    term="http://schemas.google.com/blogger/2008/kind#post"/>
  <title type="text">{self.title}</title>
  <content type="html">{escape(self.html)}</content>
  <link href="{base}{self.path}" rel="alternate" type="text/html"/>
  <author><name>Sara Svensson</name></author>
 </entry>
"""


def write_blogger(path: Path, base: str, posts: list[BloggerPost]) -> Path:
    text = BLOGGER_HEAD.format(base=base) + "".join(p.xml(base) for p in posts) + "</feed>\n"
    path.write_text(text, "utf-8")
    return path
