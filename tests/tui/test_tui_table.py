"""The table's look: due-date colours, dimmed closed rows, relative dates, the mouse."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from tui_helpers import drive, press

from tracker.tui.app import TrackerApp


def test_rows_are_coloured_by_due_date_and_status(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "end")  # the cursor's own colour out of the way
        table = app.table

        def colour(component: str) -> object:
            return table.get_component_rich_style(f"task-table--{component}").color

        seen = {}
        for y in range(1, 12):
            strip = table.render_line(y)
            text = strip.text
            seen[text[2:].split()[0]] = (text, strip._segments[1].style.color)
        expect = {
            "6": "closed",  # verified
            "7": "closed",  # done
            "5": "overdue",  # blocked, due 04-08
            "1": "overdue",  # doing, due 04-10
            "2": "soon",  # due today
            "4": "soon",  # due Friday: within 3 working days
        }
        for task_id, component in expect.items():
            assert seen[task_id][1] == colour(component), (task_id, seen[task_id][0])
        assert seen["8"][1] not in {colour(c) for c in ("closed", "overdue", "soon")}
        # the overdue rows carry "!" (legible without colour), the others not
        assert {k for k, (text, _) in seen.items() if text[1] == "!"} == {"5", "1"}
        assert "7d late" in seen["5"][0] and "today" in seen["2"][0]
        assert "in 2d" in seen["4"][0] and "40/119 个" in seen["4"][0]

    drive(app, scenario)


def test_mouse_moves_the_cursor_and_clicks_filter(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.click("#table", offset=(10, 3))  # header is line 0: row index 2
        await press(pilot)
        assert app.table.cursor == 2
        await pilot.click("#table", offset=(10, 4), times=2)
        await press(pilot)
        assert app.table.selected == {app.table.row_at(3).id}  # type: ignore[union-attr]

    drive(app, scenario)
