"""`make serve`'s rebuilds (tips_app/live_site.py): an edit of a tip's text
renders the pages that show it and nothing else; any other change, or a change
the kept pages cannot answer for, is a full build. Either way output/ holds what
a clean build of the same content at the same moment writes."""

from __future__ import annotations

import datetime
import gc
import shutil
import weakref
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import REPO, build_site, settings_for
from tests.weekly_tips.test_incremental_property import output_differences
from tips_app.live_site import LiveSite
from tips_app.pipeline import finish_search
from tips_core.errors import ContentError

OSLO = ZoneInfo("Europe/Oslo")
# Sunday of ISO week 3 of 2021; the third tip is this week's (and too old by
# Monday to be emailed: NEWSLETTER_MAX_AGE_DAYS is 7).
SUNDAY = datetime.datetime(2021, 1, 24, 20, 0, tzinfo=OSLO)
MONDAY = SUNDAY + datetime.timedelta(days=1)
LATER = SUNDAY + datetime.timedelta(days=30)


WEEKS = {
    "one": ("Første", "2021-01-08 09:00"),
    "two": ("Andre", "2021-01-15 09:00"),
    "three": ("Tredje", "2021-01-22 09:00"),
}


def three_weeks(content) -> dict[str, Path]:
    paths = {}
    for slug, (title, date) in WEEKS.items():
        paths[slug] = content.tip(
            title=title, date=date, lang="nb", slug=slug, body=f"Tekst {slug}."
        )
        content.tip(title=title + " (en)", date=date, lang="en", slug=slug, body=f"Text {slug}.")
    return paths


def save(content, slug: str, body: str, title: str | None = None) -> None:
    """The Norwegian tip ``slug`` of three_weeks saved with ``body`` (and ``title``)."""
    default, date = WEEKS[slug]
    content.tip(title=title or default, date=date, lang="nb", slug=slug, body=body)


def an_image(content, name: str, width: int = 1) -> Path:
    """An image under content/images/ (Pelican copies it to the site)."""
    image = content.root / "images" / name
    image.parent.mkdir(exist_ok=True)
    image.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}"/>', "utf-8")
    return image


class Serve:
    """One `make serve` process over ``content``, and clean builds to compare."""

    def __init__(self, tmp: Path, content):
        self.tmp, self.content, self.site = tmp, content, LiveSite()

    def rebuild(self, now: datetime.datetime):
        settings = settings_for(self.tmp / "serve", self.content.root)
        summary = self.site.rebuild(settings, now)
        finish_search(summary)
        clean_root = self.tmp / "clean"
        shutil.rmtree(clean_root, ignore_errors=True)
        clean = build_site(clean_root, self.content, now=now)
        assert output_differences(Path(settings["OUTPUT_PATH"]), clean.output) == []
        return summary

    def html(self, url: str) -> str:
        return (self.tmp / "serve/output" / url / "index.html").read_text("utf-8")


def test_an_edit_of_text_renders_only_the_pages_that_show_it(content, tmp_path):
    three_weeks(content)
    serve = Serve(tmp_path, content)
    first = serve.rebuild(LATER)
    output = tmp_path / "serve/output"
    untouched = [
        "2021/w01/one/index.html",
        "2021/w03/three/index.html",
        "en/2021/w02/two/index.html",
    ]
    stamps = [(output / name).stat().st_mtime_ns for name in untouched]
    save(content, "two", "Ny tekst.")
    summary = serve.rebuild(LATER)
    assert summary.text_only and not first.text_only
    assert "Ny tekst." in serve.html("2021/w02/two")
    # Its page, its email's web version, and the lists that hold it (week,
    # archive, topic, author, home, feed); not its neighbours, which show its
    # title (unchanged), nor its translation.
    assert 0 < summary.pages_rendered < summary.pages_unchanged
    assert [(output / name).stat().st_mtime_ns for name in untouched] == stamps


def test_a_changed_title_is_a_full_build(content, tmp_path):
    three_weeks(content)
    serve = Serve(tmp_path, content)
    serve.rebuild(LATER)
    save(content, "two", "x", title="Andre, bedre")
    summary = serve.rebuild(LATER)
    assert not summary.text_only
    assert "Andre, bedre" in serve.html("2021/w01/one")  # the neighbour's link says so


def test_a_new_iso_week_is_a_full_build(content, tmp_path):
    """The menus say "This week" while the newest tip is in the build's week."""
    three_weeks(content)
    serve = Serve(tmp_path, content)
    serve.rebuild(SUNDAY)
    assert "This week" in serve.html("en") or "Denne uken" in serve.html("")
    save(content, "one", "Ny.")
    summary = serve.rebuild(MONDAY)  # compared with a clean build on Monday
    assert not summary.text_only


def test_a_tip_that_may_be_emailed_now_is_a_full_build(content, tmp_path):
    """Its email is made by the build (it is due): a full build makes it again."""
    three_weeks(content)
    serve = Serve(tmp_path, content)
    first = serve.rebuild(SUNDAY)
    assert any("three" in key for key in first.emails)
    save(content, "three", "Ny.")
    summary = serve.rebuild(SUNDAY)
    assert not summary.text_only
    assert any(
        "Ny." in source.content_html for key, source in summary.emails.items() if "three" in key
    )


def test_another_process_writing_the_site_is_a_full_build(content, tmp_path):
    three_weeks(content)
    serve = Serve(tmp_path, content)
    serve.rebuild(LATER)
    save(content, "one", "Ny.")
    build_site(tmp_path / "serve", content, now=LATER)  # `make build` meanwhile
    save(content, "one", "Nyere.")
    summary = serve.rebuild(LATER)
    assert not summary.text_only
    assert "Nyere." in serve.html("2021/w01/one")


