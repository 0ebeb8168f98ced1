"""The Mailchimp API key never shows: a canary key goes through every command
(build, check, newsletter-status, publish when it works and in every way it
fails) with logging at DEBUG, and is looked for in stdout, stderr, every log
record (tracebacks included), error messages and exception text, the reprs of
the objects that hold settings, and every file in output/, the outbox and cache/.
"""

from __future__ import annotations

import datetime
import logging
import os
import traceback
from pathlib import Path

import pytest

from pelican.plugins.tip_newsletter.backends.mailchimp import MailchimpBackend
from pelican.plugins.tip_newsletter.errors import NewsletterError
from pelican.plugins.tip_newsletter.settings import NewsletterSettings, apply_environment
from scripts import build as build_command
from scripts import check as check_command
from scripts import cli, newsletter_status, publish
from tests.conftest import PELICANCONF, REPO, ContentTree
from tests.tip_newsletter.conftest import OSLO, SIGNUP_URL
from tests.tip_newsletter.fake_mailchimp import FakeMailchimp

CANARY = "canary0123456789abcdef-us21"
SECRETS = (CANARY, CANARY.split("-")[0])
PUBLISHCONF = str(REPO / "publishconf.py")
FOLDERS = ["--content", "content", "--output", "output", "--cache", "cache"]
AUDIENCE = "f00dfeed42"


