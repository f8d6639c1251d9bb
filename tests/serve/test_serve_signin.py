"""people.md, "Signing in to ``tracker serve``", rule by rule, through aiohttp's test client.

Each test serves its own copy of the database from this process on a free loopback port; the
WebSockets are real, and so are the visitors' ``tracker tui`` processes behind them.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from serve_helpers import (
    events,
    origin,
    screen_until,
    served,
    sign_in,
    visitor_pids,
)

from tracker.serve import auth
from tracker.serve.server import COOKIE


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# -- the sign-in itself ----------------------------------------------------------------------


def test_managed_index_redirects_to_the_sign_in_form(managed_db: Path) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, _):
            r = await client.get("/", allow_redirects=False)
            assert r.status == 303 and r.headers["Location"] == "/login"
            form = await client.get("/login")
            html = await form.text()
            assert form.status == 200
            assert 'method="post" action="/login"' in html
            assert 'name="name"' in html and 'name="password"' in html

    run(main())


def test_right_password_sets_a_strict_httponly_cookie_and_redirects(
    managed_db: Path, passwords: dict[str, str]
) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, _):
            r = await client.post(
                "/login",
                data={"name": "王芳", "password": passwords["王芳"]},
                allow_redirects=False,
            )
            assert r.status == 303 and r.headers["Location"] == "/"
            header = r.headers["Set-Cookie"]
            assert header.startswith(COOKIE + "=")
            assert "HttpOnly" in header and "SameSite=Strict" in header and "Path=/" in header
            page = await client.get("/", allow_redirects=False)
            assert page.status == 200 and 'id="terminal"' in await page.text()

    run(main())


@pytest.mark.parametrize(
    "name, password",
    [("王芳", "wrong"), ("王芳", ""), ("nobody", "wang-pw-2"), ("", ""), ("admin", "wang-pw-2")],
)
def test_wrong_credentials_answer_401_and_sign_nobody_in(
    managed_db: Path, name: str, password: str
) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, _):
            r = await client.post("/login", data={"name": name, "password": password})
            assert r.status == 401
            assert COOKIE not in r.cookies
            assert 'name="password"' in await r.text()  # the form again, with a word why
            again = await client.get("/", allow_redirects=False)
            assert again.status == 303

    run(main())


def test_logout_ends_the_session(managed_db: Path, passwords: dict[str, str]) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, server):
            token = await sign_in(client, "王芳", passwords["王芳"])
            r = await client.get("/logout", allow_redirects=False)
            assert r.status == 303 and r.headers["Location"] == "/login"
            assert server.sessions.get(token) is None
            client.session.cookie_jar.update_cookies({COOKIE: token})  # the old cookie, kept
            again = await client.get("/", allow_redirects=False)
            assert again.status == 303
            ws = await client.get("/ws", headers={"Upgrade": "websocket"})
            assert ws.status == 403

    run(main())


def test_a_forged_session_cookie_is_nobody(managed_db: Path) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, _):
            client.session.cookie_jar.update_cookies({COOKIE: "forged" * 8})
            r = await client.get("/", allow_redirects=False)
            assert r.status == 303

    run(main())


def test_a_person_removed_from_the_roster_is_signed_out(
    managed_db: Path, passwords: dict[str, str], cli: Any
) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, _):
            await sign_in(client, "王芳", passwords["王芳"])
            r = cli("--user", "admin", "people", "remove", "王芳")
            assert r.exit_code == 0, r.stderr
            again = await client.get("/", allow_redirects=False)
            assert again.status == 303

    run(main())


# -- slowing down ---------------------------------------------------------------------------


def test_a_flood_of_wrong_passwords_is_slowed_down_per_name(managed_db: Path) -> None:
    async def main() -> list[float]:
        async with served(managed_db) as (client, _):
            took = []
            for _ in range(auth.FREE_FAILURES + 3):
                start = time.monotonic()
                r = await client.post("/login", data={"name": "王芳", "password": "guess"})
                took.append(time.monotonic() - start)
                assert r.status == 401
            return took

    took = run(main())
    free = took[: auth.FREE_FAILURES]
    slowed = took[auth.FREE_FAILURES :]
    assert all(t >= auth.BASE_DELAY for t in slowed), took
    assert slowed[-1] >= 3 * auth.BASE_DELAY > max(free), took


def test_a_parallel_flood_waits_its_turn(managed_db: Path) -> None:
    """Sent all at once, the attempts for one name queue: the last waits for them all."""

    async def main() -> tuple[list[int], float]:
        async with served(managed_db) as (client, _):
            start = time.monotonic()
            replies = await asyncio.gather(
                *(
                    client.post("/login", data={"name": "王芳", "password": f"g{i}"})
                    for i in range(7)
                )
            )
            return [r.status for r in replies], time.monotonic() - start

    statuses, took = run(main())
    assert statuses == [401] * 7
    slowed = [auth.BASE_DELAY * 2**k for k in range(7 - auth.FREE_FAILURES)]
    assert took >= sum(min(auth.MAX_DELAY, d) for d in slowed) * 0.9


def test_a_flood_from_one_address_slows_every_name_it_tries(managed_db: Path) -> None:
    async def main() -> float:
        async with served(managed_db) as (client, _):
            for i in range(auth.FREE_FAILURES + 2):
                r = await client.post("/login", data={"name": f"guess{i}", "password": "x"})
                assert r.status == 401
            start = time.monotonic()
            r = await client.post("/login", data={"name": "admin", "password": "still wrong"})
            assert r.status == 401
            return time.monotonic() - start

    assert run(main()) >= auth.BASE_DELAY * 2


def test_the_right_password_still_signs_in_after_a_flood(
    managed_db: Path, passwords: dict[str, str]
) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, _):
            for _ in range(auth.FREE_FAILURES + 1):
                await client.post("/login", data={"name": "王芳", "password": "guess"})
            await sign_in(client, "王芳", passwords["王芳"])
            r = await client.get("/", allow_redirects=False)
            assert r.status == 200

    run(main())


def test_the_throttle_forgets_and_clears() -> None:
    now = [0.0]
    throttle = auth.Throttle(clock=lambda: now[0])
    for _ in range(auth.FREE_FAILURES - 1):
        throttle.failed("王芳", "10.0.0.9")
    assert throttle.delay("王芳", "127.0.0.1") == 0.0
    throttle.failed("王芳", "10.0.0.9")
    assert throttle.delay("王芳", "127.0.0.1") == auth.BASE_DELAY  # the name, from anywhere
    assert throttle.delay("admin", "10.0.0.9") == auth.BASE_DELAY  # the address, any name
    for _ in range(30):
        throttle.failed("王芳", "10.0.0.9")
    assert throttle.delay("王芳", "x") == auth.MAX_DELAY
    throttle.succeeded("王芳")
    assert throttle.delay("王芳", "x") == 0.0
    now[0] += auth.WINDOW_SECONDS + 1
    assert throttle.delay("admin", "10.0.0.9") == 0.0


# -- bad requests ---------------------------------------------------------------------------


def test_an_oversized_form_is_refused_with_413_and_changes_nothing(managed_db: Path) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, server):
            before = events(managed_db)
            big = "x" * (server_body_limit() + 1)
            r = await client.post("/login", data={"name": "王芳", "password": big})
            assert r.status == 413
            assert len(server.sessions) == 0 and events(managed_db) == before

    run(main())


def server_body_limit() -> int:
    from tracker.serve.server import BODY_LIMIT

    return BODY_LIMIT


@pytest.mark.parametrize("path", ["/", "/login", "/static/js/textual.js"])
def test_a_foreign_origin_is_refused_on_http(open_db_path: Path, path: str) -> None:
    async def main() -> None:
        async with served(open_db_path) as (client, _):
            r = await client.get(path, headers={"Origin": "http://evil.example"})
            assert r.status == 403
            ok = await client.get(path, headers={"Origin": origin(client)})
            assert ok.status in (200, 303)

    run(main())


def test_a_foreign_origin_cannot_sign_in(managed_db: Path, passwords: dict[str, str]) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, server):
            for bad in ("http://evil.example", "null", f"http://127.0.0.1:{client.port + 1}"):
                r = await client.post(
                    "/login",
                    data={"name": "王芳", "password": passwords["王芳"]},
                    headers={"Origin": bad},
                )
                assert r.status == 403, bad
            assert len(server.sessions) == 0

    run(main())


def test_a_foreign_origin_websocket_is_refused_and_changes_nothing(open_db_path: Path) -> None:
    """The issue's attack: a page elsewhere opens the app's WebSocket and marks a task done."""

    async def main() -> None:
        async with served(open_db_path) as (client, _):
            before = events(open_db_path)
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect("/ws", headers={"Origin": "http://evil.example"})
            assert refused.value.status == 403
            await asyncio.sleep(0.5)
            assert visitor_pids(open_db_path) == [] and events(open_db_path) == before

    run(main())


def test_a_rebound_host_name_is_refused_on_loopback(open_db_path: Path) -> None:
    """A page whose name resolves to 127.0.0.1 (DNS rebinding) is not the server's own."""

    async def main() -> None:
        async with served(open_db_path) as (client, _):
            host = f"evil.example:{client.port}"
            r = await client.get("/", headers={"Host": host, "Origin": f"http://{host}"})
            assert r.status == 403
            ok = await client.get("/", headers={"Host": f"localhost:{client.port}"})
            assert ok.status == 200

    run(main())


