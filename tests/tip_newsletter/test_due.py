"""The due rule of PRODUCT.md, decided once per build in the site model."""

from __future__ import annotations

import datetime
import os

import pytest

from pelican.plugins.tip_newsletter import due
from pelican.plugins.tip_newsletter.due import DUE, MISSED, SENT, SKIPPED, decide_all, describe
from pelican.plugins.tip_newsletter.ledger import SentRecord
from tests.tip_newsletter.conftest import NOW
from tips_app.pipeline import load_settings
from tips_core.build_context import load_catalogs
from tips_core.model import build_model
from tips_core.site_settings import TipsSettings
from tips_core.source_file import PAGE, TIP, SourceFile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SETTINGS = load_settings(os.path.join(ROOT, "pelicanconf.py"))
TIPS = TipsSettings.from_pelican(SETTINGS)
CATALOGS = load_catalogs(SETTINGS, TIPS)


def source(days_ago: float = 1, **changes) -> SourceFile:
    fields = dict(
        title="Smil",
        author="Kari",
        summary="Ett smil.",
        series="tip-of-the-week",
        lang="nb",
        slug="smile",
        date=NOW - datetime.timedelta(days=days_ago),
        status="published",
        newsletter=True,
    )
    fields.update(changes)
    return SourceFile(f"/content/tips/{fields['slug']}.{fields['lang']}.md", TIP, fields)


def tips(*sources: SourceFile, max_age: int = 7, now=NOW):
    return build_model(sources, SETTINGS, TIPS, CATALOGS, now, max_age).tips


def tip(days_ago: float = 1, max_age: int = 7, now=NOW, **changes):
    (one,) = tips(source(days_ago, **changes), max_age=max_age, now=now)
    return one


def decide(one, record=None, now=NOW, max_age=7):
    return due.decide(one, record, now, max_age)


def record(key: str = "tip-of-the-week/2021-W03/nb", slug: str = "smile") -> SentRecord:
    return SentRecord(
        key, "outbox", "2021-01-19T10:00:00+01:00", "outbox/nb/x.eml", slug=slug, title="Smil"
    )


def test_a_published_recent_tip_is_due():
    assert decide(tip()).state == DUE


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"status": "draft"}, "draft"),
        ({"newsletter": False}, "opted out"),
        ({"days_ago": -0.01}, "future"),
        ({"days_ago": 14.01}, "too old"),
    ],
)
def test_each_reason_to_skip(changes, reason):
    decision = decide(tip(**changes))
    assert (decision.state, decision.reason) == (SKIPPED, reason)


def test_the_age_limit_is_inclusive_and_configurable():
    assert decide(tip(days_ago=7)).state == DUE
    assert decide(tip(days_ago=2, max_age=1), max_age=1).reason == "too old"
    assert decide(tip(days_ago=0, max_age=0), max_age=0).state == DUE


def test_a_tip_that_became_too_old_unsent_is_missed_then_archive():
    assert decide(tip(days_ago=7.01)).state == MISSED  # never silently "too old"
    assert decide(tip(days_ago=14)).state == MISSED
    assert decide(tip(days_ago=14.01)).state == SKIPPED  # the archive, not news
    assert decide(tip(days_ago=8), record()).state == SENT
    assert decide(tip(days_ago=8, newsletter=False)).reason == "opted out"  # never due


def test_the_age_is_real_time_across_a_daylight_saving_change():
    # Dated Sunday 2021-03-21 12:00 (+01:00); Oslo moves to +02:00 on 2021-03-28.
    # Seven days later on the wall clock, 2021-03-28 12:30, is 6 d 23.5 h later.
    now = datetime.datetime(2021, 3, 28, 12, 30, tzinfo=NOW.tzinfo)
    one = tip(days_ago=0, now=now, date=datetime.datetime(2021, 3, 21, 12, 0, tzinfo=NOW.tzinfo))
    assert one.email_skip == ""
    assert decide(one, now=now).state == DUE
    later = now + datetime.timedelta(minutes=31)  # 7 d 0.01 h of real time
    one = tip(days_ago=0, now=later, date=datetime.datetime(2021, 3, 21, 12, 0, tzinfo=NOW.tzinfo))
    assert one.email_skip == "too old"


