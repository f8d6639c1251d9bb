"""The TUI at 80×24, as a newcomer meets it (issue 19): what fits, the keys that were
missing (hide the tree, sort, export, today and overdue), prompts that keep what was typed,
and Textual's own texts in Chinese."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from textual.command import CommandInput, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static
from textual.widgets._footer import FooterKey
from tui_helpers import TODAY, FrozenContext, goto, press, settle, task_row, uid_ids

from tracker.plan import read_plan
from tracker.present import cell_width
from tracker.store import actions
from tracker.store.db import open_db
from tracker.store.load import load_expansion
from tracker.store.query import TaskFilter, count_tasks, query_tasks
from tracker.tui.app import TrackerApp
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.prompt import PromptScreen

SIZE80 = (80, 24)
COUNTY = Path(__file__).parents[2] / "campaigns" / "county-2020.toml"


def run80(app: TrackerApp, scenario: Callable[[Pilot[None]], Awaitable[None]]) -> None:
    async def main() -> None:
        async with app.run_test(size=SIZE80) as pilot:
            await settle(pilot)
            await scenario(pilot)

    asyncio.run(main())


@pytest.fixture
def big_app(db_path: Path) -> Callable[..., TrackerApp]:
    """The README's county example (titles end in their period: …周报（2020-W06）)."""
    ctx = FrozenContext(db_path=db_path, today=TODAY, user="clerk", lang="en")
    db = open_db(db_path)
    try:
        load_expansion(db, read_plan(COUNTY), ctx)
    finally:
        db.conn.close()

    def make(lang: str = "en") -> TrackerApp:
        return TrackerApp(FrozenContext(db_path=db_path, today=TODAY, user="clerk", lang=lang))

    return make


def lines(app: TrackerApp, n: int = 10) -> list[str]:
    return [app.table.render_line(y).text for y in range(n)]


def bar_lines(app: TrackerApp) -> list[str]:
    return str(app.filter_bar.render()).split("\n")


def status_line(app: TrackerApp) -> str:
    return str(app.query_one("#status", Static).render())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_80_the_bar_the_footer_and_the_titles_fit(
    big_app: Callable[..., TrackerApp], lang: str
) -> None:
    app = big_app(lang)

    async def scenario(pilot: Pilot[None]) -> None:
        chips, scope = bar_lines(app)
        assert cell_width(chips) <= 78 and ("!" in chips and "4" in chips and "-" in chips)
        assert scope.startswith("scope:" if lang == "en" else "范围：")
        keys = list(app.screen.query(FooterKey))
        assert keys[0].action == "help"  # "?" first: it explains the others
        palette = next(k for k in keys if k.has_class("-command-palette"))
        assert all(k.region.right <= palette.region.x for k in keys if k is not palette)
        assert palette.region.right <= 80
        rows = lines(app, 6)[1:]
        assert all("（2020-W" in row for row in rows), rows  # the week survives the cut
        await press(pilot, "enter")  # the detail pane: the status column stays
        assert app.detail.display and not app.scope_tree.display
        status = "todo" if lang == "en" else "未开始"
        assert all(status in row and "（2020-W" in row for row in lines(app, 6)[1:])

    run80(app, scenario)


def test_h_hides_the_tree_t_shows_it_and_escape_closes_the_pane(
    make_app: Callable[..., TrackerApp],
) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        width = app.table.size.width
        await press(pilot, "h")
        assert not app.scope_tree.display and app.table.size.width > width + 20
        await press(pilot, "t")  # shown again before it takes the focus
        assert app.scope_tree.display and app.scope_tree.has_focus
        await press(pilot, "escape", "enter")  # back to the list, open the pane
        assert app.table.has_focus and app.detail.display and not app.scope_tree.display
        await press(pilot, "t")  # the pane makes way: focus never goes to a hidden widget
        assert app.scope_tree.display and app.scope_tree.has_focus and not app.detail.display
        await press(pilot, "escape", "enter")
        assert app.detail.display
        await press(pilot, "escape")
        assert not app.detail.display and app.scope_tree.display

    run80(app, scenario)


