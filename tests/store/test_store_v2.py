"""The store with a version 2 plan: reference data, reloads, the v2 filters, task JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tracker.context import Context
from tracker.errors import BadInput
from tracker.plan import read_plan, read_plan_lazy
from tracker.store import actions
from tracker.store.db import open_db
from tracker.store.filters import check_keys
from tracker.store.load import load_expansion
from tracker.store.query import TaskFilter, count_tasks, get_task, query_tasks, task_json
from tracker.store.textindex import build_index

PLAN = Path(__file__).parents[1] / "fixtures" / "plans" / "v2-town.toml"
TODAY = date(2020, 4, 15)


@pytest.fixture
def town(db_path: Path) -> Any:
    db = open_db(db_path)
    load_expansion(db, read_plan_lazy(PLAN), Context(db_path, TODAY, "planner", "en"))
    return db


@pytest.fixture
def c(db_path: Path) -> Context:
    return Context(db_path=db_path, today=TODAY, user="tester", lang="en")


def uids(db: Any, **kw: Any) -> list[str]:
    return [t.uid for t in query_tasks(db, TaskFilter(**kw), TODAY)]


def test_reference_data(town: Any) -> None:
    rows = town.conn.execute("SELECT key, kind, rank, contact FROM units ORDER BY position")
    assert rows.fetchall() == [
        ("town", "town", 0, None),
        ("v1", "village", 1, "张三"),
        ("v2", "village", 1, None),
        ("v3", "village", 1, None),
        ("school", "office", 1, None),
    ]
    problems = town.conn.execute("SELECT key, title, source, leader FROM problems").fetchall()
    assert problems == [
        ("p1", "部分公益岗人员履职不到位", "2019年度省脱贫攻坚成效考核反馈", "王镇长"),
        ("p2", "饮水安全不稳定", None, "李副镇长"),
    ]


def test_task_json_v2_keys(town: Any) -> None:
    t = task_json(get_task(town, "town-2020/zg/gongyi/v1"), TODAY)
    assert {k: t[k] for k in ("problem", "responsible", "owner_kind", "adhoc", "measure")} == {
        "problem": "p1",
        "responsible": "李四、王五",
        "owner_kind": "village",
        "adhoc": False,
        "measure": "sum",
    }
    assert (t["target"], t["leader"]) == (4, "王镇长")
    # 序时进度 at 2020-04-15: 50 % at 03-31, then linear over working days to 100 % at 04-30:
    # 03-31 .. 04-15 holds 11 working days (04-06 is 清明), 03-31 .. 04-30 holds 23 (04-26,
    # a Sunday, is worked for 劳动节)
    assert t["expected"] == pytest.approx(4 * (0.5 + 0.5 * 11 / 23))
    rate = task_json(get_task(town, "town-2020/zg/canbao/v3"), TODAY)
    assert (rate["measure"], rate["owner_kind"]) == ("each", "village")
    plain = task_json(get_task(town, "town-2020/zg/jiaoyu"), TODAY)
    assert (plain["measure"], plain["expected"], plain["problem"], plain["responsible"]) == (
        None, None, None, None,
    )  # fmt: skip
    assert plain["owner_kind"] == "office"


def test_filters(town: Any) -> None:
    assert uids(town, problem="p1") == ["town-2020/zg/gongyi/v1", "town-2020/zg/gongyi/v2"]
    assert len(uids(town, problem="p2")) == 3
    assert len(uids(town, leader="王镇长")) == 2  # the task's leader, not the units'
    assert uids(town, leader="包村领导甲") == [
        "town-2020/zg/yinshui/v1",
        "town-2020/zg/canbao/v1",
        *[f"town-2020/bs/zhoubao/v1/2020-W{w}" for w in (39, 41, 42)],
    ]
    assert len(uids(town, responsible="王五")) == 2
    assert uids(town, responsible="王") == []  # a whole name, not a part of one
    assert len(uids(town, tags=("整改",))) == 5
    assert uids(town, tags=("整改", "公益岗")) == uids(town, problem="p1")  # every tag
    assert uids(town, tags=("整改", "教育")) == []
    assert uids(town, kind="office") == ["town-2020/zg/jiaoyu"]
    assert len(uids(town, kind="village")) == 2 + 3 + 3 + 9
    assert uids(town, kind="nope") == []


def test_search_words_all_match_and_people_are_searched(town: Any) -> None:
    assert len(uids(town, search="王五")) == 2  # a responsible person
    assert len(uids(town, search="包村领导甲")) == 5  # a leader
    assert uids(town, search="东风 公益") == ["town-2020/zg/gongyi/v1"]
    assert uids(town, search="东风　公益") == ["town-2020/zg/gongyi/v1"]  # a full-width space
    assert uids(town, search="东风 自来水") == []
    index = build_index(town)
    for text in ("东风 公益", "王五", "李四 红星", "月报", "东风 自来水", "周报 W41"):
        flt = TaskFilter(search=text, search_ids=index.ids_matching(text))
        assert query_tasks(town, flt, TODAY) == query_tasks(town, TaskFilter(search=text), TODAY)
        assert count_tasks(town, flt, TODAY) == len(uids(town, search=text))


def test_search_words_across_text_and_notes(town: Any, c: Context) -> None:
    actions.note(town, c, "town-2020/zg/jiaoyu", "已核查完毕")
    assert uids(town, search="学校 核查完毕") == ["town-2020/zg/jiaoyu"]
    index = build_index(town)
    flt = TaskFilter(search="学校 核查完毕", search_ids=index.ids_matching("学校 核查完毕"))
    assert [t.uid for t in query_tasks(town, flt, TODAY)] == ["town-2020/zg/jiaoyu"]


@pytest.mark.parametrize(
    ("flt", "suggestion"),
    [
        (TaskFilter(plan="town-2021"), "town-2020"),
        (TaskFilter(campaign="zhenggai"), "zg"),
        (TaskFilter(owner="v4"), "v3"),
        (TaskFilter(problem="p3"), "p2"),
        (TaskFilter(plan="town-2020", owner="schol"), "school"),
    ],
)
def test_unknown_keys_are_bad_input_with_a_suggestion(
    town: Any, flt: TaskFilter, suggestion: str
) -> None:
    with pytest.raises(BadInput) as e:
        check_keys(town, flt)
    assert e.value.exit_code == 2 and f"'{suggestion}'" in e.value.render("en")
    assert suggestion in e.value.render("zh")


def test_known_keys_pass(town: Any) -> None:
    check_keys(town, TaskFilter(plan="town-2020", campaign="bs", owner="town", problem="p2"))
    check_keys(town, TaskFilter(leader="nobody", responsible="x", tags=("y",), kind="z"))


def test_reload_of_an_edited_v2_plan_keeps_progress(town: Any, c: Context, tmp_path: Path) -> None:
    actions.progress(town, c, "town-2020/zg/gongyi/v2", "6", "清理6户")
    actions.done(town, c, ["town-2020/zg/yinshui/v1"])
    text = PLAN.read_text("utf-8")
    edited = text.replace("targets = { v1 = 4 }", "targets = { v1 = 5, v2 = 8 }")
    edited = edited.replace('except = ["v3"]', "").replace('"李四", "王五"', '"李四"')
    path = tmp_path / "plan.toml"
    path.write_text(edited, "utf-8")
    s = load_expansion(town, read_plan_lazy(path), c)
    assert (s.added, s.changed, s.removed, s.withdrawn) == (1, 2, 0, 0)
    v2 = get_task(town, "town-2020/zg/gongyi/v2")
    assert (v2.target, v2.progress, v2.status, v2.responsible) == (8, 6, "doing", "李四")
    assert get_task(town, "town-2020/zg/yinshui/v1").status == "done"
    assert get_task(town, "town-2020/zg/gongyi/v3").target == 10  # no longer excepted
    again = load_expansion(town, read_plan_lazy(path), c)
    assert (again.added, again.changed, again.unchanged) == (0, 0, again.instances)


def test_waived_tasks_are_listed_but_count_nowhere(town: Any, c: Context) -> None:
    from tracker.report.weekly import compute_weekly

    before = compute_weekly(town, today=TODAY, plan="town-2020", lang="en").totals
    actions.waive(town, c, ["town-2020/zg/jiaoyu"], "学校已并入县中心校")
    assert "town-2020/zg/jiaoyu" in uids(town)  # listed (not hidden like withdrawn)
    assert uids(town, statuses=("waived",)) == ["town-2020/zg/jiaoyu"]
    after = compute_weekly(town, today=TODAY, plan="town-2020", lang="en").totals
    assert (after.tasks, after.due_to_date, after.waived) == (before.tasks - 1, 0, 1)
    t = get_task(town, "town-2020/zg/jiaoyu")
    assert not t.is_overdue(date(2020, 5, 1).isoformat())
    actions.reopen(town, c, ["town-2020/zg/jiaoyu"])
    assert get_task(town, "town-2020/zg/jiaoyu").status == "doing"
    done_trend = compute_weekly(town, today=TODAY, plan="town-2020", lang="en").chart
    assert all(done == 0 for _, _, done in done_trend)  # a reopen from waived undoes no done


def test_expected_follows_a_postponed_deadline(town: Any, c: Context) -> None:
    ref = "town-2020/zg/gongyi/v2"
    at_due = replace(get_task(town, ref)).expected(date(2020, 4, 30))
    assert at_due == 10
    actions.postpone(town, c, ref, "2020-05-29", "汛期")
    moved = get_task(town, ref).expected(date(2020, 4, 30))
    assert moved is not None and moved < 10


def test_stored_working_days_count_as_the_plans_calendar(town: Any) -> None:
    """A load stores the working days of the years the plan spans; counting them reads those
    (no holidays data), and a year outside them falls back to the plan's calendar."""
    from datetime import timedelta

    from tracker.plan.calendar import WorkCalendar
    from tracker.store.calendars import PlanWorkdays

    plan = read_plan(PLAN).plan
    cal = WorkCalendar.for_plan(plan)
    (flags,) = town.conn.execute("SELECT workday_flags FROM plans").fetchone()
    assert sorted(json.loads(flags)) == ["2019", "2020", "2021"]
    days = PlanWorkdays(town, "town-2020")
    for start, length in [(date(2019, 12, 20), 30), (date(2020, 9, 28), 20), (date(2021, 12, 1),
                                                                             60)]:  # fmt: skip
        end = start + timedelta(days=length)
        assert days.count_workdays(start, end) == cal.count_workdays(start, end)
    assert (
        PlanWorkdays(town, "no-such-plan").count_workdays(date(2020, 1, 1), date(2020, 1, 7)) == 7
    )
