"""The newsletter settings: defaults, environment overrides, and errors that name the setting."""

from __future__ import annotations

import pytest

from pelican.plugins.tip_newsletter.errors import ConfigurationError
from pelican.plugins.tip_newsletter.registry import BACKENDS, backend_class
from pelican.plugins.tip_newsletter.segments import segment_opts
from pelican.plugins.tip_newsletter.settings import (
    NewsletterSettings,
    Segment,
    apply_environment,
)
from tests.conftest import PELICANCONF
from tips_app.pipeline import load_settings


@pytest.fixture
def settings(tmp_path):
    return load_settings(PELICANCONF, {"CACHE_PATH": str(tmp_path / "cache")})


def test_every_registered_backend_is_a_class_of_that_name(settings, tmp_path):
    config = NewsletterSettings.from_pelican(
        dict(settings, NEWSLETTER_OUTBOX=str(tmp_path / "outbox"))
    )
    for name in BACKENDS:
        assert backend_class(name).name == name
        assert backend_class(name)(config).sent_records() == {}  # no credentials asked
    with pytest.raises(ConfigurationError, match="'smtp' is not one of outbox, console"):
        NewsletterSettings.from_pelican(dict(settings, NEWSLETTER_BACKEND="smtp"))


def test_the_defaults(settings, tmp_path):
    config = NewsletterSettings.from_pelican(settings)
    assert config.backend == "outbox"
    assert config.max_age_days == 7
    assert config.outbox == "outbox"
    assert config.state_path == str(tmp_path / "cache" / "newsletter")
    assert config.segment("nb") == Segment("merge", "LANGUAGE", "nb")
    assert config.segment("et") == Segment("merge", "LANGUAGE", "et")


@pytest.mark.parametrize(
    ("spec", "lang", "opts"),
    [
        (
            "language",
            "nb",
            {
                "match": "all",
                "conditions": [
                    {"condition_type": "Language", "field": "language", "op": "is", "value": "no"}
                ],
            },
        ),
        (
            "language:sv",
            "sv",
            {
                "match": "all",
                "conditions": [
                    {"condition_type": "Language", "field": "language", "op": "is", "value": "sv"}
                ],
            },
        ),
        (
            "merge:TIPLANG=norsk",
            "nb",
            {
                "match": "all",
                "conditions": [
                    {
                        "condition_type": "TextMerge",
                        "field": "TIPLANG",
                        "op": "is",
                        "value": "norsk",
                    }
                ],
            },
        ),
        ("saved:4711", "fi", {"saved_segment_id": 4711}),
    ],
)
def test_segment_forms(settings, spec, lang, opts):
    settings["NEWSLETTER_SEGMENTS"] = {lang: spec}
    assert segment_opts(NewsletterSettings.from_pelican(settings).segment(lang)) == opts


def test_a_tag_segment_is_the_tags_static_segment(settings):
    settings["NEWSLETTER_SEGMENTS"] = {"nb": "tag:Norsk"}
    segment = NewsletterSettings.from_pelican(settings).segment("nb")
    assert segment_opts(segment, {"Norsk": 1001})["conditions"][0] == {
        "condition_type": "StaticSegment",
        "field": "static_segment",
        "op": "static_is",
        "value": 1001,
    }


def test_the_environment_overrides_for_publish(settings):
    taken = apply_environment(
        settings,
        {
            "NEWSLETTER_BACKEND": "mailchimp",
            "NEWSLETTER_MAX_AGE_DAYS": "3",
            "NEWSLETTER_SEGMENTS": "nb=language:no,en=tag:English",
            "MAILCHIMP_AUDIENCE_ID": "abc123",
            "UNRELATED": "x",
        },
    )
    config = NewsletterSettings.from_pelican(settings)
    assert sorted(taken) == [
        "MAILCHIMP_AUDIENCE_ID",
        "NEWSLETTER_BACKEND",
        "NEWSLETTER_MAX_AGE_DAYS",
        "NEWSLETTER_SEGMENTS",
    ]
    assert (config.backend, config.max_age_days, config.audience_id) == ("mailchimp", 3, "abc123")
    assert config.segment("nb") == Segment("language", "language", "no")
    assert config.segment("en") == Segment("tag", "English")
    assert config.segment("sv") == Segment("merge", "LANGUAGE", "sv")


