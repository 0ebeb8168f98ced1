"""The due rule of PRODUCT.md, decided once per build in the site model."""

from __future__ import annotations

import datetime
import os

import pytest

from pelican.plugins.tip_newsletter.due import DUE, SENT, SKIPPED, decide, decide_all, describe
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


def tip(days_ago: float = 1, max_age: int = 7, **changes):
    (one,) = tips(source(days_ago, **changes), max_age=max_age)
    return one


def test_a_published_recent_tip_is_due():
    assert decide(tip()).state == DUE


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"status": "draft"}, "draft"),
        ({"newsletter": False}, "opted out"),
        ({"days_ago": -0.01}, "future"),
        ({"days_ago": 7.01}, "too old"),
    ],
)
def test_each_reason_to_skip(changes, reason):
    decision = decide(tip(**changes))
    assert (decision.state, decision.reason) == (SKIPPED, reason)


def test_the_age_limit_is_inclusive_and_configurable():
    assert decide(tip(days_ago=7)).state == DUE
    assert decide(tip(days_ago=2, max_age=1)).reason == "too old"
    assert decide(tip(days_ago=0, max_age=0)).state == DUE


def test_a_record_makes_it_sent_whatever_else_holds():
    record = SentRecord("smile/nb", "outbox", "2021-01-19T10:00:00+01:00", "outbox/nb/x.eml")
    decision = decide(tip(days_ago=30), record)
    assert decision.state == SENT
    assert describe(decision, 7) == "sent 2021-01-19 10:00 via outbox (outbox/nb/x.eml)"


def test_one_key_per_tip_and_language_whatever_the_date():
    assert tip().key == "smile/nb"
    assert tip(days_ago=40).key == tip().key
    assert tip(lang="sv").key == "smile/sv"


def test_the_status_words():
    assert describe(decide(tip(days_ago=-2)), 7) == "skipped: future (appears 2021-01-22 12:00)"
    assert describe(decide(tip(days_ago=9)), 7) == (
        "skipped: too old (dated 2021-01-11, more than 7 days ago)"
    )
    assert describe(decide(tip(newsletter=False)), 7) == "skipped: opted out (newsletter: false)"
    assert describe(decide(tip(status="draft")), 7) == "skipped: draft"


def test_all_decisions_newest_first_in_site_language_order():
    every = tips(source(3, lang="en"), source(3, lang="nb"), source(1, slug="new"))
    decisions = decide_all(every, {})
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
