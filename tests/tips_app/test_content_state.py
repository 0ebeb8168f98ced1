"""A new build after an edit of text alone derives the keys of the pages that
show that text and no others (tips_app/content_state.py,
RenderCache.note_content); anything else derives every key. Either way
output/ holds what a clean build of the same content at the same moment writes."""

from __future__ import annotations

import datetime
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, build_site
from tests.tips_app.test_live_site import LATER, SUNDAY, an_image, save, three_weeks
from tests.weekly_tips.test_incremental_property import output_differences
from tips_core.errors import BuildError, ContentError


class Builds:
    """`make build` again and again over ``content``, each compared with a clean build."""

    def __init__(self, tmp: Path, content):
        self.tmp, self.content = tmp, content

    def build(self, now: datetime.datetime):
        site = build_site(self.tmp / "site", self.content, now=now)
        clean_root = self.tmp / "clean"
        shutil.rmtree(clean_root, ignore_errors=True)
        clean = build_site(clean_root, self.content, now=now)
        assert output_differences(site.output, clean.output) == []
        return site

    def reused(self, now: datetime.datetime) -> int:
        """Build; how many pages kept their key without it being derived."""
        return self.build(now).summary.context.render_cache.reused


def test_an_edit_of_text_derives_the_keys_of_the_pages_that_show_it(content, tmp_path):
    three_weeks(content)
    builds = Builds(tmp_path, content)
    first = builds.build(LATER)
    sitemap = first.output / "sitemap.xml"
    written = sitemap.stat().st_mtime_ns
    save(content, "two", "Ny tekst.")
    site = builds.build(LATER)
    assert sitemap.stat().st_mtime_ns == written  # the same pages: not made again
    cache = site.summary.context.render_cache
    assert "Ny tekst." in site.html("2021/w02/two/").select_one(".tip__body").text
    # Of the pages whose keys were derived, most were reused: the English ones,
    # the other weeks' tips, the lists that show titles and summaries only.
    assert cache.reused > cache.rendered
    assert cache.reused + cache.rendered == first.summary.pages_rendered


@pytest.mark.parametrize(
    "change",
    ["a title", "a page's template", "an image", "the week of the build's clock"],
)
def test_any_other_change_derives_every_key(content, tmp_path, change):
    three_weeks(content)
    an_image(content, "smile.svg")
    content.page(title="Abonner", lang="nb", slug="abonner", extra="template: page\n")
    builds = Builds(tmp_path, content)
    builds.build(LATER)
    now = LATER
    if change == "a title":
        save(content, "two", "Ny tekst.", title="Andre, bedre")
    elif change == "a page's template":  # front matter the site model does not hold
        save(content, "two", "Ny tekst.")
        content.page(title="Abonner", lang="nb", slug="abonner", extra="template: subscribe\n")
    elif change == "an image":
        save(content, "two", "Ny tekst.")
        an_image(content, "smile.svg", width=2)
    else:
        save(content, "two", "Ny tekst.")
        now = LATER + datetime.timedelta(days=7)
    assert builds.reused(now) == 0


def test_a_tip_the_clock_publishes_derives_every_key(content, tmp_path):
    """Nothing but the clock moved, within the ISO week: a scheduled tip is out."""
    three_weeks(content)
    content.tip(title="Tredje (sv)", date="2021-01-24 21:00", lang="sv", slug="three", body="Text.")
    builds = Builds(tmp_path, content)
    site = builds.build(SUNDAY)  # 20:00: the Swedish tip is scheduled
    assert not (site.output / "sv/2021/w03/three/index.html").exists()
    later = SUNDAY + datetime.timedelta(hours=2)
    assert builds.reused(later) == 0
    assert (tmp_path / "site/output/sv/2021/w03/three/index.html").exists()


def test_text_that_stops_attaching_a_file_derives_every_key(content, tmp_path):
    """Pelican moves a file linked with {attach} next to the tip that links it,
    and another tip's {static} link follows it there."""
    three_weeks(content)
    an_image(content, "guide.svg")
    save(content, "one", "![Guide]({attach}/images/guide.svg)")
    save(content, "three", "![Guide]({static}/images/guide.svg)")
    builds = Builds(tmp_path, content)
    builds.build(LATER)
    save(content, "one", "Uten bilde.")
    assert builds.reused(LATER) == 0  # compared with a clean build: the link moved back


