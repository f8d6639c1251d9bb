"""Helpers of the ``tracker serve`` tests: databases, servers, visitors' processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient, TestServer
from typer.testing import CliRunner

from tracker.context import Context
from tracker.serve.rules import ServeOptions
from tracker.serve.server import COOKIE, TrackerServer

HERE = Path(__file__).parent
PLAN = HERE / "plan.toml"
PASSWORDS = {"admin": "admin-pw-1", "王芳": "wang-pw-2"}
TODAY = date(2020, 4, 15)


def build_db(path: Path, *, roster: bool) -> None:
    """The plan loaded; with ``roster``, admin and 王芳 (staff of 城关镇) with passwords."""
    from tracker.cli import app

    runner = CliRunner()
    env = {"TRACKER_DB": str(path), "TRACKER_LANG": "en", "TRACKER_TODAY": None}

    def run(user: str, *args: str, stdin: str | None = None) -> None:
        r = runner.invoke(app, ["--user", user, *args], env=env, input=stdin)
        assert r.exit_code == 0, (args, r.output)

    run("planner", "load", str(PLAN))
    if roster:
        run("admin", "people", "add", "admin", "--role", "admin")
        run("admin", "people", "add", "王芳", "--role", "staff", "--unit", "chengguan")
        for name, password in PASSWORDS.items():
            run("admin", "people", "passwd", name, stdin=password + "\n")


def events(db: Path) -> list[tuple[str, str, int]]:
    """``(user, action, task)`` of every event, oldest first."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT user, action, task_id FROM events ORDER BY id").fetchall()
    return [(str(u), str(a), int(t)) for u, a, t in rows]


def context(db: Path, user: str = "admin", lang: str = "en") -> Context:
    return Context(db_path=db, today=TODAY, user=user, lang=lang)


@contextlib.asynccontextmanager
async def served(
    db: Path, *, user: str = "admin", lang: str = "en", **options: Any
) -> AsyncIterator[tuple[TestClient[Any, Any], TrackerServer]]:
    """A ``TrackerServer`` on a free loopback port, in this process, and a client of it."""
    server = TrackerServer(
        context(db, user, lang), ServeOptions(host="127.0.0.1", **options), replay=None
    )
    app = await server._make_app()
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client, server


def origin(client: TestClient[Any, Any]) -> str:
    return f"http://127.0.0.1:{client.port}"


async def sign_in(client: TestClient[Any, Any], name: str, password: str) -> str:
    """Sign in through the form; the session token."""
    r = await client.post(
        "/login", data={"name": name, "password": password}, allow_redirects=False
    )
    assert r.status == 303, await r.text()
    cookie = r.cookies[COOKIE]
    return str(cookie.value)


async def screen_until(
    ws: aiohttp.ClientWebSocketResponse, pattern: bytes, timeout: float = 30.0
) -> bytes:
    """Terminal output until ``pattern`` shows in it (UTF-8 bytes)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while pattern not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"{pattern!r} never drawn; got {seen[-300:]!r}")
        message = await ws.receive(timeout=left)
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            raise ConnectionError(f"closed before {pattern!r}; got {seen[-300:]!r}")
    return seen


def visitor_pids(db: Path) -> list[int]:
    """Processes running ``tracker … tui`` on ``db`` (named by ``--db`` or ``TRACKER_DB``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"tui" not in argv:
            continue
        if str(db).encode() in argv or _environ_db(entry) == str(db):
            found.append(int(entry.name))
    return found


def _environ_db(entry: Path) -> str | None:
    try:
        raw = (entry / "environ").read_bytes()
    except OSError:
        return None
    for item in raw.split(b"\0"):
        if item.startswith(b"TRACKER_DB="):
            return item[len(b"TRACKER_DB=") :].decode("utf-8", "replace")
    return None


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {k.decode(): v.decode("utf-8", "replace") for k, v in pairs}


def cmdline_of(pid: int) -> list[str]:
    return [a.decode() for a in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if a]


async def wait_visitors(db: Path, count: int, timeout: float = 20.0) -> list[int]:
    """Wait until exactly ``count`` visitor apps run on ``db``; their pids."""
    deadline = time.monotonic() + timeout
    while True:
        pids = visitor_pids(db)
        if len(pids) == count:
            return pids
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(pids)} visitor apps, not {count}: {pids}")
        await asyncio.sleep(0.1)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServeProcess:
    """A real ``tracker serve`` process on a free port: ``url``, ``stop()``, ``log()``."""

    def __init__(self, db: Path, *args: str, user: str = "admin", lang: str = "en") -> None:
        env = dict(os.environ, TRACKER_DB=str(db), TRACKER_USER=user, TRACKER_LANG=lang)
        self.db = db
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tracker", "serve", "--host", "127.0.0.1", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        found = re.search(r"http://\S+:(\d+)", line)
        if found is None:
            self.proc.kill()
            raise RuntimeError(f"no URL announced: {line!r} {self.proc.stderr.read()!r}")  # type: ignore[union-attr]
        self.port = int(found.group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        return self.proc.wait(timeout)

    def log(self) -> str:
        assert self.proc.stderr is not None
        return self.proc.stderr.read().decode("utf-8", "replace")


@contextlib.contextmanager
def serve_process(db: Path, *args: str, **kwargs: Any) -> Iterator[ServeProcess]:
    server = ServeProcess(db, *args, **kwargs)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(10)
        for pid in visitor_pids(db):  # never leave a process behind, whatever failed
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