def test_a_bad_date_keeps_the_reason_in_the_postpone_form(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    tid = uid_ids(county_db)["tijian"]

    async def scenario(pilot: Pilot[None]) -> None:
        await goto(pilot, tid)
        await press(pilot, "e")
        await pilot.press("home", "ctrl+k", *"2020-13-01", "enter", *"资金未到位", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PromptScreen)
        assert screen.values == ["2020-13-01", "资金未到位"]
        assert "2020-13-01" in str(screen.query_one("#prompt-error", Label).render())
        assert screen.query(Input).first().has_focus  # back on the date
        await pilot.press("home", "ctrl+k", *"2020-09-30", "enter", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, PromptScreen)
        assert task_row(county_db, tid)["due"] == "2020-09-30"

    run80(app, scenario)


def test_a_mixed_selection_says_which_task_refused(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()
    ids = uid_ids(county_db)
    done, todo = ids["diaodu/2020-03"], ids["tijian"]

    async def scenario(pilot: Pilot[None]) -> None:
        for tid in (done, todo):
            await goto(pilot, tid)
            await press(pilot, "space")
        assert app.table.selected == {done, todo}
        await press(pilot, "d")
        message = status_line(app)
        assert "nothing changed" in message and f"#{done}" in message, message
        assert task_row(county_db, todo)["status"] == "todo"
        assert app.table.selected == {done, todo}  # kept, to fix and try again

    run80(app, scenario)


def test_S_cycles_the_order_and_the_header_shows_it(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "h")  # room for the unit column
        assert "when▾" in lines(app, 1)[0]
        for order, marker in (("unit", "owner▾"), ("status", "status▾"), ("priority", "")):
            await press(pilot, "S")
            assert app.flt.sort == order
            header = lines(app, 1)[0]
            assert marker in header if marker else "▾" not in header  # priority: no column
            db = open_db(county_db)
            try:
                want = [t.id for t in query_tasks(db, TaskFilter(), TODAY, order=order)]
            finally:
                db.conn.close()
            shown = [app.table.row_at(i) for i in range(len(want))]
            assert [r.id for r in shown if r] == want
            assert "sorted by" in bar_lines(app)[1]
        await press(pilot, "S")
        assert app.flt.sort == "due" and "sorted by" not in bar_lines(app)[1]

    run80(app, scenario)


def test_E_exports_the_filtered_list_and_asks_before_replacing(
    make_app: Callable[..., TrackerApp], county_db: Path, tmp_path: Path
) -> None:
    app = make_app()
    target = tmp_path / "list.xlsx"

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "3")  # overdue only
        total = app.total
        assert total and total > 1
        await press(pilot, "E")
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.values == ["ledger-2020-04-15.xlsx"]
        await pilot.press("home", "ctrl+k", *str(target), "enter")
        await settle(pilot)
        assert not isinstance(app.screen, PromptScreen)
        sheet = openpyxl.load_workbook(target).active
        uids = [c.value for c in sheet["B"] if isinstance(c.value, str) and "/" in c.value]
        assert len(uids) == total
        assert str(target) in status_line(app)
        await press(pilot, "E")
        await pilot.press("home", "ctrl+k", *str(target), "enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)  # it exists: Enter again replaces it
        assert "exists" in str(app.screen.query_one("#prompt-error", Label).render())
        await press(pilot, "enter")
        assert not isinstance(app.screen, PromptScreen)

    run80(app, scenario)


def test_the_today_and_overdue_view(make_app: Callable[..., TrackerApp], county_db: Path) -> None:
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "exclamation_mark")
        assert app.flt.view == "now"
        db = open_db(county_db)
        try:
            want = count_tasks(db, TaskFilter(due="now"), TODAY)
            late = count_tasks(db, TaskFilter(due="overdue"), TODAY)
            today = count_tasks(db, TaskFilter(due="today"), TODAY)
        finally:
            db.conn.close()
        assert app.total == want == late + today and late and today
        rows = [app.table.row_at(i) for i in range(want)]
        assert all(r and (r.due == TODAY or r.due < TODAY) for r in rows)

    run80(app, scenario)


def test_dates_show_the_year_when_it_is_not_this_one(
    make_app: Callable[..., TrackerApp], county_db: Path
) -> None:
    tid = uid_ids(county_db)["tijian"]
    ctx = FrozenContext(db_path=county_db, today=TODAY, user="clerk", lang="en")
    db = open_db(county_db)
    try:
        actions.postpone_many(db, ctx, [str(tid)], date(2021, 1, 8), "跨年")
    finally:
        db.conn.close()
    app = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "h", "end")  # the last row: due next year
        text = "\n".join(lines(app, 20))
        assert "2021-01-08" in text and "2020-" not in text  # this year's dates stay short

    run80(app, scenario)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_explains_the_markers(make_app: Callable[..., TrackerApp], lang: str) -> None:
    app = make_app(lang)

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        body = str(app.screen.query_one("#help-body", Static).render())
        en = ("! overdue", "* postponed", "sort", "show/hide the plan tree", "export")
        zh = ("! 逾期", "* 已延期", "排序", "计划树", "导出")
        for text in en if lang == "en" else zh:
            assert text in body, text

    run80(app, scenario)


def test_palette_and_quit_hint_speak_chinese(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app("zh")

    async def scenario(pilot: Pilot[None]) -> None:
        await press(pilot, "ctrl+c")
        shown = [str(n.message) + str(n.title) for n in app._notifications]
        assert any("退出" in s and "quit" not in s for s in shown), shown
        await press(pilot, "ctrl+p")
        assert CommandPalette.is_open(app)
        prompt = app.screen.query_one(CommandInput)
        assert prompt.placeholder == "搜索命令…"
        await pilot.press(*"排序")
        await asyncio.sleep(0.3)
        await settle(pilot)
        text = " ".join(str(o.prompt) for o in app.screen.query_one("CommandList").options)
        assert "排序: 优先级" in text or "排序：优先级" in text, text
        await pilot.press("backspace", "backspace", *"qqqq")
        await asyncio.sleep(0.8)
        await settle(pilot)
        text = " ".join(str(o.prompt) for o in app.screen.query_one("CommandList").options)
        assert "没有匹配的命令" in text and "No matches" not in text, text

    run80(app, scenario)


def test_wide_screens_keep_the_tree_beside_the_pane(make_app: Callable[..., TrackerApp]) -> None:
    app = make_app()

    async def main() -> None:
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(pilot)
            await press(pilot, "enter")
            assert app.detail.display and app.scope_tree.display
            await pilot.resize_terminal(80, 24)
            await settle(pilot)
            assert app.detail.display and not app.scope_tree.display  # they take turns
            await pilot.resize_terminal(140, 40)
            await settle(pilot)
            assert app.detail.display and app.scope_tree.display

    asyncio.run(main())
