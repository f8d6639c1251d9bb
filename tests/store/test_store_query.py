"""The list filters, lookups and the JSON shape."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tracker.context import Context
from tracker.errors import BadInput, NotFound
from tracker.store import actions
from tracker.store.load import load_expansion
from tracker.store.query import (
    TaskFilter,
    count_tasks,
    get_task,
    owner_units,
    query_tasks,
    task_index,
    task_json,
    week_end,
)

TODAY = date(2020, 4, 20)
CLI_KEYS = {
    "id", "uid", "plan", "campaign", "campaign_name", "task_key", "title", "owner", "owner_name",
    "support", "leader", "start", "due", "period", "status", "overdue", "target", "progress",
    "unit", "priority", "tags", "done_at", "planned_due", "postponed",
}  # fmt: skip


def ids(db: Any, today: date = TODAY, **kw: Any) -> list[int]:
    flt = TaskFilter(**kw)
    rows = query_tasks(db, flt, today)
    assert count_tasks(db, flt, today) == len(rows)
    return [r["id"] for r in rows]


def test_soonest_due_first_then_id(loaded: Any) -> None:
    assert ids(loaded) == [5, 6, 7, 1, 2, 3, 4, 8, 9]


def test_limit_and_offset(loaded: Any) -> None:
    rows = query_tasks(loaded, TaskFilter(), TODAY, limit=2, offset=3)
    assert [r["id"] for r in rows] == [1, 2]


def test_plan_and_campaign(loaded: Any, ctx: Context, sample: Any) -> None:
    load_expansion(loaded, sample.other_plan(), ctx)
    assert ids(loaded, plan="yy-town-2020") == [10, 11]
    assert ids(loaded, campaign="summer") == [8, 9]
    assert ids(loaded, plan="xx-county-2020", campaign="spring") == [5, 6, 7, 1, 2, 3, 4]
    assert ids(loaded, plan="nope") == []


def test_owner_includes_units_below(loaded: Any, ctx: Context, sample: Any) -> None:
    assert ids(loaded, owner="town-a") == [2, 8]  # cun-1 is below town-a
    assert ids(loaded, owner="fpb") == [4, 9]
    assert ids(loaded, owner="county") == ids(loaded)
    assert ids(loaded, owner="cun-1") == [8]
    assert ids(loaded, owner="nobody") == []
    load_expansion(loaded, sample.other_plan(), ctx)
    assert ids(loaded, owner="town-a") == [2, 11, 8]
    assert ids(loaded, owner="town-a", plan="yy-town-2020") == [11]
    assert sorted(owner_units(loaded, "xx-county-2020", "town-a")) == ["cun-1", "town-a"]


def test_status_filter_is_repeatable(loaded: Any, ctx: Context) -> None:
    actions.done(loaded, ctx, ["1", "2"])
    actions.verify(loaded, ctx, ["2"])
    actions.block(loaded, ctx, ["3"], "x")
    assert ids(loaded, statuses=("done",)) == [1]
    assert ids(loaded, statuses=("done", "verified", "blocked")) == [1, 2, 3]
    with pytest.raises(BadInput):
        ids(loaded, statuses=("finished",))


def test_due_filters(loaded: Any, ctx: Context) -> None:
    assert ids(loaded, due="overdue") == [5, 6, 7]
    actions.done(loaded, ctx, ["6"])
    assert ids(loaded, due="overdue") == [5, 7]  # done is not overdue
    assert ids(loaded, due="today") == []
    assert ids(loaded, date(2020, 4, 30), due="today") == [1, 2, 3, 4]
    # week: today through the coming Sunday
    assert ids(loaded, date(2020, 4, 27), due="week") == [1, 2, 3, 4]
    assert ids(loaded, date(2020, 4, 13), due="week") == [7]
    assert ids(loaded, date(2020, 4, 16), due="week") == []  # 04-15 is already past
    assert week_end(date(2020, 4, 26)) == date(2020, 4, 26)  # a Sunday ends its own week
    assert ids(loaded, due=date(2020, 3, 31)) == [5, 6]  # on or before
    assert ids(loaded, due="2020-04-15") == [5, 6, 7]
    with pytest.raises(BadInput):
        ids(loaded, due="soon")


def test_search_title_plan_notes_and_staff_notes(loaded: Any, ctx: Context) -> None:
    assert ids(loaded, search="清洁") == [2, 3]
    assert ids(loaded, search="路线图") == [1]  # the plan's notes
    assert ids(loaded, search="ROADS") == [8]  # case-insensitive for ASCII
    actions.note(loaded, ctx, "9", "需要审计局配合 100%")
    assert ids(loaded, search="审计局") == [9]
    assert ids(loaded, search="100%") == [9]
    assert ids(loaded, search="%") == [9]  # wildcards are literal
    actions.undo(loaded, ctx)
    assert ids(loaded, search="审计局") == []


def test_withdrawn_hidden_unless_all(loaded: Any, ctx: Context, sample: Any) -> None:
    actions.start(loaded, ctx, ["9"])
    load_expansion(loaded, sample.expansion(sample.instances()[:8]), ctx)
    assert 9 not in ids(loaded)
    assert ids(loaded, include_withdrawn=True)[-1] == 9
    assert ids(loaded, statuses=("withdrawn",)) == [9]


def test_combined_filters(loaded: Any) -> None:
    assert ids(loaded, owner="county", campaign="spring", due="overdue", search="调度") == [5, 6, 7]
    assert ids(loaded, owner="fpb", due="2020-04-30", statuses=("todo",)) == [4]


def test_task_key_combines_with_plan_and_campaign(loaded: Any, ctx: Context, sample: Any) -> None:
    load_expansion(loaded, sample.other_plan(), ctx)  # 10 xunshi, 11 qingjie/town-a
    assert ids(loaded, task_key="diaodu") == [5, 6, 7]
    assert ids(loaded, task_key="diaodu", campaign="spring") == [5, 6, 7]
    assert ids(loaded, task_key="diaodu", campaign="summer") == []
    assert ids(loaded, task_key="qingjie") == [2, 3, 11]
    assert ids(loaded, task_key="qingjie", plan="yy-town-2020") == [11]
    assert ids(loaded, task_key="qingjie", owner="town-b") == [3]
    assert ids(loaded, task_key="nope") == []


def test_reverse_pages_and_task_index(loaded: Any) -> None:
    flt = TaskFilter(campaign="spring")  # 5, 6, 7, 1, 2, 3, 4
    rows = query_tasks(loaded, flt, TODAY, limit=2, offset=1, reverse=True)
    assert [r["id"] for r in rows] == [3, 2]  # from the end: skip 4, then 3 and 2
    assert [task_index(loaded, flt, TODAY, i) for i in (5, 1, 4)] == [0, 3, 6]
    assert task_index(loaded, flt, TODAY, 8) is None  # a summer task: not in the list
    assert task_index(loaded, TaskFilter(task_key="diaodu"), TODAY, 7) == 2


def test_get_task_by_id_or_uid(loaded: Any) -> None:
    assert get_task(loaded, "4")["uid"] == "xx-county-2020/spring/renju"
    assert get_task(loaded, 4)["id"] == 4
    assert get_task(loaded, "xx-county-2020/spring/renju")["id"] == 4
    for ref in ("99", "xx-county-2020/spring", "", "-1"):
        with pytest.raises(NotFound):
            get_task(loaded, ref)


def test_task_json_shape(loaded: Any, ctx: Context) -> None:
    actions.progress(loaded, ctx, "4", "119")
    obj = task_json(get_task(loaded, "4"), TODAY)
    assert set(obj) >= CLI_KEYS
    assert obj["campaign_name"] == "春季攻势" and obj["owner_name"] == "县扶贫办"
    assert (obj["target"], obj["progress"], obj["unit"]) == (119, 119, "个行政村")
    assert obj["done_at"].startswith("2020-04-20T") and obj["overdue"] is False
    assert (obj["planned_due"], obj["postponed"], obj["status"]) == ("2020-04-30", 0, "done")
    one = task_json(get_task(loaded, "1"), TODAY)
    assert (one["support"], one["tags"], one["priority"]) == (["fpb"], ["整改"], "high")
    assert (one["period"], one["target"], one["progress"], one["done_at"]) == (
        None,
        None,
        None,
        None,
    )
    seven = task_json(get_task(loaded, "7"), TODAY)
    assert seven["overdue"] is True and seven["period"] == "2020-04"
    assert task_json(get_task(loaded, "7"), date(2020, 4, 15))["overdue"] is False  # due today
    # without the joined names, the database supplies them
    row = get_task(loaded, "2")
    row.campaign_name = row.owner_name = None
    assert task_json(row, TODAY, loaded)["owner_name"] == "城关镇"


@pytest.mark.parametrize("status", ["todo", "doing", "blocked", "done", "verified", "withdrawn"])
def test_overdue_only_for_open_tasks(loaded: Any, status: str) -> None:
    loaded.conn.execute("UPDATE tasks SET status = ? WHERE id = 5", (status,))
    obj = task_json(get_task(loaded, "5"), TODAY)
    assert obj["overdue"] is (status in ("todo", "doing", "blocked"))
