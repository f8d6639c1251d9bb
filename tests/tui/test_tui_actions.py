"""Every staff action from the keyboard, on one task and on a multi-selection, with undo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Label, Static
from tui_helpers import drive, goto, press, settle, task_row, uid_ids

from tracker.tui.app import TrackerApp
from tracker.tui.screens.prompt import PromptScreen


def status_line(app: TrackerApp) -> str:
    return str(app.query_one("#status", Static).render())


async def answer(pilot: Pilot[None], *values: str) -> None:
    """Fill the open prompt's fields in order and submit."""
    assert isinstance(pilot.app.screen, PromptScreen)
    for value in values:
        await pilot.press("home", "ctrl+k", *value, "enter")
    await settle(pilot)


def test_start_done_verify_reopen_on_the_cursor_row(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    tid = uid_ids(county_db)["qingjie/town-a"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, tid)
        await press(pilot, "s")
        assert task_row(county_db, tid)["status"] == "doing"
        assert app.table.current is not None and app.table.current.status == "doing"
        await press(pilot, "d")
        assert task_row(county_db, tid)["status"] == "done"
        assert task_row(county_db, tid)["done_at"] == "2020-04-15T09:30:00"
        # ticking off a list: the cursor went on to the next task
        assert app.table.current is not None and app.table.current.id != tid
        await goto(pilot, tid)
        await press(pilot, "v")
        assert task_row(county_db, tid)["status"] == "verified"
        await press(pilot, "r")
        assert task_row(county_db, tid)["status"] == "doing"
        assert "reopen: 1 task(s)" in status_line(app)

    drive(app, scenario)


def test_multi_select_done_then_undo_as_one(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    ids = uid_ids(county_db)
    a, b = ids["qingjie/town-a"], ids["qingjie/town-b"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, a)
        await press(pilot, "space", "space")  # marks a, moves to b, marks b
        assert app.table.selected == {a, b}
        assert "2 selected" in str(app.query_one("#filter-bar", Static).render())
        await press(pilot, "d")
        assert task_row(county_db, a)["status"] == task_row(county_db, b)["status"] == "done"
        assert app.table.selected == set()
        await press(pilot, "z")
        assert task_row(county_db, a)["status"] == task_row(county_db, b)["status"] == "todo"
        assert "undo: 2 task(s)" in status_line(app)

    drive(app, scenario)


def test_shift_arrows_extend_and_escape_clears(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "shift+down", "shift+down")
        assert len(app.table.selected) == 3
        await press(pilot, "escape")
        assert app.table.selected == set()

    drive(app, scenario)


def test_block_with_a_reason_and_start_again(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    tid = uid_ids(county_db)["tijian"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, tid)
        await press(pilot, "b")
        await answer(pilot, "等待卫健局排期")
        row = task_row(county_db, tid)
        assert (row["status"], row["blocked_reason"]) == ("blocked", "等待卫健局排期")
        await press(pilot, "s")
        assert task_row(county_db, tid)["status"] == "doing"

    drive(app, scenario)


def test_cancelled_prompt_changes_nothing(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    tid = uid_ids(county_db)["tijian"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, tid)
        await press(pilot, "b", "escape")
        assert not isinstance(app.screen, PromptScreen)
        assert task_row(county_db, tid)["status"] == "todo"

    drive(app, scenario)


def test_progress_absolute_and_relative_until_done(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    tid = uid_ids(county_db)["renju"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, tid)
        await press(pilot, "p")
        await answer(pilot, "100")
        assert task_row(county_db, tid)["progress"] == 100
        await press(pilot, "p")
        await answer(pilot, "+19")
        row = task_row(county_db, tid)
        assert (row["progress"], row["status"]) == (119, "done")  # the target reached
        assert app.table.current is not None and app.table.current.status == "done"

    drive(app, scenario)


def test_postpone_with_reason_and_note(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    tid = uid_ids(county_db)["xunshi"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, tid)
        await press(pilot, "e")
        await answer(pilot, "2020-04-24", "巡视组延后反馈")
        row = task_row(county_db, tid)
        assert (row["due"], row["planned_due"], row["postponed"]) == (
            "2020-04-24",
            "2020-04-10",
            1,
        )
        await press(pilot, "n")
        await answer(pilot, "已报县委常委会")
        await press(pilot, "enter")  # the detail pane shows the note and the history
        body = str(app.query_one("#detail-body", Static).render())
        assert "已报县委常委会" in body and "巡视组延后反馈" in body
        assert "postpone" in body

    drive(app, scenario)


def test_progress_on_a_selection_is_all_or_nothing(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    ids = uid_ids(county_db)
    done, todo = ids["diaodu/2020-03"], ids["diaodu/2020-04"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, done)
        await press(pilot, "space")
        await goto(pilot, todo)
        await press(pilot, "space", "p")
        await answer(pilot, "3")
        # the done task refuses progress, so the todo one is left untouched too
        assert task_row(county_db, todo)["progress"] is None
        assert "done" in status_line(app) and app.is_running

    drive(app, scenario)


def test_progress_on_a_selection_is_one_change_for_undo(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    ids = uid_ids(county_db)
    a, b = ids["qingjie/town-a"], ids["qingjie/town-b"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, a)
        await press(pilot, "space", "space")  # marks a, moves to b, marks b
        assert app.table.selected == {a, b}
        await press(pilot, "p")
        await answer(pilot, "3")
        for tid in (a, b):
            row = task_row(county_db, tid)
            assert (row["progress"], row["status"]) == (3, "doing")
        assert "progress: 2 task(s)" in status_line(app)
        await press(pilot, "z")  # one undo reverts the progress on both tasks
        for tid in (a, b):
            row = task_row(county_db, tid)
            assert (row["progress"], row["status"]) == (None, "todo")
        assert "undo: 2 task(s)" in status_line(app)

    drive(app, scenario)


def test_refused_transition_is_explained_and_changes_nothing(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    tid = uid_ids(county_db)["tijian"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, tid)
        await press(pilot, "v")  # verify a todo task: only done tasks can be verified
        assert task_row(county_db, tid)["status"] == "todo"
        message = status_line(app)
        assert str(tid) in message and "todo" in message
        assert app.query_one("#status").has_class("error")
        await press(pilot, "p")
        await answer(pilot, "many")  # not a number: the store's own message
        assert "many" in status_line(app)
        # the form stays open with the message in it and the value kept
        assert isinstance(app.screen, PromptScreen) and app.screen.values == ["many"]
        assert "many" in str(app.screen.query_one("#prompt-error", Label).render())
        await press(pilot, "escape")
        await press(pilot, "s")  # still alive and acting
        assert task_row(county_db, tid)["status"] == "doing"

    drive(app, scenario)


def test_undo_with_nothing_to_undo_is_refused(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app(user="newcomer")

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "z")
        assert app.query_one("#status").has_class("error")
        assert "newcomer" in status_line(app)

    drive(app, scenario)
