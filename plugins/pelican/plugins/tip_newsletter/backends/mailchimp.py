"""Mailchimp: one regular campaign per tip and language, to that language's segment.

Each campaign has a deterministic title naming the email it is (series, ISO
week and language, then the slug it was sent as): ``tip-of-the-week 2021-W01
(nb): say-their-name``. Any run finds what an earlier one did before it
creates anything, by that identity: a campaign already sent is recorded and
left alone (also when the tip's slug or title changed since), one created but
never sent is resumed. Titles of the first version (``Tip of the week 2021-W01:
say-their-name (nb)``) are read as the default series. Mailchimp's list of
campaigns is the truth; the local record
(``<NEWSLETTER_STATE_PATH>/mailchimp-<audience>.json``) only spares a rerun the
question, and ``make newsletter-status`` reads the campaigns when it has the key.

A language whose segment has no subscribers is skipped, not failed: Mailchimp
refuses to send such a campaign, so a campaign that would reach nobody is
deleted again and :class:`NoSubscribers` raised; a later run sends it if
subscribers arrive while the tip is due.

Never twice, never skipped: a create or send that fails without a clear "no"
(a timeout, a dropped connection, a 5xx) may have happened anyway, so the
campaign's state is read back before anything is retried. After creating a
campaign the title is looked up once more: if another machine's run created
one at the same moment, both keep the oldest and send only that one.

API calls: per run that has something to send, 1 (audience) + 1 (merge fields
or tags, when the segments use them) + 1 per 1,000 campaigns of the last
``LOOKBACK_DAYS``; per email, 4 (create, look up the title, set the content,
send), or 3 when resuming one (update, set the content, send). Faults add their
retries and read-backs.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any, Self

from tips_core.naming import email_identity
from tips_core.weeks import DEFAULT_SERIES, IsoWeek

from ..errors import BackendError, ConfigurationError, NewsletterError, NoSubscribers
from ..ledger import Ledger, SentRecord, parse_moment
from ..mailchimp_api import ApiFailure, MailchimpApi
from ..rendering import RenderedEmail, Variant
from ..segments import segment_opts
from ..settings import NewsletterSettings
from .base import BaseBackend

logger = logging.getLogger(__name__)

KEY_RE = re.compile(r"[0-9A-Za-z]{8,}-(?P<dc>[a-z]{2,}[0-9]+)")
TITLE_RE = re.compile(
    r"(?P<series>[a-z0-9][a-z0-9_-]*) (?P<week>\d{4}-W\d{2}) \((?P<lang>[a-z]{2})\): (?P<slug>\S+)"
)
LEGACY_TITLE_RE = re.compile(
    r"Tip of the week (?P<week>\d{4}-W\d{2}): (?P<slug>[a-z0-9-]+) \((?P<lang>[a-z]{2})\)"
)
DONE = ("sent", "sending", "schedule")  # it went (or will go) out: never send again
CANCELED = ("canceled", "canceling")  # a person stopped it: not ours to send again
LOOKBACK_DAYS = 400  # campaigns created since then are searched for earlier runs
PAGE = 1000
PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")
CAMPAIGN_FIELDS = (
    "campaigns.id",
    "campaigns.status",
    "campaigns.create_time",
    "campaigns.send_time",
    "campaigns.settings.title",
    "campaigns.recipients.recipient_count",
    "total_items",
)
# Words of Mailchimp's refusal to send a campaign that reaches nobody.
NOBODY_RE = re.compile(r"recipient|subscriber|segment|no one|empty", re.IGNORECASE)


def campaign_title(email: RenderedEmail) -> str:
    """``tip-of-the-week 2021-W01 (nb): say-their-name``: the identity, then the slug."""
    series, week, lang = email.email_id.split("/")
    return f"{series} {week} ({lang}): {email.source.slug}"


def parse_title(title: str) -> tuple[str, str] | None:
    """The email a campaign title names (its identity) and the slug it was sent as;
    None for a campaign that is not ours."""
    match = TITLE_RE.fullmatch(title or "")
    if match:
        week = IsoWeek.from_code(match["week"])
        return email_identity(match["series"], week, match["lang"]), match["slug"]
    match = LEGACY_TITLE_RE.fullmatch(title or "")
    if match:
        week = IsoWeek.from_code(match["week"])
        return email_identity(DEFAULT_SERIES, week, match["lang"]), match["slug"]
    return None


LEDGER_NAME_RE = re.compile(r"mailchimp-[A-Za-z0-9_-]+\.json")


def mailchimp_ledger(config: NewsletterSettings) -> Ledger:
    """The local record of one audience's campaigns (readable without the API key)."""
    audience = re.sub(r"[^A-Za-z0-9_-]", "_", config.audience_id or "no-audience")
    return Ledger(os.path.join(config.state_path, f"mailchimp-{audience}.json"), "mailchimp")