def test_a_record_makes_it_sent_whatever_else_holds():
    decision = decide(tip(days_ago=30), record())
    assert decision.state == SENT
    assert describe(decision, 7, NOW) == (
        "sent 2021-01-19 10:00 +01:00 via outbox (outbox/nb/x.eml)"
    )


def test_the_email_is_the_series_week_and_language_not_the_slug():
    sent = {"tip-of-the-week/2021-W03/nb": record(slug="smile")}
    renamed = tip(slug="grin")  # same week, new slug (and title): never sent again
    decision = decide(renamed, due.find_record(renamed, sent))
    assert decision.state == SENT
    assert "sent as 'smile', this week's email is not sent again" in describe(decision, 7, NOW)
    # The old slug in a new week is a new email.
    reused = tip(days_ago=-7, slug="smile", now=NOW + datetime.timedelta(days=8))
    assert reused.email_id == "tip-of-the-week/2021-W04/nb"
    assert due.find_record(reused, sent) is None
    # Another language or series of the same week is another email.
    assert due.find_record(tip(lang="sv"), sent) is None


def test_a_draft_beside_the_sent_tip_of_its_week_is_a_draft():
    sent = {"tip-of-the-week/2021-W03/nb": record(slug="smile")}
    draft = tip(slug="next-idea", status="draft")
    assert decide(draft, due.find_record(draft, sent)).reason == "draft"


def test_a_first_version_record_still_counts_by_slug():
    legacy = {"smile/nb": SentRecord("smile/nb", "outbox", "2021-01-19T10:00:00+01:00", "x")}
    assert decide(tip(), due.find_record(tip(), legacy)).state == SENT
    assert due.find_record(tip(slug="grin"), legacy) is None


def test_one_identity_per_series_week_and_language():
    assert tip().email_id == "tip-of-the-week/2021-W03/nb"
    assert tip(days_ago=2).email_id == tip().email_id  # both in week 3
    assert tip(lang="sv").email_id == "tip-of-the-week/2021-W03/sv"


def test_the_status_words():
    assert describe(decide(tip(days_ago=-2)), 7, NOW) == (
        "skipped: future (appears 2021-01-22 12:00 +01:00)"
    )
    assert describe(decide(tip(days_ago=15)), 7, NOW) == (
        "skipped: too old (dated 2021-01-05, more than 7 days ago)"
    )
    missed = describe(decide(tip(days_ago=9)), 7, NOW)
    assert missed.startswith(
        "MISSED: due from 2021-01-11 12:00 +01:00 until 2021-01-18 12:00 +01:00, never sent"
    )
    assert "run `make publish` once with NEWSLETTER_MAX_AGE_DAYS=11;" in missed
    assert missed.endswith("to let it go, set `newsletter: false` in its front matter")
    assert describe(decide(tip(newsletter=False)), 7, NOW) == (
        "skipped: opted out (newsletter: false)"
    )
    assert describe(decide(tip(status="draft")), 7, NOW) == "skipped: draft"


def test_all_decisions_newest_first_in_site_language_order():
    every = tips(source(3, lang="en"), source(3, lang="nb"), source(1, slug="new"))
    decisions = decide_all(every, {}, NOW, 7)
    assert [(d.tip.slug, d.tip.lang) for d in decisions] == [
        ("new", "nb"),
        ("smile", "nb"),
        ("smile", "en"),
    ]


def test_the_model_holds_tips_and_pages_apart_and_skips_bad_files():
    broken = source(slug="broken")
    broken.error(3, "a problem")
    page = SourceFile(
        "/content/pages/about.nb.md",
        PAGE,
        {"lang": "nb", "slug": "about", "title": "Om", "status": "published"},
    )
    model = build_model([source(), broken, page], SETTINGS, TIPS, CATALOGS, NOW, 7)
    assert [t.slug for t in model.tips] == ["smile"]
    assert [p.slug for p in model.pages] == ["about"]
    assert model.entry("/content/pages/about.nb.md").url == "about/"
    assert model.entry(broken.path) is None


def test_a_scheduled_tip_is_off_the_site_with_no_language_versions():
    later, live = tips(source(1), source(-1, lang="sv"))  # newest first
    assert (live.state, later.state) == ("published", "scheduled")
    assert live.alternates == {"nb": live.url}
    assert later.alternates == {}
