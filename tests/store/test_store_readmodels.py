"""The store's read models: what the report, the TUI and the ledger read instead of SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.context import Context
from tracker.domain import State, Task
from tracker.report.weekly import compute_weekly
from tracker.store import actions, browse, figures
from tracker.store.asof import build_past, drop_past, task_rows
from tracker.store.query import get_task, latest_notes, tasks_by_uid, unit_names

PLAN = "xx-county-2020"


def test_tasks_are_typed(loaded: Any) -> None:
    task = get_task(loaded, "1")
    assert isinstance(task, Task)
    assert task.support == ["fpb"] and task.tags == ["整改"] and task.after == []
    assert (task.campaign_name, task.owner_name) == ("春季攻势", "县纪委监委")
    assert task.state == State("todo", None, "2020-04-30", 0, None, None)
    found = tasks_by_uid(loaded, [f"{PLAN}/spring/renju", "nope"])
    assert list(found) == [f"{PLAN}/spring/renju"] and found[f"{PLAN}/spring/renju"].id == 4


def test_filter_tree_and_units(loaded: Any) -> None:
    [plan] = browse.filter_tree(loaded)
    assert (plan.plan, plan.count) == (PLAN, 9)
    spring, summer = plan.children
    assert (spring.label, spring.count, summer.count) == ("春季攻势", 7, 2)
    assert [(t.task_key, t.count) for t in spring.children] == [
        ("xunshi", 1),
        ("qingjie", 2),
        ("renju", 1),
        ("diaodu", 3),
    ]
    units = [(u.key, u.depth) for u in browse.unit_list(loaded)]
    assert units[0] == ("county", 0) and ("cun-1", 2) in units
    assert unit_names(loaded)[(PLAN, "town-a")] == "城关镇"
    assert [p.id for p in figures.plans(loaded)] == [PLAN] == browse.plan_ids(loaded)
    assert [c.key for c in figures.campaigns(loaded, PLAN)] == ["spring", "summer"]
    limits = browse.workday_limits(loaded, date(2020, 4, 30), 3)  # 劳动节 2020: May 1-5 off
    assert limits[PLAN] == date(2020, 5, 8)


def test_past_state_and_who_did(loaded: Any, ctx: Context) -> None:
    actions.done(loaded, ctx, ["3"], note="清洁完成")
    actions.note(loaded, ctx, "3", "复查")
    later = Context(db_path=ctx.db_path, today=date(2020, 4, 22), user="amy", lang="en")
    actions.reopen(loaded, later, ["3"])
    build_past(loaded, "t_past", PLAN, "2020-04-21")
    try:
        [task] = task_rows(loaded, "t_past", 1, PLAN, "t.id = :id", {"id": 3})
    finally:
        drop_past(loaded, "t_past")
    assert task.status == "done" and task.done_at is not None  # as it was on 04-20
    assert get_task(loaded, "3").status == "doing"  # as it is now
    assert figures.who_did(loaded, [3], "2020-04-21") == {3: "tester"}
    assert latest_notes(loaded, [3, 4]) == {3: "复查"}


def test_trend_counts_completion_by_progress(loaded: Any, ctx: Context) -> None:
    """A task completed by ``progress`` is on the trend line, as in the totals."""
    before = compute_weekly(loaded, today=ctx.today, plan=PLAN)
    actions.progress(loaded, ctx, "4", "119")  # reaches the target: done
    after = compute_weekly(loaded, today=ctx.today, plan=PLAN)
    assert after.totals.done == before.totals.done + 1
    assert after.chart[-1][2] == before.chart[-1][2] + 1 == after.totals.done


def test_workday_limits_use_the_stored_flags_and_fall_back_beyond_them(
    loaded: Any, monkeypatch: Any
) -> None:
    """Within the years a load stored, the limits come from its flags (a TUI's start needs no
    holidays data); beyond them, from the plan's calendar, with the same answer it gives."""
    from tracker.store import calendars, reminders

    assert calendars.stored_flags(loaded, PLAN), "the load stored the plan's working days"
    cal = reminders.plan_calendars(loaded)[PLAN]
    far = date(2031, 9, 30)  # 国庆 2031 is beyond the stored years
    expected = cal.add_workdays(far, 3)
    assert expected is not None and expected > date(2031, 10, 7)

    def no_calendar(db: Any) -> Any:
        raise AssertionError("the calendar was built although the flags reach")

    with monkeypatch.context() as m:
        m.setattr(browse, "plan_calendars", no_calendar)
        assert browse.workday_limits(loaded, date(2020, 4, 30), 3)[PLAN] == date(2020, 5, 8)
    assert browse.workday_limits(loaded, far, 3)[PLAN] == expected