class MailchimpBackend(BaseBackend):
    name = "mailchimp"

    def __init__(
        self,
        config: NewsletterSettings,
        environ: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        """Without ``environ`` the backend only reads its record (``make
        newsletter-status``): the key is asked for when an API call is needed."""
        super().__init__(config)
        self._key: str | None = None
        self._server = ""
        self._sleep = sleep
        self.api: MailchimpApi | None = None
        self._campaigns: dict[str, list[dict[str, Any]]] = {}
        self._tag_ids: dict[str, int] = {}
        if environ is not None:
            self._check_settings(environ)

    @classmethod
    def for_sending(cls, config: NewsletterSettings, environ: Mapping[str, str]) -> Self:
        return cls(config, environ)

    @classmethod
    def for_reading(cls, config: NewsletterSettings, environ: Mapping[str, str]) -> Self:
        """A backend that reads the campaigns (``make newsletter-status``) when the key
        is in the environment (then the audience is needed too, the sender's
        settings are not), else only the local record."""
        backend = cls(config)
        if (environ.get("MAILCHIMP_API_KEY") or "").strip():
            backend._check_key(environ)
        return backend

    def connect(self) -> None:
        if self._key is not None:
            self._connect()

    def reading_caveat(self) -> str:
        if self.api is not None:
            return ""
        return (
            "MAILCHIMP_API_KEY is not set: this status knows only the local record "
            f"({self.ledger.path}), not Mailchimp's campaigns, and a fresh checkout has no "
            "record; set the key in the environment to read what Mailchimp sent."
        )

    def _check_settings(self, environ: Mapping[str, str]) -> None:
        """The key and the settings Mailchimp needs, named before any request."""
        self._check_key(environ)
        self._check_sender()

    def _check_key(self, environ: Mapping[str, str]) -> None:
        config = self.config
        key = (environ.get("MAILCHIMP_API_KEY") or "").strip()
        if not key:
            raise ConfigurationError(
                "MAILCHIMP_API_KEY: not set. Put your Mailchimp API key (Profile > Extras > "
                "API keys) in the environment of `make publish`; it is never read from a file"
            )
        match = KEY_RE.fullmatch(key)
        if not match:
            raise ConfigurationError(
                "MAILCHIMP_API_KEY: this is not a Mailchimp API key of the form "
                "<key>-<data centre>, e.g. ...-us21; copy it again from Mailchimp "
                "(the value is not shown here)"
            )
        if not config.audience_id:
            raise ConfigurationError(
                "MAILCHIMP_AUDIENCE_ID: not set; it is the audience's id (Audience > Settings > "
                "Audience name and defaults > Audience ID)"
            )
        self._key = key
        self._server = match["dc"]

    def _check_sender(self) -> None:
        for reply_to in self.config.reply_tos.values():
            if not reply_to:
                raise ConfigurationError(
                    "NEWSLETTER_REPLY_TO: not set; Mailchimp sends from this address and replies "
                    "go to it (set it in publishconf.py or the environment)"
                )
            if reply_to.rsplit("@", 1)[-1].lower() in PLACEHOLDER_DOMAINS:
                raise ConfigurationError(
                    f"NEWSLETTER_REPLY_TO: {reply_to} is a placeholder; set the address "
                    "subscribers' replies should go to"
                )

    # The interface -------------------------------------------------------
    @property
    def variant(self) -> Variant:
        return Variant(
            self.name,
            unsubscribe_url="*|UNSUB|*",
            forward_url="*|FORWARD|*",
            preheader=False,  # Mailchimp inserts the campaign's preview text itself
            postal_address=self.config.postal_address or "*|LIST:ADDRESSLINE|*",
            inert_merge_tags=True,
        )

    @property
    def ledger(self) -> Ledger:
        return mailchimp_ledger(self.config)

    def sent_records(self) -> dict[str, SentRecord]:
        """The local record, and once connected, what Mailchimp's campaigns say (the
        truth: a fresh checkout has no local record)."""
        records = self._local_records()
        for key, campaigns in self._campaigns.items():
            campaign, done = self._pick(campaigns)
            if done is not None and key not in records:  # ours says more: title, date
                records[key] = self._record_of_campaign(key, campaign)
        return records

    def _local_records(self) -> dict[str, SentRecord]:
        """The record of the configured audience; with none configured (`make check`
        on an author's machine, where the audience comes from the environment of
        `make publish`), the records of every audience kept here."""
        if self.config.audience_id:
            return self.ledger.load()
        records: dict[str, SentRecord] = {}
        folder = self.config.state_path
        names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        for name in names:
            if LEDGER_NAME_RE.fullmatch(name):
                records.update(Ledger(os.path.join(folder, name), self.name).load())
        return records

    def _record_of_campaign(self, key: str, campaign: dict[str, Any]) -> SentRecord:
        parsed = parse_title(campaign.get("settings", {}).get("title", ""))
        status = campaign.get("status", "")
        note = (
            f"{status} in Mailchimp by a person; not sent again"
            if status in CANCELED
            else f"found {status}"
        )
        when = campaign.get("send_time") or campaign.get("create_time") or ""
        return SentRecord(
            key,
            self.name,
            _local_iso(when, self.config.tips.timezone),
            str(campaign.get("id", "")),
            note,
            slug=parsed[1] if parsed else "",
        )

    def _connect(self) -> None:
        """Reach Mailchimp and read this audience's campaigns; no sender settings
        needed (what ``make newsletter-status`` does with the key)."""
        if self.api is not None:
            return
        if self._key is None:  # made for reading: no key was given
            self._check_key({})
        config = self.config
        self.api = MailchimpApi(
            self._key,
            self._server,
            host=config.api_url,
            timeout=config.timeout,
            retries=config.retries,
            backoff=config.backoff,
            sleep=self._sleep,
        )
        self._check_audience()
        self._campaigns = self._list_campaigns()

    def open(self) -> None:
        self._check_sender()
        self._connect()
        self._check_segments()

    def close(self) -> None:
        if self.api is not None:
            logger.info("Mailchimp: %d API requests in this run", self.api.requests)

    def deliver(self, email: RenderedEmail) -> tuple[str, str, bool]:
        title = campaign_title(email)
        found = self._campaigns.get(email.email_id, [])
        if found:
            campaign, done = self._pick(found)
            if done is not None:
                return campaign["id"], done, False
            logger.info("Mailchimp: resuming campaign %s (%s)", campaign["id"], title)
            # The tip may have changed since (its slug too: the title follows it).
            done, campaign = self._update(campaign, email, title)
        else:
            ours = self._create(email, title)
            campaign, done = self._pick(self._settle_twins(email.email_id, ours))
        if done is None and _recipients(campaign) == 0:
            self._nobody(campaign, email, title)
        if done is None:
            done = self._set_content(campaign["id"], email, title)
        if done is not None:
            return campaign["id"], done, False
        self._send(campaign["id"], email, title)
        return campaign["id"], "", True

    def send_test(self, email: RenderedEmail, to: str) -> str:
        """Mailchimp's test email of the campaign the real send will use: found by the
        email's identity (and brought up to date) or created under it, so the real
        send resumes it and nothing goes out twice. Never sent to the segment."""
        title = campaign_title(email)
        found = self._campaigns.get(email.email_id, [])
        if found:
            campaign, done = self._pick(found)
            if done is not None:
                raise BackendError(
                    f"Mailchimp: '{title}' was already sent to the subscribers (campaign "
                    f"{campaign['id']}, {done}); no test email is sent for it"
                )
            done, campaign = self._update(campaign, email, title)
        else:
            campaign, done = self._pick(
                self._settle_twins(email.email_id, self._create(email, title))
            )
        if done is None:
            done = self._set_content(campaign["id"], email, title)
        if done is not None:
            raise BackendError(f"Mailchimp: '{title}' was sent meanwhile ({done}); no test email")
        api = self._api
        try:  # a test email is harmless to repeat: retried like a read
            api.read(
                api.client.campaigns.send_test_email,
                campaign["id"],
                {"test_emails": [to], "send_type": "html"},
            )
        except ApiFailure as failure:
            raise self._fail(failure, f"sending a test of '{title}'") from None
        return f"campaign {campaign['id']} (a test email; the campaign waits for its real send)"

    def _nobody(self, campaign: dict[str, Any], email: RenderedEmail, title: str) -> None:
        """Nobody is in the language's segment: leave no empty campaign behind, and
        skip the email (a later run sends it if subscribers arrive in time)."""
        api = self._api
        try:
            api.call(api.client.campaigns.remove, campaign["id"])
            self._campaigns.pop(email.email_id, None)
        except ApiFailure as failure:
            logger.warning(
                "Mailchimp: could not delete the empty campaign %s (%s): %s",
                campaign["id"],
                title,
                failure,
            )
        raise NoSubscribers(
            f"no subscribers in {email.lang} yet ({self.config.segment(email.lang).describe()}); "
            f"'{title}' was not sent"
        )

    def _pick(self, campaigns: list[dict[str, Any]]) -> tuple[dict[str, Any], str | None]:
        """The campaign to use among those of one tip: one already sent if any (then
        there is nothing to do), else the oldest."""
        for campaign in campaigns:
            done = self._already_done(campaign)
            if done is not None:
                return campaign, done
        return campaigns[0], None

    # Checks ----------------------------------------------------------------
    def _fail(self, failure: ApiFailure, doing: str) -> NewsletterError:
        if failure.status == 401:
            return ConfigurationError(
                f"MAILCHIMP_API_KEY: Mailchimp refused the key while {doing} ({failure}); "
                "check the key and that it ends with your account's data centre"
            )
        if failure.status == 403:
            return ConfigurationError(
                f"MAILCHIMP_API_KEY: the key may not do this ({doing}: {failure}); use a key "
                "of an account with the Manager or Admin role"
            )
        return BackendError(f"Mailchimp, {doing}: {failure}")

    def _check_audience(self) -> None:
        api = self._api
        audience = self.config.audience_id
        try:
            api.read(api.client.lists.get_list, audience, fields=api.fields("id", "name"))
        except ApiFailure as failure:
            if failure.status == 404:
                raise ConfigurationError(
                    f"MAILCHIMP_AUDIENCE_ID: Mailchimp has no audience {audience!r} in this "
                    "account (Audience > Settings > Audience name and defaults > Audience ID)"
                ) from None
            raise self._fail(failure, "reading the audience") from None

    def _read_audience(self, method, doing: str, **params: Any) -> dict[str, Any]:
        """One page (up to 1,000) of a list of the audience's, or the error named."""
        try:
            return self._api.read(method, self.config.audience_id, count=PAGE, **params)
        except ApiFailure as failure:
            raise self._fail(failure, doing) from None

    def _check_segments(self) -> None:
        api = self._api
        segments = self.config.segments.values()
        merge_tags = {s.field for s in segments if s.kind == "merge"}
        if merge_tags:
            data = self._read_audience(
                api.client.lists.get_list_merge_fields,
                "reading the audience's fields",
                fields=api.fields("merge_fields.tag"),
            )
            known = {field.get("tag") for field in data.get("merge_fields", [])}
            missing = sorted(merge_tags - known)
            if missing:
                raise ConfigurationError(
                    f"NEWSLETTER_SEGMENTS: the audience has no field with the merge tag "
                    f"{', '.join(missing)}; add a hidden text field with that tag (Audience > "
                    "Settings > Audience fields and *|MERGE|* tags), as the README says"
                )
        tags = {s.field for s in segments if s.kind == "tag"}
        if tags:
            data = self._read_audience(
                api.client.lists.list_segments,
                "reading the audience's tags",
                type="static",
                fields=api.fields("segments.id", "segments.name"),
            )
            self._tag_ids = {s.get("name"): int(s.get("id")) for s in data.get("segments", [])}
            missing = sorted(tags - set(self._tag_ids))
            if missing:
                raise ConfigurationError(
                    f"NEWSLETTER_SEGMENTS: the audience has no tag {', '.join(missing)}"
                )

    # Campaigns -------------------------------------------------------------
    @property
    def _api(self) -> MailchimpApi:
        if self.api is None:
            raise BackendError("Mailchimp backend used before open()")
        return self.api

    def _list_campaigns(self) -> dict[str, list[dict[str, Any]]]:
        """Our campaigns in the audience by tip and language, oldest first."""
        api = self._api
        since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=LOOKBACK_DAYS)
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        offset = 0
        while True:
            try:
                data = api.read(
                    api.client.campaigns.list,
                    list_id=self.config.audience_id,
                    type="regular",
                    since_create_time=since.isoformat(timespec="seconds"),
                    count=PAGE,
                    offset=offset,
                    fields=api.fields(*CAMPAIGN_FIELDS),
                )
            except ApiFailure as failure:
                raise self._fail(failure, "looking for campaigns of earlier runs") from None
            page = data.get("campaigns", [])
            for campaign in page:
                parsed = parse_title(campaign.get("settings", {}).get("title", ""))
                if parsed:
                    found[parsed[0]].append(campaign)
            offset += len(page)
            if not page or offset >= int(data.get("total_items", 0)):
                break
        for campaigns in found.values():
            campaigns.sort(key=lambda c: (c.get("create_time", ""), c.get("id", "")))
        return dict(found)

    def _lookup(self, key: str) -> list[dict[str, Any]]:
        self._campaigns = self._list_campaigns()
        return self._campaigns.get(key, [])

    def _already_done(self, campaign: dict[str, Any]) -> str | None:
        status = campaign.get("status", "")
        if status in DONE:
            when = (campaign.get("send_time") or "")[:16].replace("T", " ")
            return f"found {status}" + (f" {when}" if when else "")
        if status in CANCELED:
            return f"{status} in Mailchimp by a person; not sent again"
        return None

    def _campaign_body(self, email: RenderedEmail, title: str) -> dict[str, Any]:
        return {
            "type": "regular",
            "recipients": {
                "list_id": self.config.audience_id,
                "segment_opts": segment_opts(self.config.segment(email.lang), self._tag_ids),
            },
            "settings": {
                "title": title,
                "subject_line": email.subject,
                "preview_text": email.preheader,
                "from_name": self.config.from_name(email.lang),
                "reply_to": self.config.reply_to(email.lang),
                "auto_footer": False,  # our footer has the unsubscribe link and address
            },
        }

    def _update(
        self, campaign: dict[str, Any], email: RenderedEmail, title: str
    ) -> tuple[str | None, dict[str, Any]]:
        """Bring a resumed campaign up to date: title, subject, sender, segment.
        Returns a note instead when another run sent it meanwhile, and the campaign
        as Mailchimp now has it."""
        api = self._api
        campaign_id = campaign["id"]
        body = self._campaign_body(email, title)
        del body["type"]  # fixed at creation
        try:  # a PATCH to the same values: safe to repeat, so retried like a read
            updated = api.read(api.client.campaigns.update, campaign_id, body)
        except ApiFailure as failure:
            done = self._sent_meanwhile(campaign_id, title, failure)
            if done is None:
                raise self._fail(failure, f"updating the campaign '{title}'") from None
            return done, campaign
        return None, updated if updated.get("id") else campaign

    def _sent_meanwhile(self, campaign_id: str, title: str, failure: ApiFailure) -> str | None:
        """Mailchimp refuses to edit a sent campaign (400): was it sent by another run
        (started at the same moment) since this one found it unsent?"""
        if failure.status != 400:
            return None
        status = self._status(campaign_id, title)
        if status in DONE:
            logger.info("Mailchimp: campaign %s was %s by another run", campaign_id, status)
            return f"found {status}: another run sent it meanwhile"
        return None

    def _create(self, email: RenderedEmail, title: str) -> dict[str, Any]:
        api = self._api
        body = self._campaign_body(email, title)
        attempt = 0
        while True:
            try:
                campaign = api.call(api.client.campaigns.create, body)
                if not campaign.get("id"):
                    raise ApiFailure(None, "Mailchimp answered without a campaign id")
                logger.info("Mailchimp: created campaign %s (%s)", campaign["id"], title)
                return campaign
            except ApiFailure as failure:
                if not failure.retryable:
                    raise self._fail(failure, f"creating the campaign '{title}'") from None
                if attempt >= api.retries:
                    raise BackendError(
                        f"Mailchimp, creating the campaign '{title}': {failure}, "
                        f"{attempt + 1} times; nothing was sent for it. Run again later."
                    ) from None
                api.sleep(api.delay(failure, attempt))
                attempt += 1
                # It may have been created although no answer came: look before retrying.
                found = self._lookup(email.email_id)
                if found:
                    logger.info("Mailchimp: the campaign was created after all (%s)", title)
                    return found[0]

    def _settle_twins(self, key: str, ours: dict[str, Any]) -> list[dict[str, Any]]:
        """Another run may have created the same campaign at the same moment: every run
        keeps the oldest; a twin of ours that is not sent is deleted."""
        found = self._lookup(key) or [ours]
        if found[0]["id"] != ours["id"] and ours.get("status", "save") == "save":
            api = self._api
            logger.warning(
                "Mailchimp: campaign %s duplicates %s (another run?); deleting ours",
                ours["id"],
                found[0]["id"],
            )
            try:
                api.call(api.client.campaigns.remove, ours["id"])
                found = [c for c in found if c["id"] != ours["id"]]
            except ApiFailure as failure:
                logger.warning("Mailchimp: could not delete %s: %s", ours["id"], failure)
        return found

    def _set_content(self, campaign_id: str, email: RenderedEmail, title: str) -> str | None:
        api = self._api
        try:  # a PUT of the same content: safe to repeat, so retried like a read
            api.read(
                api.client.campaigns.set_content,
                campaign_id,
                {"html": email.html, "plain_text": email.text},
            )
        except ApiFailure as failure:
            done = self._sent_meanwhile(campaign_id, title, failure)
            if done is None:
                raise self._fail(failure, f"setting the content of '{title}'") from None
            return done
        return None

    def _reaches_nobody(self, campaign_id: str, failure: ApiFailure) -> bool:
        """Whether Mailchimp refused to send because the segment is empty: the
        campaign's recipient count where Mailchimp gives it, else its words."""
        api = self._api
        try:
            data = api.read(
                api.client.campaigns.get,
                campaign_id,
                fields=api.fields("status", "recipients.recipient_count"),
            )
        except ApiFailure:
            data = {}
        if data.get("status", "save") != "save":
            return False
        count = _recipients(data)
        if count is not None:
            return count == 0
        return bool(
            NOBODY_RE.search(f"{failure.title} {failure.detail} {self._checklist(campaign_id)}")
        )

    def _checklist(self, campaign_id: str) -> str:
        """The words of Mailchimp's send checklist for what stops a send ('' when it
        cannot be read): where the refusal itself does not say why."""
        api = self._api
        try:
            data = api.read(api.client.campaigns.get_send_checklist, campaign_id)
        except ApiFailure:
            return ""
        items = data.get("items") or []
        return " ".join(
            f"{item.get('heading', '')} {item.get('details', '')}"
            for item in items
            if isinstance(item, dict) and item.get("type") == "error"
        )

    def _status(self, campaign_id: str, title: str) -> str:
        api = self._api
        try:
            data = api.read(api.client.campaigns.get, campaign_id, fields=api.fields("status"))
        except ApiFailure as failure:
            raise self._fail(failure, f"reading the state of '{title}'") from None
        return str(data.get("status", ""))

    def _send(self, campaign_id: str, email: RenderedEmail, title: str) -> None:
        api = self._api
        attempt = 0
        while True:
            try:
                api.call(api.client.campaigns.send, campaign_id)
                logger.info("Mailchimp: sent campaign %s (%s)", campaign_id, title)
                return
            except ApiFailure as failure:
                if failure.status == 400 and self._reaches_nobody(campaign_id, failure):
                    self._nobody({"id": campaign_id}, email, title)
                if failure.retryable and attempt < api.retries:
                    api.sleep(api.delay(failure, attempt))
                attempt += 1
                # Sent after all (the answer was lost), or by someone else? Look first.
                status = self._status(campaign_id, title)
                if status in DONE:
                    logger.info("Mailchimp: campaign %s is %s after all", campaign_id, status)
                    return
                if status in CANCELED:
                    raise BackendError(
                        f"Mailchimp: campaign {campaign_id} ('{title}') was {status} while "
                        "being sent; look at it in Mailchimp before running again"
                    ) from None
                if not failure.retryable:
                    raise self._fail(failure, f"sending '{title}'") from None
                if attempt > api.retries:
                    raise BackendError(
                        f"Mailchimp, sending '{title}': {failure}, {attempt} times; the "
                        f"campaign {campaign_id} is ready but not sent. Run again later: it "
                        "will be resumed, not created twice."
                    ) from None


def _recipients(campaign: dict[str, Any]) -> int | None:
    """How many subscribers a campaign reaches, where Mailchimp said so."""
    count = (campaign.get("recipients") or {}).get("recipient_count")
    return int(count) if isinstance(count, int | float | str) and str(count).isdigit() else None


def _local_iso(when: str, timezone: datetime.tzinfo) -> str:
    """Mailchimp's UTC time as records keep it: local, with its offset."""
    moment = parse_moment(when)
    if moment is None:
        return when
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(timezone).isoformat(timespec="seconds")
