"""An incremental build writes exactly what a clean build of the same content writes.

A seeded random sequence of ordinary author edits (tips and translations
added, removed and renamed, slugs, titles, tags, authors, dates, page titles,
links between tips in both of Pelican's forms, templates and catalogs) is
applied to one content folder. After each edit the site is built twice: into
a persistent output/ and cache/ (incremental), and into fresh folders (clean).
The two outputs must hold the same files, byte for byte.

The search index (pagefind) names its chunks by a hash of their content, so
equal content has equal names: the incremental pagefind/ folder must hold the
same files as the clean one. In particular a chunk the current index does not
reach (a leftover of an earlier index) fails the test. The entry file too:
the build writes its languages in order, whichever were indexed again.

``TIPS_PROPERTY_STEPS`` sets the number of edits (default 12) and
``TIPS_PROPERTY_SEED`` the seed (default: random, printed on failure).
"""

from __future__ import annotations

import datetime
import difflib
import os
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import REPO, ContentTree, build_site, settings_for
from tips_app.live_site import LiveSite
from tips_app.pipeline import BuildSummary, finish_search
from tips_core import forked

NOW = datetime.datetime(2021, 3, 1, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))
LANGS = ("nb", "sv", "en")
AUTHORS = ("Kari Nordmann", "Ola Nordmann", "Jane Doe")
TAGS = ("phone", "email", "listening", "service")
# ISO weeks a tip can be in: across a year boundary with a week 53, and one
# week after NOW (a scheduled tip, off the site).
WEEKS = [(2020, w) for w in range(49, 54)] + [(2021, w) for w in range(1, 11)]
PAGE_SLUGS = ("about",)

# Template edits: (template, anchor) -> the anchor with a marker before it.
TEMPLATE_ANCHORS = (
    ("base.html", "</footer>"),
    ("article.html", '<nav class="week-nav"'),
    ("week.html", "{% endblock %}"),
    ("index.html", "{% endblock %}"),
    ("page.html", "{% endblock %}"),
    ("partials/share.html", None),  # appended
    ("email/tip.html", "</body>"),
)
CATALOG_MSGIDS = ("Previous week", "Tip of the week", "Written by", "Topics")
# Edits of a tip's text alone (its front matter the same).
TEXT_EDITS = ("reword", "add_link", "remove_link")


@dataclass
class Link:
    target: tuple[int, str]  # (tip id, lang) or (-1, page slug lang)
    form: str  # "{filename}" or "|filename|"


@dataclass
class Version:
    title: str
    author: str
    tags: tuple[str, ...]
    path: str  # relative to content/
    links: list[Link] = field(default_factory=list)
    words: str = "Smile, listen, and help."


@dataclass
class Tip:
    slug: str
    week: tuple[int, int]
    day: int  # 1..7, ISO weekday
    hour: int
    versions: dict[str, Version] = field(default_factory=dict)

    def date(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.week[0], self.week[1], self.day)

    def date_text(self) -> str:
        return f"{self.date():%Y-%m-%d} {self.hour:02d}:00"


def conventional_path(slug: str, week: tuple[int, int], lang: str) -> str:
    year, number = week
    return f"tips/{year}/{year}-w{number:02d}-{slug}.{lang}.md"