def assert_secret_free(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"the key is in {where}"


class Everything(logging.Handler):
    """Every record at every level, formatted as a log file would hold it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def logs(monkeypatch) -> Everything:
    """The commands set up their logging; here at DEBUG, with every record kept."""
    handler = Everything()
    original = cli.setup_logging

    def debug_logging(verbose: bool = False) -> None:
        original(verbose)
        logging.getLogger().setLevel(logging.DEBUG)
        logging.getLogger().addHandler(handler)

    monkeypatch.setattr(cli, "setup_logging", debug_logging)
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@pytest.fixture
def fake():
    with FakeMailchimp(api_key=CANARY) as server:
        server.add_audience(AUDIENCE)
        yield server


@pytest.fixture
def checkout(tmp_path, monkeypatch, fake) -> str:
    """A tip dated today in nb and en, the production environment with the canary key."""
    content = ContentTree(tmp_path / "content")
    date = (datetime.datetime.now(OSLO) - datetime.timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    for lang in ("nb", "en"):
        content.tip(title=f"Smil {lang}", date=date, lang=lang, slug="smile", summary="Smil!")
    for name, value in {
        "SITEURL": "https://kundeservicetips.example",
        "NEWSLETTER_SIGNUP_URL": SIGNUP_URL,
        "NEWSLETTER_BACKEND": "mailchimp",
        "NEWSLETTER_REPLY_TO": "tips@kundeservicetips.example",
        "MAILCHIMP_API_KEY": CANARY,
        "MAILCHIMP_AUDIENCE_ID": AUDIENCE,
        "MAILCHIMP_API_URL": fake.url,
        "MAILCHIMP_TIMEOUT": "0.5",
        "MAILCHIMP_RETRIES": "1",
        "MAILCHIMP_BACKOFF": "0.01",
    }.items():
        monkeypatch.setenv(name, value)
    conf = tmp_path / "publish.py"
    conf.write_text(
        f"exec(open({PUBLISHCONF!r}).read())\nTHEME = {str(REPO / 'theme')!r}\n"
        "TIPS_SEARCH = False\n"
    )
    return str(conf)


def run(main, capsys, *argv: str) -> tuple[int, str]:
    code = main([*argv, *FOLDERS])
    out, err = capsys.readouterr()
    assert_secret_free(out, "stdout")
    assert_secret_free(err, "stderr")
    assert "Traceback" not in out + err
    return code, err


def assert_files_secret_free(*folders: Path) -> int:
    count = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for secret in SECRETS:
                    assert secret.encode() not in data, path
                count += 1
    return count


# Publish failing in each way it can: what goes wrong, and what the error names.
FAILURES = [
    ("the key is refused", lambda f, m: m.setattr(f.state, "api_key", "another-us21"), "KEY"),
    ("no such audience", lambda f, m: m.setenv("MAILCHIMP_AUDIENCE_ID", "nosuch"), "AUDIENCE"),
    ("500 on every create", lambda f, m: f.fault("POST", "/campaigns", "500", times=9), "500"),
    ("timeouts on every send", lambda f, m: f.fault("POST", r".*/send", "hang", times=9), "no"),
    ("dropped connections", lambda f, m: f.fault("GET", "/campaigns", "drop", times=9), "no"),
    (
        "the key without its data centre",
        lambda f, m: m.setenv("MAILCHIMP_API_KEY", SECRETS[1]),
        "KEY",
    ),
]


def test_every_command_and_failure_keeps_the_key_out(
    checkout, fake, logs, tmp_path, capsys, monkeypatch
):
    code, _ = run(build_command.main, capsys, "--settings", PELICANCONF)
    assert code == 0
    code, _ = run(check_command.main, capsys, "--settings", PELICANCONF)
    assert code == 0
    code, _ = run(newsletter_status.main, capsys, "--settings", checkout)
    assert code == 0

    for what, arrange, named in FAILURES:
        with monkeypatch.context() as local:
            arrange(fake, local)
            code, err = run(publish.main, capsys, "--settings", checkout, "--verbose")
            fake.state.faults.clear()
        assert code == 2, what
        assert (
            named.replace("KEY", "MAILCHIMP_API_KEY").replace("AUDIENCE", "MAILCHIMP_AUDIENCE_ID")
            in err.strip().splitlines()[-1]
        ), (what, err)

    code, _ = run(publish.main, capsys, "--settings", checkout, "--verbose")
    assert code == 0
    assert len(fake.sent_campaigns()) == 2  # the key did work, all along

    # The key in a settings file is refused without being repeated.
    leaky = tmp_path / "leaky.py"
    leaky.write_text(Path(checkout).read_text() + f"MAILCHIMP_API_KEY = {CANARY!r}\n")
    code, err = run(publish.main, capsys, "--settings", str(leaky))
    assert code == 2 and "MAILCHIMP_API_KEY: remove it from the settings file" in err

    assert any("DEBUG" in line for line in logs.lines)  # urllib3, Pelican: it was on
    assert any("/3.0/campaigns" in line for line in logs.lines)
    for line in logs.lines:
        assert_secret_free(line, "the log")
    assert assert_files_secret_free(*(tmp_path / f for f in ("output", "outbox", "cache"))) > 10


def test_exceptions_and_reprs_hold_no_key(checkout, fake, logs, tmp_path):
    """What a traceback or a debugger would print: the error, its chain, the objects."""
    from tips_app.pipeline import load_settings

    settings = load_settings(
        checkout, {"PATH": str(tmp_path / "content"), "CACHE_PATH": str(tmp_path / "cache")}
    )
    apply_environment(settings, os.environ)
    config = NewsletterSettings.from_pelican(settings)
    fake.state.api_key = "another-us21"  # Mailchimp refuses the canary
    backend = MailchimpBackend(config, {"MAILCHIMP_API_KEY": CANARY}, sleep=lambda _s: None)
    with pytest.raises(NewsletterError) as caught:
        backend.open()
    error = caught.value
    text = "".join(traceback.format_exception(error)) + repr(error) + repr(error.args)
    assert "Mailchimp refused the key" in text
    assert_secret_free(text, "the exception")
    for holder in (settings, config, backend, backend.api, backend.variant):
        assert_secret_free(repr(holder), f"repr of {type(holder).__name__}")
        assert_secret_free(str(holder), f"str of {type(holder).__name__}")
    for line in logs.lines:
        assert_secret_free(line, "the log")
