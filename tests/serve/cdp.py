"""A small headless-Chromium driver over the DevTools protocol (aiohttp's WebSocket client).

Enough to open a page, fill a form, type keys, read the DOM and take a screenshot, so the
screenshot tests see what a person sees, first click included (there is none).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """``async with Browser() as b: page = await b.page()``."""

    def __init__(self, width: int = 1280, height: int = 800) -> None:
        self.size = (width, height)
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[dict[str, Any]] = []

    async def __aenter__(self) -> Browser:
        assert CHROMIUM is not None
        self._profile = tempfile.TemporaryDirectory()
        w, h = self.size
        self._proc = await asyncio.create_subprocess_exec(
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-dev-shm-usage", "--remote-debugging-port=0",
            f"--user-data-dir={self._profile.name}", f"--window-size={w},{h}", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert self._proc.stderr is not None
        url = None
        while url is None:
            line = await asyncio.wait_for(self._proc.stderr.readline(), 30)
            if not line:
                raise RuntimeError("chromium ended before its DevTools endpoint was up")
            found = re.search(rb"DevTools listening on (ws://\S+)", line)
            url = found.group(1).decode() if found else None
        self._drain = asyncio.create_task(self._discard(self._proc.stderr))
        self._http = aiohttp.ClientSession()
        self._ws = await self._http.ws_connect(url, max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):
            await self._ws.close()
        await self._http.close()
        self._reader.cancel()
        if self._proc.returncode is None:
            self._proc.kill()
        await self._proc.wait()
        self._drain.cancel()
        self._profile.cleanup()

    @staticmethod
    async def _discard(stream: asyncio.StreamReader) -> None:
        while await stream.read(4096):
            pass

    async def _read(self) -> None:
        async for message in self._ws:
            data = json.loads(message.data)
            future = self._waiting.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(data)
            elif "method" in data:
                self.events.append(data)

    async def send(self, method: str, session: str | None = None, **params: Any) -> Any:
        ident = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[ident] = future
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        await self._ws.send_str(json.dumps(message))
        answer = await asyncio.wait_for(future, 30)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    async def page(self) -> Page:
        target = await self.send("Target.createTarget", url="about:blank")
        attached = await self.send(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True
        )
        page = Page(self, attached["sessionId"])
        await page.send("Page.enable")
        await page.send("Runtime.enable")
        w, h = self.size
        await page.send(
            "Emulation.setDeviceMetricsOverride", width=w, height=h, deviceScaleFactor=1,
            mobile=False,
        )  # fmt: skip
        return page


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    async def send(self, method: str, **params: Any) -> Any:
        return await self.browser.send(method, self.session, **params)

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)
        await self.wait_for("document.readyState === 'complete'", 60)

    async def eval(self, expression: str) -> Any:
        found = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        return found.get("result", {}).get("value")

    async def wait_for(self, expression: str, timeout: float = 20.0) -> Any:
        """Poll ``expression`` until it is truthy; its value."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            with contextlib.suppress(RuntimeError):
                value = await self.eval(expression)
                if value:
                    return value
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"never true: {expression}")
            await asyncio.sleep(0.1)

    async def type(self, text: str) -> None:
        """Keys as a person types them (to whatever has the focus: no click first)."""
        for ch in text:
            await self.send("Input.dispatchKeyEvent", type="keyDown", text=ch, key=ch)
            await self.send("Input.dispatchKeyEvent", type="keyUp", key=ch)

    async def screenshot(self, path: Path) -> Path:
        shot = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def console_errors(self) -> list[str]:
        out = []
        for event in self.browser.events:
            if event.get("method") == "Runtime.exceptionThrown":
                out.append(json.dumps(event["params"])[:300])
            if event.get("method") == "Log.entryAdded":
                out.append(json.dumps(event["params"])[:300])
        return out