class Site:
    """The content as a model; ``write`` makes content/ match it."""

    def __init__(self, root: Path, rng: random.Random):
        self.root = root
        self.rng = rng
        self.tips: dict[int, Tip] = {}
        self.pages: dict[str, Version] = {}  # lang -> the about page
        self.next_id = 0
        self.counter = 0
        self.written: dict[str, str] = {}

    # -- the model -----------------------------------------------------------
    def fresh(self, word: str) -> str:
        self.counter += 1
        return f"{word}{self.counter}"

    def free_weeks(self) -> list[tuple[int, int]]:
        taken = {t.week for t in self.tips.values()}
        return [w for w in WEEKS if w not in taken]

    def new_tip(self, langs: tuple[str, ...]) -> int:
        week = self.rng.choice(self.free_weeks())
        slug = self.fresh("tip")
        tip = Tip(slug, week, self.rng.randint(1, 7), self.rng.choice((9, 12, 23)))
        for lang in langs:
            tip.versions[lang] = self.new_version(tip, lang)
        self.tips[self.next_id] = tip
        self.next_id += 1
        return self.next_id - 1

    def new_version(self, tip: Tip, lang: str) -> Version:
        return Version(
            title=self.fresh(f"Title {lang} "),
            author=self.rng.choice(AUTHORS),
            tags=tuple(self.rng.sample(TAGS, self.rng.randint(0, 2))),
            path=conventional_path(tip.slug, tip.week, lang),
        )

    def targets(self) -> list[tuple[int, str]]:
        return [(i, lang) for i, t in self.tips.items() for lang in t.versions] + [
            (-1, lang) for lang in self.pages
        ]

    def target_path(self, target: tuple[int, str]) -> str | None:
        tip_id, lang = target
        if tip_id == -1:
            page = self.pages.get(lang)
            return page.path if page else None
        tip = self.tips.get(tip_id)
        version = tip.versions.get(lang) if tip else None
        return version.path if version else None

    def every_version(self) -> list[tuple[Tip | None, str, Version]]:
        return [(t, lang, v) for t in self.tips.values() for lang, v in t.versions.items()] + [
            (None, lang, v) for lang, v in self.pages.items()
        ]

    def drop_dangling_links(self) -> None:
        """What an author does (the check says so) after removing a file."""
        for _tip, _lang, version in self.every_version():
            version.links = [k for k in version.links if self.target_path(k.target) is not None]

    # -- files ---------------------------------------------------------------
    def text_of(self, tip: Tip | None, lang: str, version: Version) -> str:
        lines = [version.words, ""]
        for n, link in enumerate(version.links):
            lines.append(f"See [link {n}]({link.form}/{self.target_path(link.target)}).")
            lines.append("")
        body = "\n".join(lines)
        if tip is None:
            head = f'title: "{version.title}"\nlang: {lang}\nslug: about\n'
        else:
            tags = ", ".join(version.tags)
            head = (
                f'title: "{version.title}"\ndate: {tip.date_text()}\nlang: {lang}\n'
                f"slug: {tip.slug}\nauthor: {version.author}\ntags: [{tags}]\n"
                f'summary: "About {version.title}."\n'
            )
        return f"---\n{head}---\n\n{body}"

    def write(self) -> None:
        wanted = {v.path: self.text_of(t, lang, v) for t, lang, v in self.every_version()}
        for path in set(self.written) - set(wanted):
            (self.root / path).unlink()
        for path, text in wanted.items():
            if self.written.get(path) != text:
                target = self.root / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, "utf-8")
        self.written = wanted


