"""Faults of the Mailchimp API in the middle of a run, and the run after it.

Each fault hits the second of two due emails (or the run's first request):
a run ends with the email sent or with one error line and exit 2, never a
traceback; the first email stays sent and recorded; the next run sends what is
left; and over both runs each tip and language goes out exactly once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pelican.plugins.tip_newsletter.backends.mailchimp import MailchimpBackend
from pelican.plugins.tip_newsletter.ledger import Ledger
from scripts.cli import run
from scripts.newsletter_steps import report_problems, send
from tests.conftest import ContentTree
from tests.tip_newsletter.conftest import Built, build_newsletter_site
from tests.tip_newsletter.fake_mailchimp import FakeMailchimp

AUDIENCE = "a1b2c3d4e5"
LANGS = ("nb", "en")
LISTS = ("GET", f"/lists/{AUDIENCE}")
CAMPAIGNS = ("GET", "/campaigns")
CREATE = ("POST", "/campaigns")
CONTENT = ("PUT", r"/campaigns/\w+/content")
SEND = ("POST", r"/campaigns/\w+/actions/send")
STATE = ("GET", r"/campaigns/\w+")


def title(lang: str) -> str:
    return f"tip-of-the-week 2021-W03 ({lang}): fault"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("api-faults")
    content = ContentTree(tmp / "content")
    for lang in LANGS:
        content.tip(title=f"Feil ({lang})", date="2021-01-18 09:00", lang=lang, slug="fault")
    return build_newsletter_site(
        tmp,
        content,
        NEWSLETTER_BACKEND="mailchimp",
        NEWSLETTER_REPLY_TO="tips@kundeservice.no",
        MAILCHIMP_AUDIENCE_ID=AUDIENCE,
        MAILCHIMP_TIMEOUT=0.5,
        MAILCHIMP_BACKOFF=0.01,
    )


def run_once(built: Built, fake: FakeMailchimp, state: Path, capsys) -> tuple[int, str, str]:
    """One sending run as `make publish` does it (after its build), errors to exit codes."""
    settings = dict(built.settings, NEWSLETTER_STATE_PATH=str(state), MAILCHIMP_API_URL=fake.url)
    site = Built(settings, built.summary, built.tmp)

    def action() -> int:
        backend = MailchimpBackend(
            site.config, {"MAILCHIMP_API_KEY": fake.state.api_key}, sleep=lambda _s: None
        )
        report = send(site.settings, site.summary, backend)
        for line in report.lines():
            print(line)
        return report_problems(report)

    code = run(action)
    out, err = capsys.readouterr()
    return code, out, err


FAULTS = [
    # (what, request, kind, matching requests let through first, how many times)
    ("401 reading the audience", LISTS, "401", 0, 1),
    ("401 creating the second campaign", CREATE, "401", 1, 1),
    ("404 setting the second content", CONTENT, "404", 1, 1),
    ("404 sending the second", SEND, "404", 1, 1),
    ("429 sending the second, once", SEND, "429", 1, 1),
    ("429 sending the second, again and again", SEND, "429", 1, 20),
    ("500 with a body creating the second", CREATE, "500", 1, 20),
    ("500 without a body sending the second", SEND, "500-empty", 1, 20),
    ("500 without a body after sending the second", SEND, "commit-500-empty", 1, 1),
    ("a timeout creating the second, not created", CREATE, "hang", 1, 1),
    ("a timeout creating the second, created", CREATE, "commit-hang", 1, 1),
    ("a timeout sending the second, not sent", SEND, "hang", 1, 1),
    ("a timeout sending the second, sent", SEND, "commit-hang", 1, 1),
    ("a dropped connection looking for the second's twin", CAMPAIGNS, "drop", 2, 20),
    ("a dropped connection setting the second content", CONTENT, "drop", 1, 20),
    ("a dropped connection reading the second's state", STATE, "drop", 0, 20),
    ("a dropped connection after sending the second", SEND, "commit-drop", 1, 1),
]


@pytest.mark.parametrize(
    ("what", "request_", "kind", "skip", "times"), FAULTS, ids=[f[0] for f in FAULTS]
)
def test_a_fault_never_sends_twice_nor_skips_a_tip(
    built, tmp_path, capsys, what, request_, kind, skip, times
):
    state = tmp_path / "state"
    state.mkdir()
    with FakeMailchimp() as fake:
        fake.add_audience(AUDIENCE)
        if request_ == STATE:  # the state is read only after a failed send
            fake.fault(*SEND, "500-empty", skip=1, times=20)
        fault = fake.fault(*request_, kind, skip=skip, times=times, retry_after=0, hang=1.0)

        code, out, err = run_once(built, fake, state, capsys)
        assert fault.times < times or fault.skip < skip, "the fault was never hit"
        assert code in (0, 2)
        if code == 2:
            # One error line (warnings of retries may come before it).
            (line,) = [x for x in err.splitlines() if not x.startswith("WARNING:")]
            assert line.startswith("error: ")
            assert "Mailchimp" in line or "MAILCHIMP_API_KEY" in line, line
        recorded = Ledger(str(state / f"mailchimp-{AUDIENCE}.json"), "mailchimp").load()
        if request_ != LISTS:  # the first email went out, and is recorded
            assert fake.state.sends[fake.campaigns_titled(title("nb"))[0]["id"]] == 1
            assert "tip-of-the-week/2021-W03/nb" in recorded

        fake.state.faults.clear()
        code, out, err = run_once(built, fake, state, capsys)
        assert code == 0, err
        assert out.splitlines()[-1].startswith("0 due, 2 sent")
        sent = sorted(c["settings"]["title"] for c in fake.sent_campaigns())
        assert sent == sorted(title(lang) for lang in LANGS)
        assert sorted(fake.state.sends.values()) == [1, 1]
        assert len(fake.state.campaigns) == len(LANGS)