def test_a_websocket_without_a_session_is_refused(managed_db: Path) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, _):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect("/ws")
            assert refused.value.status == 403
            assert visitor_pids(managed_db) == []

    run(main())


def test_malformed_websocket_messages_are_ignored(
    managed_db: Path, passwords: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, _):
            await sign_in(client, "王芳", passwords["王芳"])
            ws = await client.ws_connect("/ws?width=100&height=30")
            await screen_until(ws, "城关镇".encode())
            for junk in ("not json", "{}", "[]", '["resize", "big"]', '["stdin", 5]', "[1, 2]"):
                await ws.send_str(junk)
            await ws.send_bytes(b"\x00\x01")
            await ws.send_json(["ping", "42"])
            while True:
                reply = await ws.receive(timeout=10)
                if reply.type == aiohttp.WSMsgType.TEXT:
                    assert reply.json() == ["pong", "42"]
                    break
            await ws.close()

    with caplog.at_level(logging.INFO):
        run(main())
    assert "Traceback" not in caplog.text


# -- the trusted header ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/login", "/ws", "/static/js/textual.js"])
def test_trust_header_refuses_a_request_without_it(managed_db: Path, path: str) -> None:
    async def main() -> None:
        async with served(managed_db, trust_header="X-Remote-User") as (client, _):
            r = await client.get(path)
            assert r.status == 403

    run(main())


