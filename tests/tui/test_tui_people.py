"""The TUI knows who is acting (people.md): only permitted actions, refusals explained,
postponement requests filed by staff and decided by a verifier."""

from __future__ import annotations

import asyncio
from datetime import datetime, time
from pathlib import Path

from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._footer import FooterKey
from tui_helpers import TODAY, FrozenContext, drive, goto, press, settle, task_row, uid_ids

from tracker.store import people
from tracker.store.db import open_db
from tracker.tui.app import TrackerApp
from tracker.tui.screens.prompt import PromptScreen


class OnTheDay(FrozenContext):
    """The frozen day is the real day too: no backdating in a managed database."""

    def real_now(self) -> datetime:
        return datetime.combine(self.today, time(9, 30))


def ctx(db_path: Path, user: str) -> OnTheDay:
    return OnTheDay(db_path=db_path, today=TODAY, user=user, lang="en")


def manage(db_path: Path) -> None:
    db = open_db(db_path)
    try:
        admin = ctx(db_path, "chief")
        people.add_person(db, admin, people.NewPerson("chief", people.Role.ADMIN))
        people.add_person(db, admin, people.NewPerson("王芳", people.Role.STAFF, ("town-a",)))
        people.add_person(db, admin, people.NewPerson("李督办", people.Role.VERIFIER))
    finally:
        db.conn.close()


def footer(app: TrackerApp) -> list[str]:
    return [str(k.description) for k in app.query(FooterKey)]


def status_line(app: TrackerApp) -> str:
    return str(app.query_one("#status", Static).render())


def requests(db_path: Path) -> list[tuple[object, ...]]:
    db = open_db(db_path)
    try:
        return db.conn.execute("SELECT task_id, due, by, state FROM postpone_requests").fetchall()
    finally:
        db.conn.close()


def test_staff_see_their_actions_and_file_requests(county_db: Path) -> None:
    manage(county_db)
    app = TrackerApp(ctx(county_db, "王芳"))
    ids = uid_ids(county_db)
    mine, theirs = ids["qingjie/town-a"], ids["qingjie/town-b"]
    due = task_row(county_db, mine)["due"]

    async def scenario(pilot: Pilot[None]) -> None:
        await settle(pilot)
        assert app.person is not None and app.person.name == "王芳"
        keys = footer(app)
        assert "done" in keys and "postpone" in keys and "verify" not in keys
        await goto(pilot, theirs)
        await press(pilot, "d")  # another unit's task: refused, and said so
        assert "outside 王芳's units" in status_line(app)
        assert task_row(county_db, theirs)["status"] == "todo"
        await goto(pilot, mine)
        await press(pilot, "v")  # a staff member's key does nothing: verify is hidden
        assert task_row(county_db, mine)["status"] == "todo"
        await press(pilot, "e")
        assert isinstance(app.screen, PromptScreen)
        for value in ("2020-05-20", "雨季"):
            await pilot.press("home", "ctrl+k", *value, "enter")
        await settle(pilot)
        assert "postponement requested: 1 task(s)" in status_line(app)

    drive(app, scenario)
    assert task_row(county_db, mine)["due"] == due  # a request moves nothing
    assert requests(county_db) == [(mine, "2020-05-20", "王芳", "open")]


def test_a_verifier_sees_the_request_and_approves_it(county_db: Path) -> None:
    manage(county_db)
    tid = uid_ids(county_db)["qingjie/town-a"]
    db = open_db(county_db)
    try:
        from tracker.store import actions

        actions.postpone(db, ctx(county_db, "王芳"), str(tid), "2020-05-20", "雨季")
    finally:
        db.conn.close()
    app = TrackerApp(ctx(county_db, "李督办"))

    async def scenario(pilot: Pilot[None]) -> None:
        await settle(pilot)
        assert "verify" in footer(app)
        await goto(pilot, tid)
        await press(pilot, "enter")
        body = str(app.query_one("#detail-body", Static).render())
        assert "postponement request" in body and "2020-05-20" in body and "王芳" in body
        await press(pilot, "a")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert "approve: 1 task(s)" in status_line(app)

    drive(app, scenario)
    row = task_row(county_db, tid)
    assert (row["due"], row["postponed"]) == ("2020-05-20", 1)
    assert requests(county_db)[0][3] == "approved"


def test_the_palette_offers_what_the_role_allows_at_80x24(county_db: Path) -> None:
    manage(county_db)
    app = TrackerApp(ctx(county_db, "王芳"))

    async def prompts(pilot: Pilot[None], query: str) -> str:
        await pilot.press("ctrl+a", "ctrl+k", *query)
        await asyncio.sleep(0.3)
        await settle(pilot)
        return " | ".join(str(o.prompt) for o in app.screen.query_one(CommandList).options)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await settle(pilot)
            acts = await prompts(pilot, "act")
            assert "act: done" in acts and "act: postpone" in acts
            assert "act: verify" not in acts and "act: approve" not in acts  # a verifier's
            assert "sort: unit" in await prompts(pilot, "sort")
            assert "view: due now" in await prompts(pilot, "view")
            assert "status filter: blocked" in await prompts(pilot, "status filter")

    asyncio.run(main())