class Edits:
    """Ordinary author edits, each returning a line for the failure message."""

    def __init__(self, site: Site, theme: Path, rng: random.Random):
        self.site, self.theme, self.rng = site, theme, rng

    def pick_tip(self) -> tuple[int, Tip]:
        tip_id = self.rng.choice(sorted(self.site.tips))
        return tip_id, self.site.tips[tip_id]

    def pick_version(self) -> tuple[Tip, str, Version]:
        _, tip = self.pick_tip()
        lang = self.rng.choice(sorted(tip.versions))
        return tip, lang, tip.versions[lang]

    def add_tip(self) -> str:
        if not self.site.free_weeks():
            return self.retitle()
        langs = tuple(self.rng.sample(LANGS, self.rng.randint(1, 2)))
        tip = self.site.tips[self.site.new_tip(langs)]
        return f"add tip {tip.slug} in {tip.week} ({', '.join(langs)})"

    def remove_tip(self) -> str:
        if len(self.site.tips) <= 2:
            return self.add_tip()
        tip_id, tip = self.pick_tip()
        del self.site.tips[tip_id]
        self.site.drop_dangling_links()
        return f"remove tip {tip.slug}"

    def add_translation(self) -> str:
        _, tip = self.pick_tip()
        missing = [lang for lang in LANGS if lang not in tip.versions]
        if not missing:
            return self.remove_translation()
        lang = self.rng.choice(missing)
        tip.versions[lang] = self.site.new_version(tip, lang)
        return f"add translation {tip.slug}.{lang}"

    def remove_translation(self) -> str:
        _, tip = self.pick_tip()
        if len(tip.versions) < 2:
            return self.add_translation()
        lang = self.rng.choice(sorted(tip.versions))
        del tip.versions[lang]
        self.site.drop_dangling_links()
        return f"remove translation {tip.slug}.{lang}"

    def rename_file(self) -> str:
        """Rename a file without changing its content (links to it follow)."""
        tip, lang, version = self.pick_version()
        old = version.path
        version.path = conventional_path(self.site.fresh(tip.slug + "-renamed"), tip.week, lang)
        return f"rename {old} -> {version.path}"

    def slug_and_files(self) -> str:
        _, tip = self.pick_tip()
        old, tip.slug = tip.slug, self.site.fresh("slug")
        for lang, version in tip.versions.items():
            version.path = conventional_path(tip.slug, tip.week, lang)
        return f"slug {old} -> {tip.slug}, files renamed"

    def slug_only(self) -> str:
        _, tip = self.pick_tip()
        old, tip.slug = tip.slug, self.site.fresh("slug")
        return f"slug {old} -> {tip.slug}, files kept"

    def retitle(self) -> str:
        tip, lang, version = self.pick_version()
        version.title = self.site.fresh(f"Title {lang} ")
        return f"title of {tip.slug}.{lang}"

    def retag(self) -> str:
        tip, lang, version = self.pick_version()
        version.tags = tuple(self.rng.sample(TAGS, self.rng.randint(0, 3)))
        return f"tags of {tip.slug}.{lang}: {version.tags}"

    def reauthor(self) -> str:
        tip, lang, version = self.pick_version()
        version.author = self.rng.choice(AUTHORS)
        return f"author of {tip.slug}.{lang}: {version.author}"

    def reword(self) -> str:
        tip, lang, version = self.pick_version()
        version.words = self.site.fresh("Words ")
        return f"text of {tip.slug}.{lang}"

    def date_within_week(self) -> str:
        _, tip = self.pick_tip()
        tip.day, tip.hour = self.rng.randint(1, 7), self.rng.choice((8, 10, 18))
        return f"date of {tip.slug} within its week: {tip.date_text()}"

    def date_across_weeks(self) -> str:
        free = self.site.free_weeks()
        if not free:
            return self.date_within_week()
        _, tip = self.pick_tip()
        tip.week = self.rng.choice(free)
        rename = self.rng.random() < 0.5
        if rename:
            for lang, version in tip.versions.items():
                version.path = conventional_path(tip.slug, tip.week, lang)
        return f"date of {tip.slug} to {tip.date_text()}{', files renamed' if rename else ''}"

    def page_title(self) -> str:
        lang = self.rng.choice(sorted(self.site.pages))
        self.site.pages[lang].title = self.site.fresh(f"About {lang} ")
        return f"title of page about.{lang}"

    def add_link(self) -> str:
        _tip, _lang, version = self.rng.choice(self.site.every_version())
        target = self.rng.choice(self.site.targets())
        form = self.rng.choice(("{filename}", "|filename|"))
        version.links.append(Link(target, form))
        return f"link {form} from {version.path} to {self.site.target_path(target)}"

    def remove_link(self) -> str:
        linking = [v for _t, _l, v in self.site.every_version() if v.links]
        if not linking:
            return self.add_link()
        version = self.rng.choice(linking)
        version.links.pop(self.rng.randrange(len(version.links)))
        return f"remove a link from {version.path}"

    def edit_template(self) -> str:
        name, anchor = self.rng.choice(TEMPLATE_ANCHORS)
        path = self.theme / "templates" / name
        text = path.read_text("utf-8")
        marker = f"<!-- {self.site.fresh('edit')} -->"
        if anchor is None:
            text += marker + "\n"
        else:
            at = text.rindex(anchor)
            text = text[:at] + marker + text[at:]
        path.write_text(text, "utf-8")
        return f"template {name}"

    def edit_catalog(self) -> str:
        lang = self.rng.choice(LANGS)
        msgid = self.rng.choice(CATALOG_MSGIDS)
        path = self.theme / "translations" / lang / "LC_MESSAGES" / "messages.po"
        lines = path.read_text("utf-8").split("\n")
        at = lines.index(f'msgid "{msgid}"') + 1
        assert lines[at].startswith('msgstr "')
        lines[at] = lines[at][:-1] + f' {self.site.fresh("")}"'
        path.write_text("\n".join(lines), "utf-8")
        return f"catalog {lang}: {msgid}"

    WEIGHTS: ClassVar[dict[str, int]] = {
        "add_tip": 3,
        "remove_tip": 2,
        "add_translation": 2,
        "remove_translation": 2,
        "rename_file": 2,
        "slug_and_files": 2,
        "slug_only": 3,
        "retitle": 3,
        "retag": 2,
        "reauthor": 2,
        "reword": 1,
        "date_within_week": 2,
        "date_across_weeks": 2,
        "page_title": 2,
        "add_link": 4,
        "remove_link": 1,
        "edit_template": 1,
        "edit_catalog": 1,
    }

    def random(self) -> str:
        names = list(self.WEIGHTS)
        name = self.rng.choices(names, weights=[self.WEIGHTS[n] for n in names])[0]
        return getattr(self, name)()


