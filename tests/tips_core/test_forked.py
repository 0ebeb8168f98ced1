"""Pages rendered on all cores: every page once, the same bytes as on one core,
and a failure in a rendering process reported, never hung on or lost."""

from __future__ import annotations

import datetime
import gc
import os
import re
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import build_site
from tips_core import forked
from tips_core.errors import BuildError

NOW = datetime.datetime(2021, 6, 1, 12, 0, tzinfo=ZoneInfo("Europe/Oslo"))


def _pids_and_items(items: list[int]) -> tuple[int, list[int]]:
    time.sleep(0.002 * len(items))  # long enough for every process to take batches
    return os.getpid(), items


def test_each_item_is_worked_on_once_in_one_of_the_processes(monkeypatch):
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    items = list(range(301))
    results = forked.map_forked(_pids_and_items, items, workers=3)
    done = [item for _, batch in results for item in batch]
    assert done == items  # each once, the batches' results in the items' order
    assert len({pid for pid, _ in results}) == 3


def _slow_in_this_process(parent: int):
    def work(items: list[int]) -> int:
        time.sleep(0.05 if os.getpid() == parent else 0.005)
        return os.getpid()

    return work


def test_a_slower_process_takes_fewer_items_and_all_end_together(monkeypatch):
    """Batches go to whoever is free: a process that gets less of the machine
    (the search index beside it, say) is not waited for with a fixed share."""
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    pids = forked.map_forked(_slow_in_this_process(os.getpid()), list(range(128)), workers=2)
    mine = pids.count(os.getpid())
    assert len(pids) == 128 and 0 < mine < len(pids) // 4


def _pid_and_niceness(items: list[int]) -> tuple[int, int]:
    time.sleep(0.01)
    return os.getpid(), os.nice(0)


def test_children_yield_their_core_to_other_processes(monkeypatch):
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    niceness = forked.map_forked(_pid_and_niceness, list(range(64)), workers=2)
    assert {nice for pid, nice in niceness if pid == os.getpid()} == {os.nice(0)}
    assert {nice for pid, nice in niceness if pid != os.getpid()} == {
        os.nice(0) + forked.CHILD_NICENESS
    }


def test_few_items_stay_in_this_process(monkeypatch):
    results = forked.map_forked(_pids_and_items, list(range(5)), workers=4)
    assert results == [(os.getpid(), list(range(5)))]


def _in_a_child(action: Callable[[], None]) -> Callable[[list[int]], int]:
    """Work that runs ``action`` when a child (not this process) takes a batch;
    each batch waits a moment first, so that a child takes one before this
    process has taken them all."""
    parent = os.getpid()

    def work(items: list[int]) -> int:
        time.sleep(0.01)
        if os.getpid() != parent:
            action()
        return len(items)

    return work


def _fail() -> None:
    raise ValueError("this page cannot be rendered")


def _die() -> None:
    os._exit(3)


def _hang() -> None:
    time.sleep(3600)


def children() -> set[str]:
    tasks = Path(f"/proc/{os.getpid()}/task")
    return {pid for task in tasks.iterdir() for pid in (task / "children").read_text().split()}


@pytest.mark.parametrize("action", [_fail, _die])
def test_a_childs_failure_is_raised_here_and_leaves_nothing_behind(monkeypatch, tmp_path, action):
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the results go
    before = children()
    with pytest.raises(forked.ChildFailed) as failed:
        forked.map_forked(_in_a_child(action), list(range(10)), workers=2)
    if action is _fail:
        assert "ValueError: this page cannot be rendered" in str(failed.value)
    else:
        assert "status" in str(failed.value)
    assert os.listdir(tmp_path) == []
    assert children() <= before  # none left running, none left unwaited for (a zombie)


def test_batches_fit_in_the_pipe_and_a_short_write_loses_none(monkeypatch):
    """The batches' numbers wait in a pipe before any child reads: never more
    than it holds (a system may give a user's pipes one page), and a write a
    signal cuts short goes on with the rest."""
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    monkeypatch.setattr(forked, "_pipe_capacity", lambda fd: 16)  # four numbers
    real_write, writes = os.write, []

    def short_write(fd: int, data) -> int:
        writes.append(len(data))
        return real_write(fd, bytes(data[:3]))  # cut inside a number

    monkeypatch.setattr(forked.os, "write", short_write)
    results = forked.map_forked(_pids_and_items, list(range(100)), workers=3)
    assert len(results) == 4 and [i for _, batch in results for i in batch] == list(range(100))
    assert len(writes) > 1
    assert [len(part) for part in forked.batches(10_000, 2, most=1024)] == [79] * 126 + [46]
    assert [len(part) for part in forked.batches(10_000, 64, most=100)] == [100] * 100


def test_a_fork_that_fails_leaves_no_child_and_no_file(monkeypatch, tmp_path):
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    real_fork, forks = os.fork, []

    def fork_once_then_fail() -> int:
        forks.append(1)
        if len(forks) == 2:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(forked.os, "fork", fork_once_then_fail)
    before = children()
    with pytest.raises(BlockingIOError):
        forked.map_forked(_pids_and_items, list(range(300)), workers=3)
    assert children() <= before and os.listdir(tmp_path) == []


def test_work_in_the_background_comes_back_from_a_child_or_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = children()
    done = forked.Background(lambda: (os.getpid(), os.nice(0), {"files": [1, 2]}))
    pid, niceness, value = done.result()
    assert pid != os.getpid() and value == {"files": [1, 2]} and done.result()[0] == pid
    assert niceness == os.nice(0)  # the build waits for it: not behind other work
    failed = forked.Background(_fail)
    with pytest.raises(forked.ChildFailed, match="this page cannot be rendered"):
        failed.result()
    hung = forked.Background(_hang)
    hung.cancel()  # a build that failed meanwhile: no child left behind
    assert children() <= before and os.listdir(tmp_path) == []


