"""The visitors' apps: who they run as, that they end, and the cap on how many run at once.

The orphan of the issue: a browser that leaves within a second of opening the page (a
headless screenshot) sent a resize to its real size and then went away; the app stayed at
60–94% CPU, survived ``serve`` stopping and ignored SIGTERM (``tracker.tui.web`` explains
why). ``test_a_browser_that_leaves_at_once_leaves_no_app`` sends the same messages at the same
moments, as that browser did.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from serve_helpers import (
    cmdline_of,
    cpu_seconds,
    environ_of,
    events,
    screen_until,
    serve_process,
    served,
    sign_in,
    visitor_pids,
    wait_visitors,
)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_the_app_runs_as_the_signed_in_person_named_only_in_its_environment(
    managed_db: Path, passwords: dict[str, str]
) -> None:
    async def main() -> None:
        async with served(managed_db, user="admin") as (client, _):
            await sign_in(client, "王芳", passwords["王芳"])
            ws = await client.ws_connect("/ws?width=120&height=30")
            await screen_until(ws, "城关镇开展村庄清洁行动".encode())
            (pid,) = visitor_pids(managed_db)
            assert environ_of(pid)["TRACKER_USER"] == "王芳"
            argv = cmdline_of(pid)
            assert "王芳" not in " ".join(argv) and "--user" not in argv
            assert not any(a.endswith(("sh", "bash", "dash")) for a in argv[:1])
            await ws.send_json(["stdin", "d"])  # the first row: 城关镇, 王芳's own unit
            deadline = time.monotonic() + 20
            while not any(a == "done" for _, a, _ in events(managed_db)):
                assert time.monotonic() < deadline, events(managed_db)
                await asyncio.sleep(0.2)
            await ws.close()

    run(main())
    done = [(user, action) for user, action, _ in events(managed_db) if action == "done"]
    assert done == [("王芳", "done")]


def test_the_app_ends_when_the_browser_closes(managed_db: Path, passwords: dict[str, str]) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, server):
            await sign_in(client, "王芳", passwords["王芳"])
            ws = await client.ws_connect("/ws?width=120&height=30")
            await screen_until(ws, "城关镇".encode())
            assert len(visitor_pids(managed_db)) == 1
            await ws.close()
            await wait_visitors(managed_db, 0, timeout=10)
            for _ in range(50):
                if not server.visitors:
                    break
                await asyncio.sleep(0.1)
            assert server.visitors == {}

    run(main())


@pytest.mark.parametrize("abrupt", [False, True], ids=["closed", "connection-dropped"])
def test_a_browser_that_leaves_at_once_leaves_no_app(
    open_db_path: Path, abrupt: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """Open, resize to the browser's size, leave 0.4 s later: the screenshot browser's visit.
    The app leaves by itself: the server never has to signal it."""

    async def main() -> None:
        async with served(open_db_path) as (client, _):
            ws = await client.ws_connect("/ws?width=133&height=39")
            await ws.send_json(["resize", {"width": 133, "height": 39}])
            await asyncio.sleep(0.15)
            await ws.send_json(["resize", {"width": 133, "height": 44}])
            await asyncio.sleep(0.25)
            pids = await wait_visitors(open_db_path, 1)
            if abrupt:
                transport = ws._response.connection.transport  # type: ignore[union-attr]
                transport.abort()
            else:
                await ws.close()
            await wait_visitors(open_db_path, 0, timeout=12)
            # the app has ended; the server reaps it a moment later (until then /proc holds a
            # zombie), so give that moment before asking that no process is left
            for _ in range(50):
                if not any(Path(f"/proc/{pid}").exists() for pid in pids):
                    break
                await asyncio.sleep(0.1)
            for pid in pids:
                assert not Path(f"/proc/{pid}").exists()

    with caplog.at_level(logging.INFO):
        run(main())
    assert "did not leave in time" not in caplog.text


def test_every_app_ends_with_the_server_and_none_spins(
    managed_db: Path, passwords: dict[str, str]
) -> None:
    """A real ``tracker serve``: two visitors connected, SIGTERM; the server and both apps go."""

    async def visit(url: str) -> aiohttp.ClientWebSocketResponse:
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        r = await session.post(url + "/login", data={"name": "王芳", "password": passwords["王芳"]})
        assert r.status == 200  # after the redirect, the app page
        ws = await session.ws_connect(url + "/ws?width=120&height=30")
        await screen_until(ws, "城关镇".encode())
        ws._test_session = session  # type: ignore[attr-defined]
        return ws

    with serve_process(managed_db) as server:

        async def main() -> None:
            sockets = [await visit(server.url), await visit(server.url)]
            pids = await wait_visitors(managed_db, 2)
            used = [cpu_seconds(p) for p in pids]
            await asyncio.sleep(2)
            idle = [cpu_seconds(p) - u for p, u in zip(pids, used, strict=True)]
            assert all(t < 0.5 for t in idle), idle  # idle apps do not redraw for ever
            assert server.stop(signal.SIGTERM) == 0
            await wait_visitors(managed_db, 0, timeout=10)
            for ws in sockets:
                await ws._test_session.close()  # type: ignore[attr-defined]

        run(main())
        assert "Traceback" not in server.log()


def test_the_apps_end_when_the_server_is_killed(open_db_path: Path) -> None:
    """SIGKILL leaves no time to stop anything: the apps see their input end, and leave."""
    with serve_process(open_db_path) as server:

        async def main() -> None:
            async with aiohttp.ClientSession() as session:
                ws = await session.ws_connect(server.url + "/ws?width=120&height=30")
                await screen_until(ws, "城关镇".encode())
                await wait_visitors(open_db_path, 1)
                server.stop(signal.SIGKILL)
                await wait_visitors(open_db_path, 0, timeout=12)

        run(main())


def test_max_sessions_gives_the_visitor_over_the_cap_a_clear_page(
    managed_db: Path, passwords: dict[str, str]
) -> None:
    async def main() -> None:
        async with served(managed_db, max_sessions=1) as (client, _):
            await sign_in(client, "王芳", passwords["王芳"])
            first = await client.ws_connect("/ws?width=120&height=30")
            await screen_until(first, "城关镇".encode())
            page = await client.get("/")
            text = await page.text()
            assert page.status == 503 and page.headers["Retry-After"]
            assert "limit of 1 visitors" in text and 'http-equiv="refresh"' in text
            second = await client.ws_connect("/ws?width=120&height=30")
            said = await second.receive(timeout=10)
            assert b"Too many visitors" in said.data
            closing = await second.receive(timeout=10)
            assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            assert len(visitor_pids(managed_db)) == 1
            await first.close()
            await wait_visitors(managed_db, 0)
            for _ in range(50):  # the place is given back once the app has fully ended
                again = await client.get("/")
                if again.status == 200:
                    break
                await asyncio.sleep(0.1)
            assert again.status == 200

    run(main())


def test_logout_ends_the_apps_of_the_session(managed_db: Path, passwords: dict[str, str]) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, _):
            await sign_in(client, "王芳", passwords["王芳"])
            ws = await client.ws_connect("/ws?width=120&height=30")
            await screen_until(ws, "城关镇".encode())
            await client.get("/logout", allow_redirects=False)
            await wait_visitors(managed_db, 0, timeout=20)
            ended = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            while not ws.closed:  # what the app drew last may come before the close
                if (await ws.receive(timeout=10)).type in ended:
                    break

    run(main())


def test_an_app_that_cannot_start_tells_the_browser(
    managed_db: Path, passwords: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.serve.server import TrackerServer

    original = TrackerServer.visitor_argv

    def argv(self: TrackerServer) -> list[str]:
        return [*original(self)[:-1], "--today", "not-a-date", "tui"]

    async def main() -> None:
        async with served(managed_db) as (client, server):
            monkeypatch.setattr(type(server), "visitor_argv", argv)
            await sign_in(client, "王芳", passwords["王芳"])
            ws = await client.ws_connect("/ws?width=120&height=30")
            said = await screen_until(ws, b"did not start")
            assert b"not-a-date" in said

    run(main())
