"""The Mailchimp backend: the real mailchimp-marketing client against a local fake API.

Whatever fails, times out or runs twice, each tip goes out once per language:
the fake counts the sends of every campaign.
"""

from __future__ import annotations

import pytest

from pelican.plugins.tip_newsletter.backends import sent_records
from pelican.plugins.tip_newsletter.backends.mailchimp import MailchimpBackend
from pelican.plugins.tip_newsletter.errors import BackendError, ConfigurationError
from tests.conftest import ContentTree
from tests.tip_newsletter.conftest import (
    SITENAMES,
    SUMMARIES,
    TITLES,
    Built,
    build_newsletter_site,
    write_week_three,
)
from tests.tip_newsletter.fake_mailchimp import FakeMailchimp

AUDIENCE = "a1b2c3d4e5"
LANGS = list(TITLES)


@pytest.fixture
def fake():
    with FakeMailchimp() as server:
        server.add_audience(AUDIENCE, tags=("Norsk",))
        yield server


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mailchimp")
    content = ContentTree(tmp / "content")
    write_week_three(content)
    return build_newsletter_site(
        tmp,
        content,
        NEWSLETTER_BACKEND="mailchimp",
        NEWSLETTER_REPLY_TO="tips@kundeservice.no",
        NEWSLETTER_POSTAL_ADDRESS="Storgata 1, 0155 Oslo",
        MAILCHIMP_AUDIENCE_ID=AUDIENCE,
        MAILCHIMP_TIMEOUT=0.5,
        MAILCHIMP_BACKOFF=0.01,
    )


@pytest.fixture
def site(built, fake, tmp_path):
    """The one build, with this test's own records ."""
    state = tmp_path / "cache" / "newsletter"
    state.mkdir(parents=True)
    settings = dict(built.settings, NEWSLETTER_STATE_PATH=str(state), MAILCHIMP_API_URL=fake.url)
    return Built(settings, built.summary, tmp_path)