def test_an_edit_before_a_failed_build_is_rendered_by_the_next(content, tmp_path):
    """A build that stops on a content error keeps what it parsed (the store
    holds the new text): what changed is counted from the last complete build."""
    paths = three_weeks(content)
    builds = Builds(tmp_path, content)
    builds.build(LATER)
    save(content, "two", "Ny tekst.")
    good = paths["one"].read_text("utf-8")
    paths["one"].write_text(good.replace("slug: one", "slug: [one"), "utf-8")
    with pytest.raises(ContentError):
        build_site(tmp_path / "site", content, now=LATER)
    paths["one"].write_text(good, "utf-8")
    site = builds.build(LATER)
    assert "Ny tekst." in site.html("2021/w02/two/").select_one(".tip__body").text


def test_a_fresh_checkout_with_an_edit_of_text_reuses_keys(content, tmp_path):
    """CI restores cache/ and output/ into a new checkout, where every file has a
    new time: files are told by their bytes, so the keys are reused there too."""
    three_weeks(content)
    an_image(content, "smile.svg")
    builds = Builds(tmp_path, content)
    builds.build(LATER)
    save(content, "two", "Ny tekst.")
    later = datetime.datetime.now().timestamp() + 3600
    for path in content.root.rglob("*"):
        os.utime(path, (later, later))
    assert builds.reused(LATER) > 0


def test_a_tip_that_attaches_a_file_keeps_it_when_another_text_changes(content, tmp_path):
    """Pelican moves an {attach}ed file when it reads the linking tip's text:
    the build reads it even when that tip's page keeps its key."""
    three_weeks(content)
    an_image(content, "guide.svg")
    save(content, "one", "![Guide]({attach}/images/guide.svg)")
    builds = Builds(tmp_path, content)
    builds.build(LATER)
    save(content, "two", "Ny tekst.")
    site = builds.build(LATER)  # compared with a clean build
    assert (site.output / "2021/w01/one/guide.svg").exists()


def test_a_file_attached_by_a_tip_rendered_in_another_process_moves(content, tmp_path, monkeypatch):
    """A clean build renders tip pages in forked processes: the move is made in
    the build process first, so the file is copied where the page links it."""
    from tips_core import forked

    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    three_weeks(content)
    an_image(content, "guide.svg")
    save(content, "one", "![Guide]({attach}/images/guide.svg)")
    site = build_site(tmp_path / "site", content, now=LATER)
    image = site.html("2021/w01/one/").select_one(".tip__body img")
    assert image["src"].endswith("/2021/w01/one/guide.svg")
    assert (site.output / "2021/w01/one/guide.svg").exists()
    assert not (site.output / "images/guide.svg").exists()


def test_an_edit_of_the_emails_stylesheet_renders_the_emails_again(content, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme, ignore=shutil.ignore_patterns("*.mo"))
    three_weeks(content)
    build_site(tmp_path / "site", content, now=LATER, THEME=str(theme))
    css = theme / "templates/email/email.css"
    css.write_text(css.read_text("utf-8").replace("#f2efe9", "#123456"), "utf-8")
    site = build_site(tmp_path / "site", content, now=LATER, THEME=str(theme))
    assert "#123456" in (site.output / "2021/w02/two/email.html").read_text("utf-8")


@pytest.mark.parametrize(
    "content_field",
    [
        {"attaching": [[1]]},
        {"sources": [1]},
        {"shown": {"index.html": [-1]}},
        {"shown": {"index.html": [99]}},
        {"files": {"x": 1}},
        {"state": None},
    ],
)
def test_a_damaged_manifest_derives_every_key(content, tmp_path, content_field):
    three_weeks(content)
    builds = Builds(tmp_path, content)
    builds.build(LATER)
    manifest = tmp_path / "site/cache/render-manifest.json"
    data = json.loads(manifest.read_text("utf-8"))
    data["content"].update(content_field)
    manifest.write_text(json.dumps(data), "utf-8")
    save(content, "two", "Ny tekst.")
    assert builds.reused(LATER) == 0


def test_a_state_that_cannot_be_worked_out_fails_the_build_with_its_reason(
    content, tmp_path, monkeypatch
):
    """The state is worked out in a forked child while Pelican runs: what goes
    wrong there fails the build with the child's message, and nothing is noted."""
    from tips_app import pipeline

    three_weeks(content)

    def unreadable(*_args):
        raise PermissionError("theme/static/logo.svg: permission denied")

    monkeypatch.setattr(pipeline, "content_state", unreadable)
    with pytest.raises(BuildError, match=r"content's state could not be worked out: .*denied"):
        build_site(tmp_path, content, now=LATER)
    assert not (tmp_path / "cache" / "render-manifest.json").exists()