def test_a_text_edit_with_a_mistake_stops_and_the_fix_builds(content, tmp_path):
    three_weeks(content)
    serve = Serve(tmp_path, content)
    serve.rebuild(LATER)
    save(content, "two", "See [this]({filename}/tips/2021/no-such-tip.nb.md).")
    settings = settings_for(tmp_path / "serve", content.root)
    with pytest.raises(ContentError, match="no-such-tip"):
        serve.site.rebuild(settings, LATER)
    save(content, "two", "Rettet.")
    serve.rebuild(LATER)
    assert "Rettet." in serve.html("2021/w02/two")
    save(content, "two", "Igjen.")
    assert serve.rebuild(LATER).text_only  # pages are kept again


def test_a_tip_whose_time_came_is_a_full_build(content, tmp_path):
    """Within one ISO week the clock moves a scheduled tip onto the site: the
    site model differs, so an edit of another tip's text is a full build."""
    three_weeks(content)  # the third tip is dated Friday of week 3
    serve = Serve(tmp_path, content)
    thursday = datetime.datetime(2021, 1, 21, 12, 0, tzinfo=OSLO)
    serve.rebuild(thursday)
    assert not (tmp_path / "serve/output/2021/w03/three").exists()
    save(content, "one", "Ny.")
    summary = serve.rebuild(thursday + datetime.timedelta(days=2))
    assert not summary.text_only
    assert "Tekst three." in serve.html("2021/w03/three")


def test_the_pages_kept_go_with_the_next_full_build(content, tmp_path):
    """The serve process keeps one build's pages, not one per rebuild."""
    from pelican import signals

    earlier = []

    def note(generator):
        earlier.extend(weakref.ref(a) for a in generator.articles + generator.translations)

    three_weeks(content)
    serve = Serve(tmp_path, content)
    signals.article_generator_finalized.connect(note)
    try:  # the serve process's build alone (not the clean one beside it)
        finish_search(serve.site.rebuild(settings_for(tmp_path / "serve", content.root), LATER))
    finally:
        signals.article_generator_finalized.disconnect(note)
    assert len(earlier) == 6
    save(content, "one", "Ny.")
    assert serve.rebuild(LATER).text_only  # the kept pages serve it
    assert all(ref() is not None for ref in earlier)
    save(content, "one", "Ny.", title="Første!")
    assert not serve.rebuild(LATER).text_only
    gc.collect()  # as `make serve` does after each build
    assert [ref() for ref in earlier if ref() is not None] == []


def test_an_editors_hidden_file_does_not_make_a_full_build(content, tmp_path):
    """An editor keeps a hidden swap file beside the tip it edits: the build
    does not read it. A new image, which Pelican copies, is the site's."""
    paths = three_weeks(content)
    serve = Serve(tmp_path, content)
    serve.rebuild(LATER)
    save(content, "two", "Ny.")
    paths["two"].with_name(".2021-w02-two.nb.md.swp").write_bytes(b"\0swap")
    assert serve.rebuild(LATER).text_only
    an_image(content, "smile.svg")
    save(content, "two", "Nyere.")
    assert not serve.rebuild(LATER).text_only


def test_what_changed_is_found_not_taken_from_the_watcher(content, tmp_path):
    """Every save since the kept build is found by comparing the content with
    it (a watcher may miss or merge events): two tips' texts here."""
    three_weeks(content)
    serve = Serve(tmp_path, content)
    serve.rebuild(LATER)
    save(content, "one", "Én.")
    save(content, "two", "To.")
    summary = serve.rebuild(LATER)  # the output is compared
    assert summary.text_only
    assert "To." in serve.html("2021/w02/two")
    save(content, "two", "To.", title="Andre!")
    assert not serve.rebuild(LATER).text_only  # a title: a full build


def test_an_image_or_theme_file_changed_is_a_full_build(content, tmp_path):
    three_weeks(content)
    an_image(content, "smile.svg")
    serve = Serve(tmp_path, content)
    serve.rebuild(LATER)
    an_image(content, "smile.svg", width=2)
    save(content, "one", "Ny.")
    summary = serve.rebuild(LATER)  # the image changed too
    assert not summary.text_only
    assert 'width="2"' in (tmp_path / "serve/output/images/smile.svg").read_text("utf-8")


def test_a_file_linked_with_attach_is_a_full_build(content, tmp_path):
    """Pelican moves a file linked with {attach} next to the tip that links it."""
    three_weeks(content)
    an_image(content, "guide.svg")
    serve = Serve(tmp_path, content)
    serve.rebuild(LATER)
    save(content, "two", "![Guide]({attach}/images/guide.svg)")
    summary = serve.rebuild(LATER)  # compared with a clean build
    assert not summary.text_only


def test_the_first_save_after_the_catalogs_are_compiled_is_text_only(content, tmp_path):
    """A theme without compiled catalogs (a fresh clone): the first build
    compiles them, which changes no input of the site."""
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme, ignore=shutil.ignore_patterns("*.mo"))
    three_weeks(content)
    site = LiveSite()
    settings = settings_for(tmp_path / "serve", content.root, THEME=str(theme))
    finish_search(site.rebuild(settings, LATER))
    assert list(theme.rglob("*.mo"))
    save(content, "two", "Ny.")
    assert site.rebuild(settings, LATER).text_only
