"""The robots themselves (cli-v2.md, Reminders), against a local HTTP server: the URL and query
of every request, the payloads, the DingTalk signature recomputed, mentions, failures (non-2xx,
errcode, refused connection, a redirect), the URL kept out of every message, and pacing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from notify_helpers import DING_SECRET, DING_TOKEN, WECOM_KEY, Request, Robot, no_secret

from tracker.errors import BadInput
from tracker.notify import robots
from tracker.notify.robots import DINGTALK, WECOM, Message, SendFailed, Webhook, webhook
from tracker.notify.send import Pacer

MSG = Message("town", "城关镇 (town)", "催办：城关镇", "### 催办：城关镇\n> #1 台账", ("zs", "ls"),
              ("13800138000",))  # fmt: skip


def _post(channel: str, url: str, secret: str | None = None, wall: float = 1587700000.5) -> None:
    robot = robots.Robot(Webhook(channel, url, secret), wall=lambda: wall, timeout=5)
    robot.post(robots.body(channel, MSG))


def test_wecom_request(robot: Robot) -> None:
    _post(WECOM, robot.wecom_url())
    [req] = robot.requests
    assert req.path == "/cgi-bin/webhook/send"
    assert req.query == {"key": [WECOM_KEY]}
    assert req.headers["content-type"].startswith("application/json")
    assert req.json == {
        "msgtype": "markdown",
        "markdown": {"content": "### 催办：城关镇\n> #1 台账\n<@zs> <@ls>"},
    }


def _sign(secret: str, timestamp: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def test_dingtalk_request_signed(robot: Robot) -> None:
    _post(DINGTALK, robot.dingtalk_url(), DING_SECRET, wall=1587700000.5)
    [req] = robot.requests
    assert req.path == "/robot/send"
    assert set(req.query) == {"access_token", "timestamp", "sign"}
    assert req.query["access_token"] == [DING_TOKEN]
    [timestamp] = req.query["timestamp"]
    assert timestamp == "1587700000500"  # milliseconds
    # parse_qs has undone the URL encoding: what is left is base64 of the HMAC
    assert req.query["sign"] == [_sign(DING_SECRET, timestamp)]
    assert req.json == {
        "msgtype": "markdown",
        "markdown": {
            "title": "催办：城关镇",
            "text": "### 催办：城关镇\n> #1 台账\n\n@13800138000",
        },
        "at": {"atMobiles": ["13800138000"]},
    }


def test_dingtalk_sign_is_url_encoded() -> None:
    sign = robots.dingtalk_sign("s3cret", 1587700000000)
    raw = base64.b64encode(
        hmac.new(b"s3cret", b"1587700000000\ns3cret", hashlib.sha256).digest()
    ).decode()
    assert "+" in raw or "/" in raw or "=" in raw  # this secret's signature needs encoding
    assert sign == raw.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def test_dingtalk_without_secret_is_not_signed(robot: Robot) -> None:
    _post(DINGTALK, robot.dingtalk_url())
    assert robot.requests[0].query == {"access_token": [DING_TOKEN]}


def _fails(robot: Robot, url: str) -> SendFailed:
    with pytest.raises(SendFailed) as caught:
        _post(WECOM, url)
    text = caught.value.render("en") + caught.value.render("zh")
    assert no_secret(text), text
    return caught.value


def test_non_2xx_fails(robot: Robot) -> None:
    robot.reply = lambda req: (500, b"oops")
    e = _fails(robot, robot.wecom_url())
    assert e.render("en") == "the robot answered HTTP 500"


def test_errcode_fails(robot: Robot) -> None:
    answer = {"errcode": 93000, "errmsg": f"invalid webhook url, key={WECOM_KEY}"}
    robot.reply = lambda req: (200, json.dumps(answer).encode())
    e = _fails(robot, robot.wecom_url())
    assert e.render("en").startswith("the robot answered error 93000: invalid webhook url")


def test_errcode_zero_and_plain_2xx_pass(robot: Robot) -> None:
    for answer in (b'{"errcode": 0, "errmsg": "ok"}', b"", b"accepted"):
        robot.reply = lambda req, a=answer: (200, a)  # type: ignore[misc]
        _post(WECOM, robot.wecom_url())
    assert len(robot.requests) == 3


def test_connection_refused_fails(closed_port: int) -> None:
    e = _fails(Robot(), f"http://127.0.0.1:{closed_port}/cgi-bin/webhook/send?key={WECOM_KEY}")
    assert e.render("en").startswith("cannot reach the robot")


def test_redirect_is_not_followed(robot: Robot) -> None:
    robot.reply = lambda req: (302, b"")
    e = _fails(robot, robot.wecom_url())
    assert "302" in e.render("en")
    assert [r.path for r in robot.requests] == ["/cgi-bin/webhook/send"]  # not /elsewhere


@pytest.mark.parametrize(
    "value",
    [
        "robot.example/send?key=" + WECOM_KEY,  # no scheme
        "ftp://robot.example/send?key=" + WECOM_KEY,
        "https:///send?key=" + WECOM_KEY,  # no host
        "https://robot.example/send?key=" + WECOM_KEY + " x",  # a space
        "https://robot.example:port/send?key=" + WECOM_KEY,  # not a port
        "https://robot.example/send?key=" + WECOM_KEY + "\n",  # (stripped: this one is fine)
    ],
)
def test_malformed_urls(value: str) -> None:
    env = {"TRACKER_WECOM_WEBHOOK": value}
    if value.endswith("\n"):
        assert webhook(WECOM, env) is not None
        return
    with pytest.raises(BadInput) as caught:
        webhook(WECOM, env)
    text = caught.value.render("en")
    assert "TRACKER_WECOM_WEBHOOK" in text and WECOM_KEY not in text


def test_missing_webhook() -> None:
    with pytest.raises(BadInput) as caught:
        webhook(DINGTALK, {})
    assert "TRACKER_DINGTALK_WEBHOOK" in caught.value.render("en")
    assert webhook(DINGTALK, {}, required=False) is None


def test_webhook_repr_holds_no_secret() -> None:
    hook = webhook(DINGTALK, {"TRACKER_DINGTALK_WEBHOOK": f"https://x.example/robot/send?access_token={DING_TOKEN}",
                              "TRACKER_DINGTALK_SECRET": DING_SECRET})  # fmt: skip
    assert hook is not None and hook.secret == DING_SECRET
    assert no_secret(repr(hook))


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(0.0, seconds)


def test_pacing_stays_under_20_a_minute(robot: Robot) -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock.monotonic, sleep=clock.sleep)
    stamps: list[float] = []
    for _ in range(45):
        pacer.wait()
        _post(WECOM, robot.wecom_url())
        stamps.append(clock.now)
        clock.now += 0.2  # each post takes a moment
    assert len(robot.requests) == 45
    for i, t in enumerate(stamps):
        in_minute = [s for s in stamps[i:] if s - t < 60]
        assert len(in_minute) < 20
    assert clock.slept  # it did wait
    # and not more than needed: 45 posts in about two windows
    assert stamps[-1] - stamps[0] < 2 * 61 + 10


def test_pacer_does_not_wait_for_a_few() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock.monotonic, sleep=clock.sleep)
    for _ in range(19):
        pacer.wait()
    assert clock.slept == []
    pacer.wait()
    assert clock.slept and clock.slept[0] == pytest.approx(61.0)


def test_requests_are_recorded_by_the_stand_in(robot: Robot) -> None:
    """The stand-in itself: it sees exactly one request per post."""
    _post(WECOM, robot.wecom_url())
    _post(WECOM, robot.wecom_url())
    assert all(isinstance(r, Request) and r.method == "POST" for r in robot.requests)
    assert len(robot.requests) == 2
