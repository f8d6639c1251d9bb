"""Reminder test helpers: the plan and roster, the database built through the CLI, and a
local HTTP server standing in for a 企业微信 or 钉钉 group robot (it records every request and
answers what the test tells it to).

The roster:

- 张三, 李四 (staff of 城关镇 town), 王五 (staff of its village), 钱某 (staff of 县扶贫办 office,
  with a WeCom id the robot cannot take): reminded in their units' digests;
- 陈镇长 (leader of town), 刘副县长 (leader of county): 责任领导 called by escalation, the
  nearest unit up the tree first;
- 赵主任 (a verifier without units), the ``leader`` of the task ``office-late``.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

PLAN = Path(__file__).parent / "plan.toml"
TODAY = "2020-04-24"
ADMIN = "管理员"
READER = "张三"
WECOM_KEY = "wecom-secret-key-8d7f6e5a"
DING_TOKEN = "ding-access-token-1a2b3c4d"
DING_SECRET = "SECd1ngs1gn1ngs3cr3t"
SECRETS = (WECOM_KEY, DING_TOKEN, DING_SECRET)

# name, role, units, phone, wecom
ROSTER: list[tuple[str, str, list[str], str | None, str | None]] = [
    (ADMIN, "admin", [], None, None),
    ("张三", "staff", ["town"], "138-0013-8000", "zhangsan"),
    ("李四", "staff", ["town"], "+86 139 0013 9000", None),
    ("王五", "staff", ["village"], "13700137000", "wangwu"),
    ("钱某", "staff", ["office"], None, "bad id <@all>"),
    ("陈镇长", "leader", ["town"], "13600136000", "chenzz"),
    ("刘副县长", "leader", ["county"], "13500135000", "liufxz"),
    ("赵主任", "verifier", [], "13400134000", "zhaozr"),
]

Run = Callable[..., Result]


def build(path: Path) -> None:
    """The managed database of ``plan.toml`` at ``path``, through the CLI."""
    from tracker.cli import app

    runner = CliRunner()
    env = {"TRACKER_DB": str(path), "TRACKER_LANG": "en", "TRACKER_TODAY": TODAY}

    def run(*args: str) -> None:
        r = runner.invoke(app, ["--user", ADMIN, *args], env=env, catch_exceptions=False)
        assert r.exit_code == 0, (args, r.output)

    run("load", str(PLAN))
    for name, role, units, phone, wecom in ROSTER:
        args = ["people", "add", name, "--role", role]
        for u in units:
            args += ["--unit", u]
        if phone:
            args += ["--phone", phone]
        if wecom:
            args += ["--wecom", wecom]
        run(*args)
    run("done", "notify-2020/spring/finished")


@dataclass
class Request:
    """One request the robot received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


Reply = Callable[[Request], tuple[int, bytes]]


def ok_reply(_: Request) -> tuple[int, bytes]:
    return 200, b'{"errcode":0,"errmsg":"ok"}'


@dataclass
class Robot:
    """The local stand-in robot: ``requests`` received, ``reply`` decides each answer."""

    port: int = 0
    requests: list[Request] = field(default_factory=list)
    reply: Reply = ok_reply

    def wecom_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send?key={WECOM_KEY}"

    def dingtalk_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/robot/send?access_token={DING_TOKEN}"


@contextmanager
def serve_robot() -> Iterator[Robot]:
    """A robot listening on 127.0.0.1 (a free port) while the block runs."""
    state = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            parts = urllib.parse.urlsplit(self.path)
            req = Request(
                "POST",
                parts.path,
                urllib.parse.parse_qs(parts.query),
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            state.requests.append(req)
            status, data = state.reply(req)
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", f"http://127.0.0.1:{state.port}/elsewhere")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def no_secret(text: str) -> bool:
    """Whether ``text`` holds none of the webhook's secrets (key, token, signing secret)."""
    return not any(s in text for s in SECRETS) and "127.0.0.1:" not in text