def many_tips(content, weeks: int = 20) -> None:
    for week in range(weeks):
        date = (datetime.date(2021, 1, 4) + datetime.timedelta(weeks=week)).isoformat()
        for lang in ("nb", "sv", "en"):
            content.tip(
                title=f"Tips {week} {lang}",
                date=f"{date} 09:00",
                lang=lang,
                slug=f"tip-{week}",
                tags=("service", f"topic-{week % 4}"),
                body=f"Text {week} in {lang}, linking [the first]({{filename}}/"
                f"tips/2021/2021-w01-tip-0.{lang}.md).",
            )


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        # pagefind lists its languages in any order
        if path.is_file() and "pagefind" not in path.parts
    }


def test_a_site_rendered_on_all_cores_equals_one_rendered_in_one_process(
    content, tmp_path, monkeypatch
):
    many_tips(content)
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 10**9)
    alone = build_site(tmp_path / "alone", content, now=NOW)
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    monkeypatch.setattr(forked, "cores", lambda: 3)
    shared = build_site(tmp_path / "shared", content, now=NOW)
    assert shared.summary.pages_rendered == alone.summary.pages_rendered > 200
    assert tree(shared.output) == tree(alone.output)
    # The keys the children computed were kept: nothing is rendered again.
    again = build_site(tmp_path / "shared", content, now=NOW)
    assert again.summary.pages_rendered == 0
    assert again.summary.pages_unchanged == shared.summary.pages_rendered


def test_a_template_error_in_a_rendering_process_fails_the_build(content, tmp_path, monkeypatch):
    many_tips(content, weeks=4)
    theme = tmp_path / "theme"
    original = Path(__file__).resolve().parents[2] / "theme"
    shutil.copytree(original, theme)
    week = theme / "templates" / "week.html"
    week.write_text(week.read_text("utf-8").replace("{{ week_label }}", "{{ week_label.nope() }}"))
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    # Whichever process renders a broken week page, the build fails naming it.
    with pytest.raises(BuildError) as failed:
        build_site(tmp_path, content, now=NOW, THEME=str(theme))
    message = str(failed.value)
    assert re.match(r"could not render (\w+/)?2021/w0\d/index.html: UndefinedError: ", message)
    assert "has no attribute 'nope'" in message and "templates/week.html:3)" in message


def test_a_failure_signing_tips_in_a_rendering_process_fails_the_build(
    content, tmp_path, monkeypatch
):
    """A cold build signs its tips on all cores before rendering: what goes
    wrong there is a build error with the child's message, as in a render."""
    from tips_core import render_cache

    many_tips(content, weeks=4)
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    parent, sign = os.getpid(), render_cache.content_signature

    def sign_here_only(item):
        time.sleep(0.01)  # the child takes a batch before the parent takes them all
        if os.getpid() != parent:
            raise RuntimeError("a signature could not be made")
        return sign(item)

    monkeypatch.setattr(render_cache, "content_signature", sign_here_only)
    with pytest.raises(BuildError, match="RuntimeError: a signature could not be made"):
        build_site(tmp_path, content, now=NOW)


def _square(item: int) -> int:
    return item * item


def test_results_item_by_item_come_back_in_the_items_order(monkeypatch):
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    for workers in (1, 2, 3):
        monkeypatch.setattr(forked, "cores", lambda workers=workers: workers)
        assert forked.map_each_forked(_square, list(range(50))) == [i * i for i in range(50)]


def test_a_child_that_never_ends_is_stopped_and_reported(monkeypatch, tmp_path):
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    monkeypatch.setattr(forked, "CHILD_TIMEOUT_SECONDS", 1)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = children()
    started = time.monotonic()
    with pytest.raises(forked.ChildFailed, match="did not finish in 1 s"):
        forked.map_forked(_in_a_child(_hang), list(range(10)), workers=2)
    assert time.monotonic() - started < 30
    assert children() <= before and os.listdir(tmp_path) == []


class _Cycle:
    """A page's render leaves cycles like this one (Jinja's contexts)."""

    def __init__(self) -> None:
        self.me = self
        self.payload = bytearray(1024)


_made = weakref.WeakSet()  # every cycle this process made, alive or not yet collected


def _leave_cycles(batch: list[int]) -> tuple[int, int]:
    """Make a cycle per item and drop it; this process's id and how many of
    the cycles it made in all its batches are still held."""
    for _ in batch:
        cycle = _Cycle()
        _made.add(cycle)
        del cycle
    return os.getpid(), len(_made)


def test_the_cycles_each_share_leaves_are_collected_as_it_goes(monkeypatch):
    """A build collects rarely (its model is large and lives long); while shares
    run, that model is frozen out of the collector's sight, so collecting as
    often as usual is cheap and each process holds little garbage at a time."""
    monkeypatch.setattr(forked, "MIN_ITEMS_PER_CHILD", 1)
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)  # as the build sets it
    try:
        held = forked.map_forked(_leave_cycles, list(range(40_000)), workers=2)
        assert gc.get_threshold() == (50_000, 20, 100)  # the build's, once the shares are done
    finally:
        gc.set_threshold(*before)
    made = {pid: 0 for pid, _ in held}
    for pid, _ in held:
        made[pid] += 1
    # A process made thousands of cycles (batches of 313) and held few at a time.
    assert max(made.values()) * 313 > 5_000, made
    assert all(count < 2_000 for _, count in held), held