# -- comparing outputs --------------------------------------------------------
def files_under(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in sorted(root.rglob("*")) if p.is_file()}


def output_differences(incremental: Path, clean: Path) -> list[str]:
    """What differs, as lines a reader can act on (empty when nothing does)."""
    mine, theirs = files_under(incremental), files_under(clean)
    problems = [
        f"only in the incremental build: {name}" for name in sorted(set(mine) - set(theirs))
    ]
    problems += [f"only in the clean build: {name}" for name in sorted(set(theirs) - set(mine))]
    for name in sorted(set(mine) & set(theirs)):
        a, b = mine[name].read_bytes(), theirs[name].read_bytes()
        if a == b:
            continue
        problems.append(f"differs: {name}" + text_diff(a, b))
    return problems


def text_diff(a: bytes, b: bytes, limit: int = 12) -> str:
    try:
        old, new = a.decode("utf-8").splitlines(), b.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return " (binary)"
    lines = list(difflib.unified_diff(old, new, "incremental", "clean", n=0, lineterm=""))
    return "".join(f"\n      {line[:200]}" for line in lines[2 : 2 + limit])


@dataclass
class Run:
    tmp: Path
    content: ContentTree
    theme: Path
    seed: int
    content_site: Site
    history: list[str] = field(default_factory=list)

    def build_and_compare(self) -> BuildSummary:
        self.content_site.write()
        incremental = build_site(
            self.tmp / "incremental", self.content, now=NOW, THEME=str(self.theme)
        )
        self.compare_with_clean(incremental.output)
        return incremental.summary

    def compare_with_clean(self, output: Path) -> None:
        clean_root = self.tmp / "clean"
        shutil.rmtree(clean_root, ignore_errors=True)
        clean = build_site(clean_root, self.content, now=NOW, THEME=str(self.theme))
        problems = output_differences(output, clean.output)
        if problems:
            steps = "\n".join(f"  {n}. {line}" for n, line in enumerate(self.history, 1))
            shown = "\n".join(f"  {p}" for p in problems[:15])
            more = f"\n  ... and {len(problems) - 15} more" if len(problems) > 15 else ""
            pytest.fail(
                f"TIPS_PROPERTY_SEED={self.seed}: after these edits\n{steps}\n"
                f"the incremental build differs from a clean build:\n{shown}{more}",
                pytrace=False,
            )


def start(tmp_path: Path, seed: int) -> tuple[Run, Edits]:
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme, ignore=shutil.ignore_patterns("*.mo"))
    content = ContentTree(tmp_path / "content")
    rng = random.Random(seed)
    site = Site(content.root, rng)
    for lang in LANGS:
        site.pages[lang] = Version(f"About {lang}", "", (), f"pages/about.{lang}.md")
    for langs in (("nb", "en"), ("nb", "sv"), ("nb",), ("en",), ("nb", "sv", "en")):
        site.new_tip(langs)
    return Run(tmp_path, content, theme, seed, site), Edits(site, theme, rng)


