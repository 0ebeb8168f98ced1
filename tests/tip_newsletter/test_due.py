"""The due rule of PRODUCT.md, on plain data."""

from __future__ import annotations

import datetime

import pytest

from pelican.plugins.tip_newsletter.due import (
    DUE,
    SENT,
    SKIPPED,
    TipFacts,
    decide,
    decide_all,
    describe,
    facts_from_sources,
)
from pelican.plugins.tip_newsletter.ledger import SentRecord
from tests.tip_newsletter.conftest import NOW
from tips_core.source_file import PAGE, TIP, SourceFile


def tip(days_ago: float = 1, **changes) -> TipFacts:
    fields = dict(
        lang="nb",
        slug="smile",
        date=NOW - datetime.timedelta(days=days_ago),
        published=True,
        newsletter=True,
    )
    fields.update(changes)
    return TipFacts(**fields)


def test_a_published_recent_tip_is_due():
    assert decide(tip(), NOW, 7).state == DUE


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (tip(published=False), "draft"),
        (tip(newsletter=False), "opted out"),
        (tip(days_ago=-0.01), "future"),
        (tip(days_ago=7.01), "too old"),
    ],
)
def test_each_reason_to_skip(facts, reason):
    decision = decide(facts, NOW, 7)
    assert (decision.state, decision.reason) == (SKIPPED, reason)


def test_the_age_limit_is_inclusive_and_configurable():
    assert decide(tip(days_ago=7), NOW, 7).state == DUE
    assert decide(tip(days_ago=2), NOW, 1).reason == "too old"
    assert decide(tip(days_ago=0), NOW, 0).state == DUE


def test_a_record_makes_it_sent_whatever_else_holds():
    record = SentRecord("smile/nb", "outbox", "2021-01-19T10:00:00+01:00", "outbox/nb/x.eml")
    decision = decide(tip(days_ago=30), NOW, 7, record)
    assert decision.state == SENT
    assert describe(decision, 7) == "sent 2021-01-19 10:00 via outbox (outbox/nb/x.eml)"


def test_one_key_per_tip_and_language_whatever_the_date():
    assert tip().key == "smile/nb"
    assert tip(days_ago=40).key == tip().key
    assert tip(lang="sv").key == "smile/sv"


def test_the_status_words():
    assert (
        describe(decide(tip(days_ago=-2), NOW, 7), 7)
        == "skipped: future (appears 2021-01-22 12:00)"
    )
    assert describe(decide(tip(days_ago=9), NOW, 7), 7) == (
        "skipped: too old (dated 2021-01-11, more than 7 days ago)"
    )
    assert describe(decide(tip(newsletter=False), NOW, 7), 7) == (
        "skipped: opted out (newsletter: false)"
    )
    assert describe(decide(tip(published=False), NOW, 7), 7) == "skipped: draft"


def test_all_decisions_newest_first_in_site_language_order():
    tips = [tip(days_ago=3, lang="en"), tip(days_ago=3, lang="nb"), tip(days_ago=1, slug="new")]
    decisions = decide_all(tips, NOW, 7, {}, ("nb", "sv", "en"))
    assert [(d.tip.slug, d.tip.lang) for d in decisions] == [
        ("new", "nb"),
        ("smile", "nb"),
        ("smile", "en"),
    ]


def test_facts_come_from_tips_only():
    fields = dict(lang="nb", slug="smile", date=NOW, title="Smil", status="draft", newsletter=False)
    sources = [
        SourceFile("content/tips/a.nb.md", TIP, dict(fields)),
        SourceFile("content/pages/about.nb.md", PAGE, {"lang": "nb", "slug": "about"}),
    ]
    (facts,) = facts_from_sources(sources)
    assert (facts.published, facts.newsletter, facts.path) == (False, False, "content/tips/a.nb.md")
