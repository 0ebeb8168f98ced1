"""Mailchimp: one regular campaign per tip and language, to that language's segment.

Each campaign has a deterministic title, ``Tip of the week 2021-W01:
say-their-name (nb)``, so any run finds what an earlier one did before it
creates anything: a campaign already sent is recorded and left alone, one
created but never sent is resumed. Mailchimp's list of campaigns is the truth;
the local record (``<NEWSLETTER_STATE_PATH>/mailchimp-<audience>.json``) only
spares a rerun the question.

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

from ..errors import BackendError, ConfigurationError, NewsletterError
from ..ledger import Ledger
from ..mailchimp_api import ApiFailure, MailchimpApi
from ..rendering import RenderedEmail, Variant
from ..segments import segment_opts
from ..settings import NewsletterSettings
from .base import BaseBackend

logger = logging.getLogger(__name__)

KEY_RE = re.compile(r"[0-9A-Za-z]{8,}-(?P<dc>[a-z]{2,}[0-9]+)")
TITLE_PREFIX = "Tip of the week"
TITLE_RE = re.compile(
    re.escape(TITLE_PREFIX)
    + r" (?P<week>\d{4}-W\d{2}): (?P<slug>[a-z0-9-]+) \((?P<lang>[a-z]{2})\)"
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
    "total_items",
)


def campaign_title(email: RenderedEmail) -> str:
    source = email.source
    return f"{TITLE_PREFIX} {source.week_code}: {source.slug} ({source.lang})"


def title_key(title: str) -> str | None:
    """The tip and language a campaign title names (slug/lang), whatever its week."""
    match = TITLE_RE.fullmatch(title or "")
    return f"{match['slug']}/{match['lang']}" if match else None


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

    def _check_settings(self, environ: Mapping[str, str]) -> None:
        """The key and the settings Mailchimp needs, named before any request."""
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
        for reply_to in config.reply_tos.values():
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
        self._key = key
        self._server = match["dc"]

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

    def open(self) -> None:
        if self._key is None:  # made for reading: no key was given
            self._check_settings({})
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
        self._check_segments()
        self._campaigns = self._list_campaigns()

    def close(self) -> None:
        if self.api is not None:
            logger.info("Mailchimp: %d API requests in this run", self.api.requests)

    def deliver(self, email: RenderedEmail) -> tuple[str, str, bool]:
        title = campaign_title(email)
        found = self._campaigns.get(email.key, [])
        if found:
            campaign, done = self._pick(found)
            if done is not None:
                return campaign["id"], done, False
            logger.info("Mailchimp: resuming campaign %s (%s)", campaign["id"], title)
            done = self._update(campaign["id"], email, title)  # the tip may have changed since
        else:
            ours = self._create(email, title)
            campaign, done = self._pick(self._settle_twins(email.key, ours))
        if done is None:
            done = self._set_content(campaign["id"], email, title)
        if done is not None:
            return campaign["id"], done, False
        self._send(campaign["id"], title)
        return campaign["id"], "", True

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

    def _check_segments(self) -> None:
        api = self._api
        audience = self.config.audience_id
        segments = self.config.segments.values()
        merge_tags = {s.field for s in segments if s.kind == "merge"}
        if merge_tags:
            try:
                data = api.read(
                    api.client.lists.get_list_merge_fields,
                    audience,
                    count=PAGE,
                    fields=api.fields("merge_fields.tag"),
                )
            except ApiFailure as failure:
                raise self._fail(failure, "reading the audience's fields") from None
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
            try:
                data = api.read(
                    api.client.lists.list_segments,
                    audience,
                    type="static",
                    count=PAGE,
                    fields=api.fields("segments.id", "segments.name"),
                )
            except ApiFailure as failure:
                raise self._fail(failure, "reading the audience's tags") from None
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
                key = title_key(campaign.get("settings", {}).get("title", ""))
                if key:
                    found[key].append(campaign)
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

    def _update(self, campaign_id: str, email: RenderedEmail, title: str) -> str | None:
        """Bring a resumed campaign up to date: subject, sender, segment. Returns a
        note instead when another run sent it meanwhile."""
        api = self._api
        body = self._campaign_body(email, title)
        del body["type"]  # fixed at creation
        try:  # a PATCH to the same values: safe to repeat, so retried like a read
            api.read(api.client.campaigns.update, campaign_id, body)
        except ApiFailure as failure:
            done = self._sent_meanwhile(campaign_id, title, failure)
            if done is None:
                raise self._fail(failure, f"updating the campaign '{title}'") from None
            return done
        return None

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
                found = self._lookup(email.key)
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

    def _status(self, campaign_id: str, title: str) -> str:
        api = self._api
        try:
            data = api.read(api.client.campaigns.get, campaign_id, fields=api.fields("status"))
        except ApiFailure as failure:
            raise self._fail(failure, f"reading the state of '{title}'") from None
        return str(data.get("status", ""))

    def _send(self, campaign_id: str, title: str) -> None:
        api = self._api
        attempt = 0
        while True:
            try:
                api.call(api.client.campaigns.send, campaign_id)
                logger.info("Mailchimp: sent campaign %s (%s)", campaign_id, title)
                return
            except ApiFailure as failure:
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