@pytest.mark.parametrize("processes", ["as built", "forked for every flush"])
def test_an_incremental_build_writes_what_a_clean_build_writes(tmp_path, monkeypatch, processes):
    if processes != "as built":  # small sites render in one process: share them out anyway
        monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    seed = int(os.environ.get("TIPS_PROPERTY_SEED") or random.SystemRandom().randrange(10**6))
    steps = int(os.environ.get("TIPS_PROPERTY_STEPS", "12"))
    run, edits = start(tmp_path, seed)
    run.history.append("first build")
    run.build_and_compare()
    reused = []
    for step in range(steps):  # every other edit one of text alone (see reused keys below)
        edit = TEXT_EDITS[step // 2 % 3] if step % 2 == 0 else None
        run.history.append(getattr(edits, edit)() if edit else edits.random())
        summary = run.build_and_compare()
        reused.append(summary.context.render_cache.reused > 0)
    # After an edit of text alone, the pages that do not show it keep their
    # keys without being signed (RenderCache.note_content): the path is taken.
    assert sum(reused) >= steps // 4, f"TIPS_PROPERTY_SEED={seed}: keys reused in {reused}"


def linked_pair(tmp_path: Path, form: str) -> tuple[Run, Edits, Tip]:
    """Tips in weeks 1, 2 and 3; the third links to the first in ``form`` (they are
    not neighbours: nothing else of the first shows on the third's pages)."""
    run, edits = start(tmp_path, 0)
    site = run.content_site
    site.tips.clear()
    first, middle, last = (site.new_tip(("nb", "en")) for _ in range(3))
    for tip, week in ((first, 1), (middle, 2), (last, 3)):
        site.tips[tip].week = (2021, week)
        for lang, version in site.tips[tip].versions.items():
            version.path = conventional_path(site.tips[tip].slug, (2021, week), lang)
    site.tips[last].versions["nb"].links.append(Link((first, "nb"), form))
    run.history.append(f"tips in weeks 1, 2, 3; the third links to the first with {form}")
    run.build_and_compare()
    return run, edits, site.tips[first]


@pytest.mark.parametrize("form", ["{filename}", "|filename|"])
def test_a_slug_change_updates_the_pages_and_emails_that_link_to_it(tmp_path, form):
    run, _edits, linked = linked_pair(tmp_path, form)
    old_url = f"/{linked.week[0]}/w{linked.week[1]:02d}/{linked.slug}/"
    linked.slug = "another-slug"
    run.history.append("the linked tip's slug changes, its file keeps its name")
    run.build_and_compare()
    for page in (run.tmp / "incremental/output").rglob("*.html"):
        assert old_url not in page.read_text("utf-8"), page


@pytest.mark.parametrize(
    "edit", ["edit_template", "edit_catalog", "page_title", "date_across_weeks", "remove_tip"]
)
def test_each_kind_of_site_wide_edit(tmp_path, edit):
    run, edits = start(tmp_path, 1)
    run.history.append("first build")
    run.build_and_compare()
    for _ in range(2):
        run.history.append(getattr(edits, edit)())
        run.build_and_compare()


# -- `make serve`: rebuilds in one process, of text alone when they can be ----


def test_make_serve_rebuilds_write_what_a_clean_build_writes(tmp_path):
    """`make serve` builds in one process, and after an edit of text alone
    renders only the pages that show that text (tips_app/live_site.py): after
    each rebuild, output/ holds what a clean build writes. Every other edit is
    a text edit, so that both kinds of rebuild run."""
    seed = int(os.environ.get("TIPS_PROPERTY_SEED") or random.SystemRandom().randrange(10**6))
    steps = int(os.environ.get("TIPS_PROPERTY_STEPS", "12"))
    run, edits = start(tmp_path, seed)
    site = LiveSite()

    def rebuild():
        settings = settings_for(tmp_path / "serve", run.content.root, THEME=str(run.theme))
        summary = site.rebuild(settings, now=NOW)
        finish_search(summary)  # `make serve` finishes it in the background
        run.compare_with_clean(Path(settings["OUTPUT_PATH"]))
        return summary

    run.content_site.write()
    run.history.append("first build")
    rebuild()
    text_only = []
    for step in range(steps):
        edit = TEXT_EDITS[step // 2 % 3] if step % 2 == 0 else None
        run.history.append(getattr(edits, edit)() if edit else edits.random())
        run.content_site.write()
        summary = rebuild()
        if summary.text_only:
            text_only.append(run.history[-1])
            assert summary.pages_rendered < summary.pages_unchanged
    # The rebuild of text alone did run.
    assert len(text_only) >= steps // 4, f"TIPS_PROPERTY_SEED={seed}: {run.history}"
