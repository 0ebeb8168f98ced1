"""A local stand-in for the part of the Mailchimp Marketing API the newsletter uses.

It speaks HTTP on 127.0.0.1 (an ephemeral port) to the real
``mailchimp-marketing`` client: Basic auth with the API key, JSON bodies,
errors as ``application/problem+json`` problem documents, ``fields=``
projections, ``204 No Content`` for actions. Faults can be injected per
request: error answers (401, 404, a 429 with ``Retry-After``, a 500 with and
without a body), a request that is never answered (dropped, or a hang past the
client's timeout), one that is carried out but whose answer never arrives, and
a pause at a chosen request, before or after it is carried out, for a test to
kill the sending process there, and requests of two runs held until both are
there, so they are carried out at the same moment. ``log`` records every request; ``sends``
counts the sends of each campaign, which is what the tests hold to one.

Subscribers: an audience given members (:meth:`FakeMailchimp.add_member`) counts
each campaign's recipients from its segment's conditions, as Mailchimp does
(``recipients.recipient_count``), and refuses to send one that reaches nobody
("Your Campaign is not ready to send."). ``hide_counts`` leaves the count out
of the answers, so only the refusal tells. An audience without members sends
to "everyone" and reports no count (the tests that are not about subscribers).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import json
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ERRORS_DOC = "https://mailchimp.com/developer/marketing/docs/errors/"


@dataclass
class Fault:
    method: str
    path: str  # a regular expression matched against the whole path
    # 400, 401, 404, 429, 500, 500-empty, 503, drop, hang, commit-drop, commit-hang,
    # commit-500-empty, twin, pause, commit-pause, together
    kind: str
    times: int = 1
    retry_after: float = 1
    hang: float = 1.0
    skip: int = 0  # let this many matching requests through first
    # pause: the request arrived and was not carried out; commit-pause: it was carried
    # out. Either way `reached` is set and the answer waits for `release` (a test
    # kills the client meanwhile), then the connection is dropped.
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    # together: `times` matching requests wait for each other, then are carried out
    # (two runs' creates at the very same moment).
    barrier: threading.Barrier | None = None


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any


@dataclass
class FakeState:
    api_key: str
    audiences: dict[str, dict[str, Any]] = field(default_factory=dict)
    campaigns: dict[str, dict[str, Any]] = field(default_factory=dict)
    contents: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    log: list[Request] = field(default_factory=list)
    sends: Counter = field(default_factory=Counter)
    tests: list[tuple[str, list[str]]] = field(default_factory=list)  # test emails sent
    hide_counts: bool = False
    created: int = 0
    clock: int = 0
    # Mailchimp's clock: starts now, one second further for each thing created or sent.
    start: datetime.datetime = field(
        default_factory=lambda: datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    )

    def tick(self) -> str:
        self.clock += 1
        return (self.start + datetime.timedelta(seconds=self.clock)).isoformat()


def project(data: Any, paths: list[str]) -> Any:
    """Mailchimp's ``fields=a.b,c``: keep only those dotted paths."""
    if not paths:
        return data
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})

    def keep(value: Any, node: dict[str, Any]) -> Any:
        if not node:
            return value
        if isinstance(value, list):
            return [keep(item, node) for item in value]
        if isinstance(value, dict):
            return {k: keep(v, node[k]) for k, v in value.items() if k in node}
        return value

    return keep(data, tree)