@pytest.mark.parametrize("value", ["nobody", "王芳\nadmin", " ", "x" * 100])
def test_trust_header_refuses_a_forged_or_unknown_person(managed_db: Path, value: str) -> None:
    async def main() -> None:
        async with served(managed_db, trust_header="X-Remote-User") as (client, _):
            r = await client.get("/", headers={"X-Remote-User": value})
            assert r.status == 403

    if "\n" in value:  # a client cannot even send it: aiohttp refuses the header
        with pytest.raises(ValueError):
            run(main())
        return
    run(main())


def test_trust_header_names_the_person_and_turns_the_form_off(managed_db: Path) -> None:
    async def main() -> None:
        async with served(managed_db, trust_header="X-Remote-User") as (client, server):
            headers = {"X-Remote-User": "王芳"}
            page = await client.get("/", headers=headers, allow_redirects=False)
            assert page.status == 200 and 'id="terminal"' in await page.text()
            form = await client.get("/login", headers=headers, allow_redirects=False)
            assert form.status == 303
            post = await client.post(
                "/login",
                headers=headers,
                data={"name": "admin", "password": "admin-pw-1"},
                allow_redirects=False,
            )
            assert post.status == 303 and COOKIE not in post.cookies
            assert len(server.sessions) == 0

    run(main())


# -- open databases -------------------------------------------------------------------------


def test_an_open_database_needs_no_sign_in(open_db_path: Path) -> None:
    async def main() -> None:
        async with served(open_db_path) as (client, _):
            page = await client.get("/", allow_redirects=False)
            assert page.status == 200
            form = await client.get("/login", allow_redirects=False)
            assert form.status == 303

    run(main())


# -- what the page loads --------------------------------------------------------------------


def test_the_pages_load_nothing_from_outside(managed_db: Path, passwords: dict[str, str]) -> None:
    async def main() -> list[str]:
        async with served(managed_db) as (client, _):
            login = await (await client.get("/login")).text()
            await sign_in(client, "王芳", passwords["王芳"])
            r = await client.get("/")
            app = await r.text()
            assert "default-src 'none'" in r.headers["Content-Security-Policy"]
            assets = re.findall(r'(?:href|src)="([^"]+)"', login + app)
            for asset in assets:
                got = await client.get(asset)
                assert got.status == 200, asset
            return [login, app]

    for html in run(main()):
        assert "googleapis" not in html and "//fonts." not in html
        assert re.findall(r"""(?:href|src|url)\s*=?\s*\(?["']?(?:https?:)?//""", html) == []
