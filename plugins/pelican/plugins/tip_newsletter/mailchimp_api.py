"""The official ``mailchimp-marketing`` client, with what it lacks for unattended use.

The client (3.0.80) has traps this module closes:

- an error whose body is empty comes back as a ``requests.Response`` instead
  of an exception, and so does a success whose body is empty or ``{}``;
- it never retries, and drops the ``Retry-After`` of a 429 (we keep the last
  response, so the header can be honoured);
- a request that timed out or lost its connection may still have happened on
  Mailchimp's side: :class:`ApiFailure` says so (``maybe_done``), and the
  caller reads the state back before it retries anything that creates or sends;
- list parameters such as ``fields`` must be Python lists (a string is split
  into characters): :meth:`MailchimpApi.fields` builds them.

Nothing here ever puts the API key into a message: every text that leaves this
module goes through :meth:`MailchimpApi.redact`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests

# The client and requests load when Mailchimp is first called (MailchimpApi),
# not when the backend module is imported: `make check` reads what was sent
# through the backend without talking to Mailchimp (a tenth of its time).

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER = 120.0  # seconds; a longer wait is better spent failing clearly


@dataclass(eq=False)
class ApiFailure(Exception):
    """A request that did not succeed: HTTP status (None: no answer) and Mailchimp's words."""

    status: int | None
    title: str
    detail: str = ""
    retry_after: float | None = None

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500

    @property
    def maybe_done(self) -> bool:
        """The request may have taken effect although no success came back."""
        return self.status is None or self.status >= 500

    def __str__(self) -> str:
        status = f"HTTP {self.status}" if self.status else "no response"
        detail = f": {self.detail}" if self.detail and self.detail != self.title else ""
        return f"{self.title}{detail} ({status})"


class _ResponseTap:
    """Stands in for ``ApiClient.request`` and keeps the last response it returned."""

    def __init__(self, request: Callable[..., requests.Response]):
        self.request = request
        self.last: requests.Response | None = None

    def __call__(self, method, url, query_params=None, headers=None, body=None):
        self.last = None
        self.last = self.request(method, url, query_params, headers=headers, body=body)
        return self.last


def _problem(text: Any) -> tuple[str, str]:
    """Title and detail of Mailchimp's problem document (JSON, text or a dict)."""
    data = text
    if isinstance(text, (bytes, str)):
        try:
            data = json.loads(text)
        except ValueError:
            return "", str(text)[:300]
    if isinstance(data, dict):
        detail = str(data.get("detail", ""))
        errors = data.get("errors")
        if isinstance(errors, list) and errors:
            fields = "; ".join(
                f"{e.get('field', '')}: {e.get('message', '')}".strip(": ")
                for e in errors
                if isinstance(e, dict)
            )
            detail = f"{detail} ({fields})" if detail else fields
        return str(data.get("title", "")), detail
    return "", str(data)[:300]


def _retry_after(response: requests.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class MailchimpApi:
    def __init__(
        self,
        api_key: str,
        server: str,
        *,
        host: str = "",
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        from mailchimp_marketing import Client

        self._secrets = tuple(s for s in {api_key, api_key.split("-")[0]} if len(s) >= 4)
        self.client = Client()
        self.client.set_config({"api_key": api_key, "server": server, "timeout": timeout})
        if host:
            # The client writes the data centre over the word "server" in its
            # host; an explicit base URL is used as given.
            self.client.api_client.host = host
            self.client.api_client.server = ""
        self._tap = _ResponseTap(self.client.api_client.request)
        self.client.api_client.request = self._tap
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.requests = 0  # how many calls were made, retries included

    @staticmethod
    def fields(*names: str) -> list[str]:
        """``fields=`` as the client needs it: a list (a string would be split)."""
        return list(names)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        """One request, once. Returns the JSON body ({} when empty); raises ApiFailure."""
        import requests
        from mailchimp_marketing.api_client import ApiClientError

        self.requests += 1
        try:
            result = method(*args, **kwargs)
        except ApiClientError as exc:
            response = self._tap.last
            if exc.status_code is None:  # timeout, refused or dropped connection
                reason = type(exc.text).__name__ if isinstance(exc.text, Exception) else "error"
                raise ApiFailure(
                    None, "no answer from Mailchimp", self.redact(f"{reason}: {exc.text}")
                ) from None
            title, detail = _problem(exc.text)
            raise ApiFailure(
                exc.status_code,
                self.redact(title or f"HTTP {exc.status_code}"),
                self.redact(detail),
                _retry_after(response),
            ) from None
        if isinstance(result, requests.Response):
            if result.ok:
                try:
                    data = result.json() if result.content else {}
                except ValueError:
                    data = {}
                return data if isinstance(data, dict) else {}
            raise ApiFailure(
                result.status_code,
                f"HTTP {result.status_code} with an empty answer",
                "",
                _retry_after(result),
            )
        return result if isinstance(result, dict) else {}

    def delay(self, failure: ApiFailure, attempt: int) -> float:
        if failure.retry_after is not None:
            return min(failure.retry_after, MAX_RETRY_AFTER)
        return min(self.backoff * (2**attempt), 30.0)

    def read(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        """A request without side effects: retried on 429 (after Retry-After), 5xx and
        lost connections, with growing pauses."""
        attempt = 0
        while True:
            try:
                return self.call(method, *args, **kwargs)
            except ApiFailure as failure:
                if not failure.retryable or attempt >= self.retries:
                    raise
                pause = self.delay(failure, attempt)
                logger.warning("Mailchimp: %s; trying again in %.1f s", failure, pause)
                self.sleep(pause)
                attempt += 1