class Sleeps(list):
    """Records the pauses between retries instead of waiting them out."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def backend(site, fake, sleeps=None, key=None, **changes):
    settings = dict(site.settings, **changes)
    return MailchimpBackend(
        Built(settings, site.summary, site.tmp).config,
        {"MAILCHIMP_API_KEY": key or fake.state.api_key},
        sleep=sleeps if sleeps is not None else Sleeps(),
    )


def send(site, fake, **options):
    return site.send(backend(site, fake, **options))


def title(lang: str) -> str:
    return f"tip-of-the-week 2021-W03 ({lang}): answer-all"


def assert_each_sent_once(fake):
    sent = fake.sent_campaigns()
    assert sorted(c["settings"]["title"] for c in sent) == sorted(title(lang) for lang in LANGS)
    assert all(n == 1 for n in fake.state.sends.values())
    assert sum(fake.state.sends.values()) == len(LANGS)


def test_one_campaign_per_language_to_that_languages_segment(site, fake):
    report = send(site, fake)
    assert [d.record.key for d in report.sent] == [
        f"tip-of-the-week/2021-W03/{lang}" for lang in LANGS
    ]
    assert_each_sent_once(fake)
    for lang in LANGS:
        (campaign,) = fake.campaigns_titled(title(lang))
        assert campaign["type"] == "regular"
        assert campaign["recipients"] == {
            "list_id": AUDIENCE,
            "segment_opts": {
                "match": "all",
                "conditions": [
                    {"condition_type": "TextMerge", "field": "LANGUAGE", "op": "is", "value": lang}
                ],
            },
        }
        settings = campaign["settings"]
        assert settings["subject_line"].endswith(f"(3-2021): {TITLES[lang]}")
        assert settings["preview_text"] == SUMMARIES[lang]
        assert (settings["from_name"], settings["reply_to"]) == (
            SITENAMES[lang],
            "tips@kundeservice.no",
        )
        content = fake.state.contents[campaign["id"]]
        for part in (content["html"], content["plain_text"]):
            assert "*|UNSUB|*" in part and "*|FORWARD|*" in part
            assert "Storgata 1, 0155 Oslo" in part
        assert "/2021/w03/answer-all/?utm_source=newsletter" in content["html"]


def test_the_api_calls_per_send(site, fake):
    send(site, fake)
    per_run = ["GET /lists/.+", "GET /lists/.+/merge-fields", "GET /campaigns"]
    per_send = ["POST /campaigns", "GET /campaigns", "PUT /campaigns/.+/content", "POST .+/send"]
    calls = [f"{r.method} {r.path}" for r in fake.state.log]
    assert len(calls) == len(per_run) + len(per_send) * len(LANGS) == 23
    assert len(fake.calls("POST", "/campaigns")) == len(LANGS)
    assert len(fake.calls("POST", r"/campaigns/\w+/actions/send")) == len(LANGS)
    # `fields` goes out as one comma-separated list, not split into characters.
    (listing, *_) = fake.calls("GET", "/campaigns")
    assert listing.query["fields"][0].startswith("campaigns.id,campaigns.status,")


def test_a_rerun_sends_nothing(site, fake):
    send(site, fake)
    calls = len(fake.state.log)
    again = send(site, fake)
    assert again.sent == [] and again.due == []
    assert len(fake.state.log) == calls  # the local record answers: no API call at all
    assert_each_sent_once(fake)


def test_a_rerun_without_the_local_record_finds_the_sent_campaigns(site, fake):
    send(site, fake)
    ledger = site.tmp / "cache" / "newsletter" / f"mailchimp-{AUDIENCE}.json"
    ledger.unlink()  # e.g. a fresh CI checkout: Mailchimp itself is the truth
    report = send(site, fake)
    assert report.sent == []
    assert len(fake.calls("POST", "/campaigns")) == len(LANGS)
    assert "found sent" in "\n".join(report.lines())
    assert_each_sent_once(fake)


def test_what_was_sent_is_read_without_the_key(site, fake):
    """`make newsletter-status` reads the local record: no key, no request."""
    send(site, fake)
    calls = len(fake.state.log)
    config = Built(site.settings, site.summary, site.tmp).config
    records = sent_records(config, "mailchimp")
    assert sorted(records) == sorted(f"tip-of-the-week/2021-W03/{lang}" for lang in LANGS)
    reader = MailchimpBackend(config)  # no environ: reading only
    with pytest.raises(ConfigurationError) as error:
        reader.open()  # sending needs the key, and says so before any request
    assert str(error.value).startswith("MAILCHIMP_API_KEY: not set.")
    assert len(fake.state.log) == calls


def test_a_created_but_unsent_campaign_is_resumed(site, fake):
    earlier = fake.add_campaign(AUDIENCE, title("nb"), status="save", subject_line="Old")
    send(site, fake)
    assert fake.state.sends[earlier] == 1
    assert len(fake.campaigns_titled(title("nb"))) == 1
    assert len(fake.calls("POST", "/campaigns")) == len(LANGS) - 1
    # Brought up to date before it was sent: today's subject, the nb segment.
    (resumed,) = fake.campaigns_titled(title("nb"))
    assert resumed["settings"]["subject_line"] == f"Ukens tips (3-2021): {TITLES['nb']}"
    assert resumed["recipients"]["segment_opts"]["conditions"][0]["value"] == "nb"
    assert [r.method for r in fake.calls(path=f"/campaigns/{earlier}.*")] == [
        "PATCH",
        "PUT",
        "POST",
    ]
    assert_each_sent_once(fake)


def test_a_campaign_sent_by_hand_is_left_alone(site, fake):
    by_hand = fake.add_campaign(AUDIENCE, title("sv"), status="sent")
    report = send(site, fake)
    assert "tip-of-the-week/2021-W03/sv" not in [d.record.key for d in report.sent]
    assert "sv  sent " in "\n".join(report.lines())
    assert f"(campaign {by_hand}; found sent" in "\n".join(report.lines())
    assert fake.state.sends[by_hand] == 0
    assert len(fake.campaigns_titled(title("sv"))) == 1
    assert sum(fake.state.sends.values()) == len(LANGS) - 1


def test_429_is_retried_after_retry_after(site, fake):
    fake.fault("GET", "/campaigns", "429", retry_after=2)
    sleeps = Sleeps()
    send(site, fake, sleeps=sleeps)
    assert sleeps[0] == 2.0
    assert_each_sent_once(fake)


def test_500_with_an_empty_body_is_an_error_and_reads_are_retried(site, fake):
    fake.fault("GET", f"/lists/{AUDIENCE}", "500-empty", times=2)
    sleeps = Sleeps()
    send(site, fake, sleeps=sleeps)
    assert sleeps == [0.01, 0.02]  # growing pauses
    assert len(fake.calls("GET", f"/lists/{AUDIENCE}")) == 3
    assert_each_sent_once(fake)


def test_a_read_that_keeps_failing_stops_with_a_clear_error(site, fake):
    fake.fault("GET", f"/lists/{AUDIENCE}", "500-empty", times=99)
    with pytest.raises(BackendError) as error:
        send(site, fake)
    assert str(error.value) == (
        "Mailchimp, reading the audience: HTTP 500 with an empty answer (HTTP 500)"
    )
    assert fake.state.campaigns == {}


@pytest.mark.parametrize("kind", ["commit-drop", "commit-hang", "commit-500-empty"])
def test_a_create_whose_answer_is_lost_is_not_made_twice(site, fake, kind):
    fake.fault("POST", "/campaigns", kind, hang=1.0)
    send(site, fake)
    assert len(fake.campaigns_titled(title("nb"))) == 1
    assert len(fake.calls("POST", "/campaigns")) == len(LANGS)  # not retried: found
    assert_each_sent_once(fake)


@pytest.mark.parametrize("kind", ["429", "500-empty", "drop"])
def test_a_create_that_did_not_happen_is_looked_for_then_made(site, fake, kind):
    fake.fault("POST", "/campaigns", kind, retry_after=3)
    sleeps = Sleeps()
    send(site, fake, sleeps=sleeps)
    assert sleeps == [3.0 if kind == "429" else 0.01]
    # The first create failed; the campaigns were listed before it was tried again.
    calls = [f"{r.method} {r.path}" for r in fake.state.log][3:6]
    assert calls == ["POST /campaigns", "GET /campaigns", "POST /campaigns"]
    assert len(fake.campaigns_titled(title("nb"))) == 1
    assert_each_sent_once(fake)


@pytest.mark.parametrize("kind", ["commit-drop", "commit-hang", "commit-500-empty"])
def test_a_send_whose_answer_is_lost_is_not_sent_twice(site, fake, kind):
    fake.fault("POST", r"/campaigns/\w+/actions/send", kind, hang=1.0)
    send(site, fake)
    assert len(fake.calls("POST", r"/campaigns/\w+/actions/send")) == len(LANGS)
    assert_each_sent_once(fake)


def test_a_send_that_failed_before_mailchimp_did_it_is_retried(site, fake):
    fake.fault("POST", r"/campaigns/\w+/actions/send", "500-empty")
    fake.fault("POST", r"/campaigns/\w+/actions/send", "drop")
    send(site, fake)
    assert len(fake.calls("POST", r"/campaigns/\w+/actions/send")) == len(LANGS) + 2
    assert_each_sent_once(fake)


def test_when_sending_keeps_failing_a_rerun_resumes_the_same_campaign(site, fake):
    fake.fault("POST", r"/campaigns/\w+/actions/send", "503", times=5)
    report = send(site, fake)
    (failed,) = report.failed  # nb's; the others went out in the same run
    assert "is ready but not sent. Run again later: it will be resumed" in failed.reason
    assert sorted(d.record.key[-2:] for d in report.sent) == sorted(set(LANGS) - {"nb"})
    assert [
        c["settings"]["title"] for c in fake.sent_campaigns() if "(nb)" in c["settings"]["title"]
    ] == []
    send(site, fake)
    assert len(fake.calls("POST", "/campaigns")) == len(LANGS)  # nb's was resumed
    assert_each_sent_once(fake)


def test_a_campaign_created_by_another_run_at_the_same_moment(site, fake):
    fake.fault("POST", "/campaigns", "twin")  # another run created nb's just before ours
    send(site, fake)
    nb = fake.campaigns_titled(title("nb"))
    assert len(nb) == 1  # ours was deleted; the other run's (the oldest) was sent
    assert len(fake.calls("DELETE", r"/campaigns/\w+")) == 1
    assert_each_sent_once(fake)


def test_segments_on_mailchimps_language_field_and_tags(site, fake):
    send(site, fake, NEWSLETTER_SEGMENTS={"nb": "language", "en": "tag:Norsk"})
    (nb,) = fake.campaigns_titled(title("nb"))
    assert nb["recipients"]["segment_opts"]["conditions"] == [
        {"condition_type": "Language", "field": "language", "op": "is", "value": "no"}
    ]
    (en,) = fake.campaigns_titled(title("en"))
    assert en["recipients"]["segment_opts"]["conditions"][0]["value"] == 1000


def test_a_refused_create_says_what_mailchimp_said(site, fake):
    fake.fault("POST", "/campaigns", "400")
    (failed,) = send(site, fake).failed
    assert failed.reason == (
        "Mailchimp, creating the campaign 'tip-of-the-week 2021-W03 (nb): answer-all': "
        "Invalid Resource: The resource submitted could not be validated. "
        "(settings.subject_line: This value should not be blank.) (HTTP 400)"
    )
    # A clear "no" is not retried; the other languages went out all the same.
    assert len(fake.calls("POST", "/campaigns")) == len(LANGS)
    assert len(fake.sent_campaigns()) == len(LANGS) - 1


@pytest.mark.parametrize(
    ("changes", "environ", "message"),
    [
        ({}, {}, "MAILCHIMP_API_KEY: not set."),
        ({}, {"MAILCHIMP_API_KEY": "not a key"}, "MAILCHIMP_API_KEY: this is not a Mailchimp"),
        ({"MAILCHIMP_AUDIENCE_ID": ""}, None, "MAILCHIMP_AUDIENCE_ID: not set"),
        ({"NEWSLETTER_REPLY_TO": ""}, None, "NEWSLETTER_REPLY_TO: not set"),
        ({"NEWSLETTER_REPLY_TO": "a@example.org"}, None, "NEWSLETTER_REPLY_TO: a@example.org is"),
    ],
)
def test_missing_settings_are_named_before_any_request(site, fake, changes, environ, message):
    settings = dict(site.settings, **changes)
    config = Built(settings, site.summary, site.tmp).config
    with pytest.raises(ConfigurationError) as error:
        MailchimpBackend(
            config, environ if environ is not None else {"MAILCHIMP_API_KEY": fake.state.api_key}
        )
    assert str(error.value).startswith(message)
    assert fake.state.log == []


def test_a_wrong_key_names_the_setting_and_never_shows_the_key(site, fake):
    wrong = "fedcba9876543210fedcba9876543210-us21"
    with pytest.raises(ConfigurationError) as error:
        send(site, fake, key=wrong)
    message = str(error.value)
    assert message.startswith("MAILCHIMP_API_KEY: Mailchimp refused the key while reading the")
    assert "API Key Invalid" in message
    assert wrong not in message and wrong[:8] not in message


def test_an_unknown_audience_names_the_setting(site, fake):
    with pytest.raises(ConfigurationError) as error:
        send(site, fake, MAILCHIMP_AUDIENCE_ID="0000000000")
    assert str(error.value).startswith(
        "MAILCHIMP_AUDIENCE_ID: Mailchimp has no audience '0000000000'"
    )


def test_a_missing_merge_field_names_the_setting(site, fake):
    fake.add_audience(AUDIENCE, merge_tags=("FNAME",))
    with pytest.raises(ConfigurationError) as error:
        send(site, fake)
    assert str(error.value).startswith(
        "NEWSLETTER_SEGMENTS: the audience has no field with the merge tag LANGUAGE"
    )
    assert fake.state.campaigns == {}
