"""Each signed-in person's calendar feed at a secret address, once ``tracker.notify`` exists.

``tracker.notify.calendar_for_person(db, name, today, *, lang) -> bytes`` is not on this
branch yet; a stand-in module plays it here, to hold the server's side: the address shown
to its person only, the feed fetched without a cookie (calendar apps have none), nobody
else's token guessed.
"""

from __future__ import annotations

import asyncio
import re
import sys
import types
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from serve_helpers import served, sign_in

from tracker.serve import feeds


@pytest.fixture
def notify(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def calendar_for_person(db: Any, name: str, today: date, *, lang: str = "zh") -> bytes:
        asked.append(name)
        return f"BEGIN:VCALENDAR\r\nX-WHO:{name}\r\nEND:VCALENDAR\r\n".encode()

    module = types.ModuleType("tracker.notify")
    module.calendar_for_person = calendar_for_person  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tracker.notify", module)
    return asked


def test_without_tracker_notify_there_are_no_feeds(managed_db: Path) -> None:
    if feeds.calendar_source() is not None:
        pytest.skip("tracker.notify is installed")

    async def main() -> None:
        async with served(managed_db) as (client, _):
            r = await client.get("/calendar/whatever.ics")
            assert r.status == 404

    asyncio.run(main())


def test_a_person_gets_their_own_feed_at_a_secret_address(
    managed_db: Path, passwords: dict[str, str], notify: list[str]
) -> None:
    async def main() -> None:
        async with served(managed_db) as (client, _):
            await sign_in(client, "王芳", passwords["王芳"])
            page = await (await client.get("/calendar")).text()
            found = re.search(r"(/calendar/[A-Za-z0-9_-]+\.ics)", page)
            assert found, page
            client.session.cookie_jar.clear()  # a calendar app has no session
            feed = await client.get(found.group(1))
            assert feed.status == 200
            assert feed.headers["Content-Type"].startswith("text/calendar")
            assert "X-WHO:王芳" in await feed.text()
            guessed = await client.get("/calendar/" + "A" * 32 + ".ics")
            assert guessed.status == 404

    asyncio.run(main())
    assert notify == ["王芳"]
    key = feeds.key_path(managed_db)
    assert key.exists() and key.stat().st_mode & 0o007 == 0  # like the database: no others