class FakeMailchimp:
    def __init__(self, api_key: str = "0123456789abcdef0123456789abcdef-us21"):
        self.state = FakeState(api_key)
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/3.0"

    def __enter__(self) -> FakeMailchimp:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        for fault in self.state.faults:
            fault.release.set()  # no handler stays paused
        self.server.shutdown()
        self.server.server_close()

    # Setting the scene ----------------------------------------------------
    def add_audience(self, list_id: str, merge_tags=("FNAME", "LNAME", "LANGUAGE"), tags=()):
        self.state.audiences[list_id] = {
            "id": list_id,
            "name": f"Audience {list_id}",
            "merge_fields": [
                {"merge_id": i + 1, "tag": tag, "name": tag.title(), "type": "text"}
                for i, tag in enumerate(merge_tags)
            ],
            "segments": [
                {"id": 1000 + i, "name": name, "type": "static"} for i, name in enumerate(tags)
            ],
            "members": None,  # None: not modelled (every campaign has recipients)
        }

    def add_member(self, list_id: str, email: str, language: str = "", tags=(), **merges):
        """A subscriber, with Mailchimp's own language field and merge fields."""
        audience = self.state.audiences[list_id]
        segment_ids = {s["name"]: s["id"] for s in audience["segments"]}
        with self.lock:
            audience["members"] = [
                *(audience["members"] or []),
                {
                    "email_address": email,
                    "language": language,
                    "merge_fields": dict(merges),
                    "tags": {segment_ids[t] for t in tags},
                },
            ]

    def add_campaign(self, list_id: str, title: str, status: str = "save", **extra) -> str:
        with self.lock:
            return self._create(
                {
                    "type": "regular",
                    "recipients": {"list_id": list_id},
                    "settings": {"title": title, **extra},
                },
                status=status,
            )["id"]

    def fault(self, method: str, path: str, kind: str, **options) -> Fault:
        fault = Fault(method, path, kind, **options)
        if kind == "together":
            fault.barrier = threading.Barrier(fault.times, timeout=60)
        self.state.faults.append(fault)
        return fault

    # What happened ----------------------------------------------------------
    def calls(self, method: str | None = None, path: str | None = None) -> list[Request]:
        return [
            r
            for r in self.state.log
            if (method is None or r.method == method)
            and (path is None or re.fullmatch(path, r.path))
        ]

    def campaigns_titled(self, title: str) -> list[dict[str, Any]]:
        return [c for c in self.state.campaigns.values() if c["settings"].get("title") == title]

    def sent_campaigns(self) -> list[dict[str, Any]]:
        return [c for c in self.state.campaigns.values() if c["status"] == "sent"]

    # The API ----------------------------------------------------------------
    def recipient_count(self, campaign: dict[str, Any]) -> int | None:
        """How many members the campaign's segment holds (None: members not modelled)."""
        audience = self.state.audiences.get(campaign["recipients"].get("list_id"), {})
        members = audience.get("members")
        if members is None:
            return None
        conditions = (campaign["recipients"].get("segment_opts") or {}).get("conditions", [])
        return sum(1 for m in members if all(_matches(m, c) for c in conditions))

    def shown(self, campaign: dict[str, Any]) -> dict[str, Any]:
        """A campaign as the API answers with it: with its recipient count."""
        count = self.recipient_count(campaign)
        if count is None or self.state.hide_counts:
            return campaign
        return {**campaign, "recipients": {**campaign["recipients"], "recipient_count": count}}

    def _create(self, body: dict[str, Any], status: str = "save") -> dict[str, Any]:
        self.state.created += 1  # ids are never reused, also after a delete
        campaign_id = f"{self.state.created:010x}"
        campaign = {
            "id": campaign_id,
            "web_id": self.state.created,
            "type": body.get("type", "regular"),
            "status": status,
            "create_time": self.state.tick(),
            "send_time": "",
            "recipients": dict(body.get("recipients", {})),
            "settings": dict(body.get("settings", {})),
        }
        if status == "sent":
            campaign["send_time"] = campaign["create_time"]
        self.state.campaigns[campaign_id] = campaign
        return campaign


def _matches(member: dict[str, Any], condition: dict[str, Any]) -> bool:
    kind, value = condition.get("condition_type"), condition.get("value")
    if kind == "TextMerge":
        return member["merge_fields"].get(condition.get("field")) == value
    if kind == "Language":
        return member["language"] == value
    if kind == "StaticSegment":
        return value in member["tags"]
    return False


def problem(status: int, title: str, detail: str, **extra) -> dict[str, Any]:
    return {
        "type": ERRORS_DOC,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": str(uuid.uuid4()),
        **extra,
    }


