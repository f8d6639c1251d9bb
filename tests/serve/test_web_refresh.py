"""A browser visitor, one of many, refreshes at once only for changes on its screen.

Fifty visitors each re-reading their list after every colleague's tick (twice a second) is
what kept a 2-core server busy; a change to a task off screen is caught up a little later.
In a terminal nothing changes: every commit by another process refreshes the list.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from serve_helpers import context
from textual.pilot import Pilot

from tracker.tui import app as app_module
from tracker.tui.app import TrackerApp
from tracker.tui.workers import StoreWorkers


def _counting(db: Path, calls: list[str]) -> TrackerApp:
    """An App as "tester" that notes each refresh of what it shows in ``calls``."""
    app = TrackerApp(context(db, user="tester"))
    original = app._data_changed

    def counted() -> None:
        calls.append("refresh")
        original()

    app._data_changed = counted  # type: ignore[method-assign]
    return app


async def _first_rows(app: TrackerApp, pilot: Pilot[None]) -> None:
    """Until the first page is on screen (at most 5 s); the caller checks what it holds."""
    for _ in range(50):
        await pilot.pause(0.1)
        if app.table.shown_ids() and app.table.current is not None:
            return


def _run(db: Path, web: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(TrackerApp, "is_web", property(lambda self: web))
    monkeypatch.setattr(app_module, "CATCH_UP_SECONDS", 0.5)
    calls: list[str] = []

    async def main() -> None:
        app = _counting(db, calls)
        async with app.run_test(size=(120, 30)) as pilot:
            await _first_rows(app, pilot)
            shown = app.table.shown_ids()
            assert shown
            plans = app.plans_seen
            app.post_message(StoreWorkers.DatabaseChanged(plans, frozenset({10_000})))
            await pilot.pause(0.2)
            calls.append("after a change off screen")
            await pilot.pause(0.6)
            calls.append("later")
            app.post_message(StoreWorkers.DatabaseChanged(plans, frozenset({min(shown)})))
            await pilot.pause(0.2)
            calls.append("after a change on screen")

    asyncio.run(main())
    return calls


def test_a_browser_visitor_skips_changes_off_screen_and_catches_up(
    open_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(open_db_path, True, monkeypatch) == [
        "after a change off screen",
        "refresh",  # the catch-up
        "later",
        "refresh",
        "after a change on screen",
    ]


def test_a_terminal_refreshes_for_every_change(
    open_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(open_db_path, False, monkeypatch) == [
        "refresh",
        "after a change off screen",
        "later",
        "refresh",
        "after a change on screen",
    ]


def _own_then_other(db: Path, web: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """An action of the App's own, then one by another process on a row on screen."""
    from tracker.store import actions
    from tracker.store.db import open_db

    monkeypatch.setattr(TrackerApp, "is_web", property(lambda self: web))
    calls: list[str] = []

    async def main() -> None:
        app = _counting(db, calls)
        async with app.run_test(size=(120, 30)) as pilot:
            await _first_rows(app, pilot)
            row = app.table.current
            assert row is not None and row.status == "todo"
            await pilot.press("s")
            for _ in range(30):  # the action's own refresh, then the watcher's polls
                await pilot.pause(0.1)
            calls.append(f"after starting #{row.id} here")
            other = sorted(app.table.shown_ids() - {row.id})[0]
            store = open_db(db)
            try:
                actions.start(store, context(db, user="someone"), [str(other)])
            finally:
                store.conn.close()
            for _ in range(15):
                await pilot.pause(0.1)
            calls.append("after another process started a task on screen")

    asyncio.run(main())
    return calls


@pytest.mark.parametrize("web", [True, False], ids=["browser", "terminal"])
def test_an_own_action_is_read_once_and_others_still_show(
    open_db_path: Path, monkeypatch: pytest.MonkeyPatch, web: bool
) -> None:
    """The watcher sees the App's own commit too; the refresh after the action has read it
    already, so it is not read a second time (it was: a query and a redraw per action)."""
    calls = _own_then_other(open_db_path, web, monkeypatch)
    assert calls[0] == "refresh"
    assert calls[1].startswith("after starting #")
    assert calls[2:] == ["refresh", "after another process started a task on screen"]
