"""企业微信 and 钉钉 group robots: their payloads, DingTalk's signature, and one POST each.

The payloads are small and fixed (cli-v2.md, Reminders), so the standard library's HTTP
client does: no dependency to audit on a county's network. The webhook URL carries the robot's
key: it is a secret. It is read from the environment, never printed, and scrubbed from every
failure message (``redact``), since a library's error text may quote it.

A government build (政务微信, 浙政钉) is the same robot at another address: its full URL goes
in the same variable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker import i18n
from tracker.errors import BadInput
from tracker.present.safe import terminal

WECOM, DINGTALK = "wecom", "dingtalk"
CHANNELS = (WECOM, DINGTALK)
ENV = {WECOM: "TRACKER_WECOM_WEBHOOK", DINGTALK: "TRACKER_DINGTALK_WEBHOOK"}
DINGTALK_SECRET = "TRACKER_DINGTALK_SECRET"
#: Seconds to wait for a robot before the post counts as failed.
TIMEOUT = 10.0
#: A markdown message's limit is 4096 bytes (企业微信); 钉钉's is larger. Kept below both.
MAX_BYTES = 4000


class SendFailed(Exception):
    """One post that did not go through: an i18n key and its parameters (already redacted)."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def render(self, lang: str) -> str:
        return i18n.t(self.key, lang, **self.params)


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message: for a unit (its digest) or for the group (the weekly report).

    ``key`` names it in the sent-log; ``markdown`` is the body without the mentions, which
    each robot adds its own way (``<@ID>`` for 企业微信, ``@phone`` and ``atMobiles`` for 钉钉).
    """

    key: str
    label: str
    title: str
    markdown: str
    wecom_ids: tuple[str, ...] = ()
    mobiles: tuple[str, ...] = ()


def wecom_payload(m: Message) -> dict[str, Any]:
    """``{"msgtype": "markdown", "markdown": {"content": ...}}``, mentions as ``<@ID>``."""
    content = m.markdown
    if m.wecom_ids:
        content += "\n" + " ".join(f"<@{i}>" for i in m.wecom_ids)
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(m: Message) -> dict[str, Any]:
    """``{"msgtype": "markdown", "markdown": {"title", "text"}, "at": {"atMobiles"}}``; 钉钉
    shows a mention only where the text holds ``@phone`` too."""
    text = m.markdown
    if m.mobiles:
        text += "\n\n" + " ".join(f"@{p}" for p in m.mobiles)
    return {
        "msgtype": "markdown",
        "markdown": {"title": m.title, "text": text},
        "at": {"atMobiles": list(m.mobiles)},
    }


def body(channel: str, m: Message) -> bytes:
    """The exact bytes posted for ``m`` (also what the sent-log hashes)."""
    payload = wecom_payload(m) if channel == WECOM else dingtalk_payload(m)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉's 加签: urlencode(base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")))."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """``url`` with ``timestamp`` and ``sign`` appended to its query."""
    glue = "&" if urllib.parse.urlsplit(url).query else ("" if url.endswith("?") else "?")
    return f"{url}{glue}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def check_url(value: str, var: str) -> str:
    """``value`` if it is an absolute http(s) URL with a host, else ``BadInput`` naming the
    variable (never the value: it is a secret)."""
    url = value.strip()
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not one
    except ValueError:
        raise BadInput("notify.bad_webhook", var=var) from None
    if (
        parts.scheme not in ("http", "https")
        or not host
        or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url)
    ):
        raise BadInput("notify.bad_webhook", var=var)
    return url


@dataclass(frozen=True, slots=True)
class Webhook:
    """Where one channel posts: its URL and, for 钉钉, the signing secret."""

    channel: str
    url: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)

    def secrets(self) -> list[str]:
        """Every part of the address that must never be shown (the URL, its query, its
        path, each query value, the secret)."""
        parts = urllib.parse.urlsplit(self.url)
        found = [self.url, parts.query, parts.path, self.secret or ""]
        found += [v for _, v in urllib.parse.parse_qsl(parts.query)]
        return sorted((s for s in found if len(s) >= 4 and s != "/"), key=len, reverse=True)


def webhook(
    channel: str, env: Mapping[str, str] | None = None, *, required: bool = True
) -> Webhook | None:
    """The configured robot of ``channel``: ``BadInput`` when it is malformed, or missing
    and ``required``; ``None`` when missing otherwise (a dry run)."""
    env = os.environ if env is None else env
    var = ENV[channel]
    value = env.get(var, "").strip()
    if not value:
        if required:
            raise BadInput(f"notify.no_webhook.{channel}", var=var)
        return None
    url = check_url(value, var)
    secret = (env.get(DINGTALK_SECRET, "").strip() or None) if channel == DINGTALK else None
    return Webhook(channel, url, secret)


def redact(text: str, secrets: list[str]) -> str:
    """``text`` with every secret replaced by ``***`` (longest first)."""
    for s in secrets:
        text = text.replace(s, "***")
    return text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A robot answers; it does not redirect. Following one would post the message (and its
    mentions) wherever the answer points."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.URLError):
        inner = error.reason
        if isinstance(inner, OSError):
            return inner.strerror or type(inner).__name__
        return str(inner)
    if isinstance(error, OSError):
        return error.strerror or type(error).__name__
    return type(error).__name__


def _check_answer(status: int, data: bytes) -> None:
    if not 200 <= status < 300:
        raise SendFailed("notify.fail.http", status=status)
    try:
        answer = json.loads(data.decode("utf-8", "replace") or "{}")
    except ValueError:
        return  # a 2xx without JSON: accepted (the spec names errcode only where there is one)
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code not in (0, "0"):
        message = str(answer.get("errmsg", ""))[:200]
        raise SendFailed("notify.fail.errcode", code=terminal(str(code))[:20], message=message)


class Robot:
    """Posts messages to one webhook. ``wall`` is the clock 钉钉's signature reads (tests
    give a fixed one); ``post`` raises ``SendFailed`` with the URL scrubbed."""

    def __init__(
        self, hook: Webhook, *, wall: Callable[[], float] = time.time, timeout: float = TIMEOUT
    ) -> None:
        self.hook = hook
        self.channel = hook.channel
        self.wall = wall
        self.timeout = timeout

    def url(self) -> str:
        if self.channel == DINGTALK and self.hook.secret:
            return signed_url(self.hook.url, self.hook.secret, int(self.wall() * 1000))
        return self.hook.url

    def post(self, data: bytes) -> None:
        try:
            self._post(data)
        except SendFailed as e:
            secrets = self.hook.secrets()
            params = {k: redact(terminal(str(v)), secrets) for k, v in e.params.items()}
            raise SendFailed(e.key, **params) from None

    def _post(self, data: bytes) -> None:
        request = urllib.request.Request(
            self.url(),
            data=data,
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with _OPENER.open(request, timeout=self.timeout) as answer:
                status, text = int(answer.status), answer.read(65536)
        except urllib.error.HTTPError as e:
            raise SendFailed("notify.fail.http", status=e.code) from None
        except TimeoutError:
            raise SendFailed("notify.fail.timeout", seconds=int(self.timeout)) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as e:
            raise SendFailed("notify.fail.network", reason=_reason(e)) from None
        _check_answer(status, text)