def test_each_language_is_sent_by_its_own_site_name(settings):
    config = NewsletterSettings.from_pelican(settings)
    assert config.from_name("sv") == "Kundservicetips"
    assert config.from_name("nb") == "Kundeservicetips"


def test_one_sender_name_or_one_per_language_from_the_environment(settings):
    apply_environment(settings, {"NEWSLETTER_FROM_NAME": "Tipsen"})
    config = NewsletterSettings.from_pelican(settings)
    assert {config.from_name(lang) for lang in ("nb", "sv", "en")} == {"Tipsen"}
    environ = {
        "NEWSLETTER_FROM_NAME": '{"sv": "Tipsen"}',
        "NEWSLETTER_REPLY_TO": '{"sv": "a@b.se"}',
    }
    apply_environment(settings, environ)
    config = NewsletterSettings.from_pelican(settings)
    assert (config.from_name("sv"), config.from_name("fi")) == ("Tipsen", "Asiakaspalveluvinkit")
    assert (config.reply_to("sv"), config.reply_to("fi")) == ("a@b.se", "")


def test_segments_as_json_in_the_environment(settings):
    apply_environment(settings, {"NEWSLETTER_SEGMENTS": '{"fi": "saved:12"}'})
    assert NewsletterSettings.from_pelican(settings).segment("fi") == Segment("saved", value="12")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NEWSLETTER_BACKEND", "smtp", "NEWSLETTER_BACKEND: 'smtp' is not one of outbox, console"),
        ("NEWSLETTER_MAX_AGE_DAYS", "a week", "NEWSLETTER_MAX_AGE_DAYS: 'a week' is not a whole"),
        ("NEWSLETTER_MAX_AGE_DAYS", -1, "NEWSLETTER_MAX_AGE_DAYS: must not be negative"),
        ("NEWSLETTER_MAX_AGE_DAYS", "1e999", "NEWSLETTER_MAX_AGE_DAYS: '1e999' is not a whole"),
        ("MAILCHIMP_TIMEOUT", "0", "MAILCHIMP_TIMEOUT: must be more than 0 (it is '0')"),
        ("MAILCHIMP_TIMEOUT", 0, "MAILCHIMP_TIMEOUT: must be more than 0"),
        ("MAILCHIMP_TIMEOUT", "nan", "MAILCHIMP_TIMEOUT: 'nan' is not a number"),
        ("MAILCHIMP_TIMEOUT", "inf", "MAILCHIMP_TIMEOUT: 'inf' is not a number"),
        ("MAILCHIMP_RETRIES", True, "MAILCHIMP_RETRIES: True is not a whole number"),
        ("NEWSLETTER_REPLY_TO", "tips at example", "NEWSLETTER_REPLY_TO: 'tips at example' is not"),
        ("NEWSLETTER_REPLY_TO", {"sv": "tips.se"}, "NEWSLETTER_REPLY_TO: 'tips.se' is not"),
        ("NEWSLETTER_FROM_NAME", {"se": "Tips"}, "NEWSLETTER_FROM_NAME: unknown language(s) se"),
        ("NEWSLETTER_FROM_NAME", {"sv": 3}, "NEWSLETTER_FROM_NAME['sv']: must be text"),
        (
            "NEWSLETTER_SIGNUP_URL",
            "list-manage.com/x",
            "NEWSLETTER_SIGNUP_URL: 'list-manage.com/x'",
        ),
        ("NEWSLETTER_SEGMENTS", {"nb": "merge:lang"}, "NEWSLETTER_SEGMENTS: 'lang' is not a merge"),
        ("NEWSLETTER_SEGMENTS", {"no": "language"}, "NEWSLETTER_SEGMENTS: unknown language(s) no"),
        ("NEWSLETTER_SEGMENTS", {"nb": "group:x"}, "NEWSLETTER_SEGMENTS: cannot read 'group:x'"),
        ("MAILCHIMP_API_URL", "127.0.0.1:8025", "MAILCHIMP_API_URL: '127.0.0.1:8025' is not"),
        ("MAILCHIMP_API_KEY", "abc-us1", "MAILCHIMP_API_KEY: remove it from the settings file"),
    ],
)
def test_a_bad_setting_is_named(settings, name, value, message):
    settings[name] = value
    with pytest.raises(ConfigurationError) as error:
        NewsletterSettings.from_pelican(settings)
    assert str(error.value).startswith(message)
    assert error.value.exit_code == 2
    if name == "MAILCHIMP_API_KEY":
        assert value not in str(error.value)