class _Handler(BaseHTTPRequestHandler):
    fake: FakeMailchimp
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")

    # Plumbing ---------------------------------------------------------------
    def _send(self, status: int, data: Any = None, headers: dict[str, str] | None = None):
        body = b""
        content_type = None
        if data is not None:
            body = json.dumps(data).encode()
            content_type = (
                "application/problem+json; charset=utf-8"
                if status >= 400
                else "application/json; charset=utf-8"
            )
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drop(self):
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(2)

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            _user, _, key = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return key == self.fake.state.api_key

    def _handle(self, method: str) -> None:
        fake = self.fake
        parts = urlsplit(self.path)
        path = parts.path.removeprefix("/3.0")
        query = parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with fake.lock:
            fake.state.log.append(Request(method, path, query, body))
            fault = self._take_fault(method, path)
        if not self._authorized():
            return self._send(
                401,
                problem(
                    401,
                    "API Key Invalid",
                    "Your API key may be invalid, or you've attempted to access the wrong "
                    "datacenter.",
                ),
            )
        if fault is not None and fault.barrier is not None:
            fault.barrier.wait()
        if fault is not None and fault.kind in ("pause", "hang"):
            if fault.kind == "hang":  # past the client's timeout, never carried out
                time.sleep(fault.hang)
            else:
                fault.reached.set()
                fault.release.wait(timeout=60)
            return self._drop()
        if fault is not None and fault.kind in ("401", "404", "500"):
            titles = {
                "401": ("API Key Invalid", "Your API key may be invalid."),
                "404": ("Resource Not Found", "The requested resource could not be found."),
                "500": ("Internal Server Error", "An unexpected internal error occurred."),
            }
            return self._send(int(fault.kind), problem(int(fault.kind), *titles[fault.kind]))
        if fault is not None and fault.kind in ("400", "429", "500-empty", "503", "drop"):
            if fault.kind == "400":
                return self._send(
                    400,
                    problem(
                        400,
                        "Invalid Resource",
                        "The resource submitted could not be validated.",
                        errors=[
                            {
                                "field": "settings.subject_line",
                                "message": "This value should not be blank.",
                            }
                        ],
                    ),
                )
            if fault.kind == "429":
                return self._send(
                    429,
                    problem(
                        429,
                        "Too Many Requests",
                        "You have exceeded the limit of 10 simultaneous connections.",
                    ),
                    {"Retry-After": str(fault.retry_after)},
                )
            if fault.kind == "500-empty":
                return self._send(500)
            if fault.kind == "503":
                return self._send(503, problem(503, "Service Unavailable", "Try again later."))
            return self._drop()
        with fake.lock:
            if fault is not None and fault.kind == "twin" and method == "POST":
                twin = fake._create(body or {})
                # Created by "another run" a moment before ours.
                twin["create_time"] = fake.state.start.isoformat()
            status, data = self._route(method, path, query, body)
        if fault is not None and fault.kind.startswith("commit-"):
            if fault.kind == "commit-pause":
                fault.reached.set()
                fault.release.wait(timeout=60)
                return self._drop()
            if fault.kind == "commit-hang":
                time.sleep(fault.hang)
                return self._drop()
            if fault.kind == "commit-500-empty":
                return self._send(500)
            return self._drop()
        if status == 204:
            return self._send(204)
        fields = ",".join(query.get("fields", [])).split(",") if "fields" in query else []
        if status < 400 and fields:
            data = project(data, [f for f in fields if f])
        return self._send(status, data)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.fake.state.faults:
            if fault.method == method and re.fullmatch(fault.path, path) and fault.times > 0:
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.times -= 1
                return fault
        return None

    # Routes (called under the lock) -------------------------------------------
    def _route(self, method, path, query, body) -> tuple[int, Any]:
        state = self.fake.state
        not_found = (
            404,
            problem(404, "Resource Not Found", "The requested resource could not be found."),
        )
        if path == "/ping" and method == "GET":
            return 200, {"health_status": "Everything's Chimpy!"}
        match = re.fullmatch(r"/lists/([^/]+)(/merge-fields|/segments)?", path)
        if match and method == "GET":
            audience = state.audiences.get(match[1])
            if audience is None:
                return not_found
            if match[2] == "/merge-fields":
                fields = audience["merge_fields"]
                return 200, {
                    "merge_fields": fields,
                    "list_id": match[1],
                    "total_items": len(fields),
                }
            if match[2] == "/segments":
                kind = query.get("type", [None])[0]
                segments = [s for s in audience["segments"] if kind in (None, s["type"])]
                return 200, {
                    "segments": segments,
                    "list_id": match[1],
                    "total_items": len(segments),
                }
            return 200, {"id": audience["id"], "name": audience["name"]}
        if path == "/campaigns" and method == "GET":
            return 200, self._list(query)
        if path == "/campaigns" and method == "POST":
            return self._create_campaign(body or {})
        match = re.fullmatch(
            r"/campaigns/([^/]+)(/content|/actions/send|/actions/test|/send-checklist)?", path
        )
        if not match:
            return not_found
        campaign = state.campaigns.get(match[1])
        if campaign is None:
            return not_found
        action = match[2]
        if action is None and method == "GET":
            return 200, self.fake.shown(campaign)
        if action is None and method == "PATCH":
            if campaign["status"] != "save":
                return 400, problem(400, "Bad Request", "Cannot edit a campaign once sent.")
            for part in ("settings", "recipients"):
                campaign[part].update((body or {}).get(part, {}))
            return 200, self.fake.shown(campaign)
        if action is None and method == "DELETE":
            if campaign["status"] != "save":
                return 400, problem(400, "Bad Request", "Cannot delete a sent campaign.")
            del state.campaigns[match[1]]
            return 204, None
        if action == "/content" and method == "PUT":
            if campaign["status"] != "save":
                return 400, problem(400, "Bad Request", "Cannot edit a campaign once sent.")
            state.contents[match[1]] = dict(body or {})
            return 200, {
                "html": (body or {}).get("html", ""),
                "plain_text": (body or {}).get("plain_text", ""),
            }
        if action == "/send-checklist" and method == "GET":
            nobody = self.fake.recipient_count(campaign) == 0
            items = [
                {"type": "success", "id": 1, "heading": "Subject line", "details": "All set."},
                {
                    "type": "error" if nobody else "success",
                    "id": 2,
                    "heading": "List",
                    "details": "The segment you've selected has no subscribers."
                    if nobody
                    else "Your campaign will go to the selected segment.",
                },
            ]
            return 200, {"is_ready": not nobody, "items": items}
        if action == "/actions/test" and method == "POST":
            if campaign["status"] != "save":
                return 400, problem(400, "Bad Request", "Cannot test a campaign once sent.")
            if match[1] not in state.contents:
                return 400, problem(400, "Bad Request", "The campaign has no content.")
            state.tests.append((match[1], list((body or {}).get("test_emails", []))))
            return 204, None
        if action == "/actions/send" and method == "POST":
            if campaign["status"] != "save":
                return 400, problem(
                    400,
                    "Bad Request",
                    "This campaign has already been sent and cannot be sent again.",
                )
            if match[1] not in state.contents:
                return 400, problem(
                    400,
                    "Bad Request",
                    "Your Campaign is not ready to send.",
                    errors=[{"field": "content", "message": "The campaign has no content."}],
                )
            if self.fake.recipient_count(campaign) == 0:
                return 400, problem(
                    400,
                    "Bad Request",
                    "Your Campaign is not ready to send.",
                    errors=[{"field": "", "message": "Fix the items of the send checklist."}],
                )
            campaign["status"] = "sent"
            campaign["send_time"] = state.tick()
            state.sends[match[1]] += 1
            return 204, None
        return 405, problem(405, "Method Not Allowed", "The requested method is not allowed.")

    def _list(self, query) -> dict[str, Any]:
        state = self.fake.state

        def first(name: str) -> str | None:
            return query.get(name, [None])[0]

        since = first("since_create_time")
        since_time = datetime.datetime.fromisoformat(since) if since else None
        campaigns = [
            c
            for c in state.campaigns.values()
            if first("list_id") in (None, c["recipients"].get("list_id"))
            and first("type") in (None, c["type"])
            and first("status") in (None, c["status"])
            and (
                since_time is None
                or datetime.datetime.fromisoformat(c["create_time"]) >= since_time
            )
        ]
        count = int(first("count") or 10)
        offset = int(first("offset") or 0)
        page = [self.fake.shown(c) for c in campaigns[offset : offset + count]]
        return {"campaigns": page, "total_items": len(campaigns)}

    def _create_campaign(self, body: dict[str, Any]) -> tuple[int, Any]:
        state = self.fake.state
        list_id = body.get("recipients", {}).get("list_id")
        if body.get("type") not in ("regular", "plaintext", "absplit", "rss", "variate"):
            return 400, problem(
                400,
                "Invalid Resource",
                "The resource submitted could not be validated.",
                errors=[{"field": "type", "message": "Value is not one of the allowed values."}],
            )
        if list_id not in state.audiences:
            return 400, problem(
                400,
                "Invalid Resource",
                "The resource submitted could not be validated.",
                errors=[{"field": "recipients.list_id", "message": "Invalid list id."}],
            )
        return 200, self.fake.shown(self.fake._create(body))
