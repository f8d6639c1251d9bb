"""Headless Chromium against a real ``tracker serve``: what a person sees and does.

The sign-in page and the signed-in app are screenshotted (``tests/serve/screenshots/`` of
the test's directory; look at them), the page is checked to load nothing from elsewhere, to
draw the terminal inside the window (nothing clipped at the top), and to take keys without a
first click: 王芳 signs in and marks her first task done with the ``d`` key alone.
Skipped where Chromium is not installed (``.ci/run`` installs it on Debian).
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from cdp import CHROMIUM, Browser
from serve_helpers import events, serve_process, wait_visitors

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)


def test_sign_in_and_tick_off_a_task_in_chromium(
    managed_db: Path, passwords: dict[str, str], tmp_path: Path
) -> None:
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with serve_process(managed_db, lang="zh") as server:

        async def main() -> dict[str, object]:
            async with Browser(1280, 800) as browser:
                page = await browser.page()
                await page.send("Network.enable")
                await page.goto(server.url + "/")
                assert await page.eval("location.pathname") == "/login"
                await page.wait_for("document.activeElement.id === 'name'")
                await page.screenshot(shots / "sign-in.png")
                await page.type("王芳")
                await page.eval("document.getElementById('password').focus()")
                await page.type(passwords["王芳"])
                await page.eval("document.querySelector('form').submit()")
                await page.wait_for("document.body.classList.contains('-first-byte')", 60)
                await wait_visitors(managed_db, 1)
                await asyncio.sleep(2.0)  # the first rows drawn
                await page.screenshot(shots / "app.png")
                box = await page.eval(
                    "JSON.stringify(document.querySelector('.xterm-screen')"
                    ".getBoundingClientRect())"
                )
                seen = {
                    "box": box,
                    "height": await page.eval("innerHeight"),
                    "focus": await page.eval("document.activeElement.className"),
                }
                await page.type("d")  # no click anywhere before
                deadline = time.monotonic() + 40
                while not [e for e in events(managed_db) if e[1] == "done"]:
                    assert time.monotonic() < deadline, "the key never reached the app"
                    await asyncio.sleep(0.2)
                await asyncio.sleep(1.0)
                await page.screenshot(shots / "app-done.png")
                urls = [
                    e["params"]["request"]["url"]
                    for e in browser.events
                    if e.get("method") == "Network.requestWillBeSent"
                ]
                seen["urls"] = urls
                seen["errors"] = [
                    e["params"] for e in browser.events if e["method"] == "Runtime.exceptionThrown"
                ]
                return seen

        seen = asyncio.run(main())
        server.stop()
        assert "Traceback" not in server.log()
    box = json.loads(str(seen["box"]))
    assert box["top"] >= 0 and box["bottom"] <= int(str(seen["height"])), seen
    assert "xterm-helper-textarea" in str(seen["focus"])
    assert seen["errors"] == []
    urls = seen["urls"]
    assert isinstance(urls, list) and urls
    assert all(u.startswith((server.url, "ws://127.0.0.1", "data:")) for u in urls), urls
    done = [(user, action) for user, action, _ in events(managed_db) if action == "done"]
    assert done == [("王芳", "done")]
    for name in ("sign-in.png", "app.png", "app-done.png"):
        assert (shots / name).stat().st_size > 10_000  # a page was drawn, not a blank
