"""The weekly report's figures against hand-computed expectations (tests/report/conftest.py).

The scripted season, states at the end of each week (d = as-of day):

W15 (d = 04-12): 1 verified (done 03-18, due 03-20), 2 done 04-02 (due 04-03), 3 doing (due
04-03, overdue), 4 doing 57/119, 5 done 03-30 (due 03-27: late), 6 done 04-09 (due 04-10),
7 todo due 04-17 (postponed from 04-08), 8 todo due 05-15.
W16 (d = 04-19): 3 done 04-14 (late), 5 reopened (doing, overdue), 7 now overdue.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import Result

from tests.report.conftest import SMALL, run_ok

Cli = Callable[..., Result]

CLI_KEYS = {
    "id", "uid", "plan", "campaign", "campaign_name", "task_key", "title", "owner",
    "owner_name", "support", "leader", "start", "due", "period", "status", "overdue",
    "target", "progress", "unit", "priority", "tags", "done_at", "planned_due", "postponed",
}  # fmt: skip


def weekly(cli: Cli, today: str, week: str | None = None, *extra: str) -> dict[str, Any]:
    args = ["--today", today, "report", "weekly", "--format", "json", *extra]
    if week:
        args += ["--week", week]
    data: dict[str, Any] = json.loads(run_ok(cli, *args).stdout)
    return data


def unit(data: dict[str, Any], key: str) -> dict[str, Any]:
    found = [u for u in data["units"] if u["key"] == key]
    assert len(found) == 1, key
    return found[0]


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [int(o["id"]) for o in items]


def test_w15_reconstructed_after_later_changes(season: Cli) -> None:
    data = weekly(season, "2020-04-20", "2020-W15")
    assert (data["plan"], data["week"], data["from"], data["to"], data["today"]) == (
        "small", "2020-W15", "2020-04-06", "2020-04-12", "2020-04-20",
    )  # fmt: skip
    t = data["totals"]
    keys = ("tasks", "due_to_date", "done", "verified", "overdue", "blocked")
    assert {k: t[k] for k in keys} == {
        "tasks": 8, "due_to_date": 5, "done": 4, "verified": 1, "overdue": 1, "blocked": 0,
    }  # fmt: skip
    assert t["completion_rate"] == pytest.approx(0.8)
    assert t["on_time_rate"] == pytest.approx(0.6)
    prev = data["previous"]  # W14: 1, 2, 5 done; 3 blocked and overdue
    assert (prev["due_to_date"], prev["done"], prev["overdue"], prev["blocked"]) == (4, 3, 1, 1)
    assert prev["completion_rate"] == pytest.approx(0.75)
    assert prev["on_time_rate"] == pytest.approx(0.5)

    spring, summer = data["campaigns"]
    assert spring["key"] == "spring" and spring["name"] == "春季攻势"
    keys = ("tasks", "due_to_date", "done", "overdue", "target", "progress")
    assert {k: spring[k] for k in keys} == {
        "tasks": 7, "due_to_date": 5, "done": 4, "overdue": 1, "target": 119, "progress": 57,
    }  # fmt: skip
    assert spring["completion_rate"] == pytest.approx(0.8)
    assert (summer["tasks"], summer["due_to_date"], summer["completion_rate"]) == (1, 0, None)

    assert ids(data["done_this_week"]) == [6]
    assert data["done_this_week"][0]["done_by"] == "alice"
    assert ids(data["overdue"]) == [3]
    assert data["overdue"][0]["days_overdue"] == 9
    assert data["overdue"][0]["status"] == "doing"  # as it was then, not done as now
    assert data["overdue"][0]["overdue"] is True
    assert ids(data["due_next_week"]) == [7]
    assert data["blocked"] == []
    assert ids(data["postponed"]) == [7]
    assert data["postponed"][0]["planned_due"] == "2020-04-08"
    assert data["postponed"][0]["postpone_reason"] == "雨季施工受阻"
    for key in ("done_this_week", "overdue", "due_next_week", "blocked"):
        for obj in data[key]:
            assert set(obj) >= CLI_KEYS


def test_w15_units_own_figures_ranked_with_a_full_tie(season: Cli) -> None:
    data = weekly(season, "2020-04-20", "2020-W15")
    expected = {  # key: (tasks, due_to_date, done, overdue, on_time_rate, rank)
        "fpb": (2, 1, 1, 0, 1.0, 1),
        "town-a": (1, 1, 1, 0, 1.0, 1),  # its own instance only, not its village cun-1's
        "county": (2, 2, 2, 0, 0.5, 3),  # the root: its own two 调度会, not everything
        "town-b": (2, 1, 0, 1, 0.0, 4),
        "cun-1": (1, 0, 0, 0, None, None),
    }
    got = {
        u["key"]: (
            u["tasks"],
            u["due_to_date"],
            u["done"],
            u["overdue"],
            u["on_time_rate"],
            u["rank"],
        )
        for u in data["units"]
    }
    assert got == pytest.approx(expected)
    assert [u["key"] for u in data["units"]] == ["fpb", "town-a", "county", "town-b", "cun-1"]
    for key in ("tasks", "due_to_date", "done", "overdue"):  # the units add up to the totals
        assert sum(u[key] for u in data["units"]) == data["totals"][key]
    # cli-v2.md: 红榜 rank <= 3 (fpb, town-a, county), 黑榜 rank from the worst end <= 3
    # (town-b 1, county 2, fpb and town-a 3): all but town-b are on both, so on neither
    assert data["red"] == []
    assert data["black"] == ["town-b"]


def test_w16_ties_broken_by_fewer_overdue(season: Cli) -> None:
    data = weekly(season, "2020-04-20", "2020-W16")
    t = data["totals"]
    assert (t["due_to_date"], t["done"], t["verified"], t["overdue"], t["blocked"]) == (
        6,
        4,
        1,
        2,
        0,
    )
    assert t["completion_rate"] == pytest.approx(4 / 6)
    assert t["on_time_rate"] == pytest.approx(0.5)
    assert data["previous"]["due_to_date"] == 5  # W15's figures
    ranks = {u["key"]: (u["on_time_rate"], u["overdue"], u["rank"]) for u in data["units"]}
    assert ranks == pytest.approx(
        {
            "fpb": (1.0, 0, 1),
            "town-a": (1.0, 0, 1),
            "county": (0.5, 1, 3),
            "town-b": (0.0, 0, 4),  # 0.0 like cun-1, but fewer overdue
            "cun-1": (0.0, 1, 5),
        }
    )
    assert data["black"] == ["cun-1", "town-b"]
    assert ids(data["done_this_week"]) == [3]
    assert data["done_this_week"][0]["done_by"] == "bob"
    assert ids(data["overdue"]) == [5, 7]  # oldest first
    assert [o["days_overdue"] for o in data["overdue"]] == [23, 2]
    assert data["due_next_week"] == []


def test_w16_subtree_figures_roll_up_the_parent_tree(season: Cli) -> None:
    data = weekly(season, "2020-04-20", "2020-W16")
    # own (tasks, due_to_date, done, overdue, on_time_rate) at 04-19: town-a (1, 1, 1, 0, 1.0)
    # and its village cun-1 (1, 1, 0, 1, 0.0: 7 due 04-17, todo); the county root adds its
    # own 调度会 (2, 2, 1, 1, 0.5) to fpb (2, 1, 1, 0, 1.0) and town-b (2, 1, 1, 0, 0.0).
    expected = {
        "county": (8, 6, 4, 2, 0.5),  # everything: the totals
        "fpb": (2, 1, 1, 0, 1.0),
        "town-a": (2, 2, 1, 1, 0.5),  # its own instance and cun-1's
        "cun-1": (1, 1, 0, 1, 0.0),
        "town-b": (2, 1, 1, 0, 0.0),
    }

    def figs(d: dict[str, Any]) -> tuple[Any, ...]:
        return (d["tasks"], d["due_to_date"], d["done"], d["overdue"], d["on_time_rate"])

    nodes = data["unit_tree"]
    assert [(n["key"], n["depth"]) for n in nodes] == [
        ("county", 0), ("fpb", 1), ("town-a", 1), ("cun-1", 2), ("town-b", 1),
    ]  # fmt: skip
    assert {n["key"]: figs(n["subtree"]) for n in nodes} == pytest.approx(expected)
    assert {u["key"]: figs(u["subtree"]) for u in data["units"]} == pytest.approx(expected)
    assert figs(unit(data, "town-a")) == pytest.approx((1, 1, 1, 0, 1.0))  # units: still own
    assert figs(data["totals"]) == pytest.approx(expected["county"])


def test_early_week_has_null_rates(season: Cli) -> None:
    data = weekly(season, "2020-04-20", "2020-W10")
    t = data["totals"]
    assert (t["tasks"], t["due_to_date"], t["done"], t["overdue"]) == (8, 0, 0, 0)
    assert t["completion_rate"] is None and t["on_time_rate"] is None
    assert all(u["rank"] is None for u in data["units"])
    assert data["red"] == [] and data["black"] == []


def test_past_week_is_the_same_whenever_it_is_run(season: Cli) -> None:
    then = weekly(season, "2020-04-12", "2020-W15")
    later = weekly(season, "2020-05-20", "2020-W15")
    assert then["today"] != later["today"]
    then.pop("today")
    later.pop("today")
    assert then == later
    again = run_ok(season, "--today", "2020-05-20", "report", "weekly", "--week", "2020-W15")
    once = run_ok(season, "--today", "2020-05-20", "report", "weekly", "--week", "2020-W15")
    assert again.stdout == once.stdout


def test_current_week_matches_list_json(season: Cli) -> None:
    data = weekly(season, "2020-04-16")  # W16, mid-week: as of today
    assert data["week"] == "2020-W16"
    assert data["totals"]["due_to_date"] == 5  # due on or before today, not Sunday: 7 is 04-17
    listed = json.loads(
        run_ok(season, "--today", "2020-04-16", "list", "--due", "overdue", "--json").stdout
    )
    assert ids(data["overdue"]) == ids(listed) == [5]
    for mine, theirs in zip(data["overdue"], listed, strict=True):
        assert {k: mine[k] for k in theirs} == theirs


def test_withdrawn_counts_nowhere_but_counted_before(season: Cli, tmp_path: Any) -> None:
    run_ok(season, "--today", "2020-04-21", "note", "8", "等待批复")
    v2 = tmp_path / "v2.toml"
    text = SMALL.read_text(encoding="utf-8")
    v2.write_text(text[: text.index('[[campaign]]\nkey = "summer"')], encoding="utf-8")
    run_ok(season, "--today", "2020-04-22", "load", str(v2))
    now = weekly(season, "2020-04-22")
    assert now["totals"]["tasks"] == 7
    assert [c["key"] for c in now["campaigns"]] == ["spring"] or now["campaigns"][1]["tasks"] == 0
    assert unit(now, "town-b")["tasks"] == 1
    before = weekly(season, "2020-04-22", "2020-W15")
    assert before["totals"]["tasks"] == 8  # it was not withdrawn yet


def test_several_plans_reported_together_or_one_by_plan(season: Cli, tmp_path: Any) -> None:
    other = tmp_path / "other.toml"
    other.write_text(
        SMALL.read_text(encoding="utf-8").replace('id = "small"', 'id = "other"'), encoding="utf-8"
    )
    run_ok(season, "--today", "2020-03-01", "load", str(other))
    both = weekly(season, "2020-04-20", "2020-W15")  # cli-v2.md: each plan, and the totals
    assert both["plan"] is None and both["plans"] == ["other", "small"]
    assert both["totals"]["done"] == 4 and both["totals"]["tasks"] == 16
    data = weekly(season, "2020-04-20", "2020-W15", "--plan", "small")
    assert data["plan"] == "small" and data["totals"]["done"] == 4
    assert weekly(season, "2020-04-20", "2020-W15", "--plan", "other")["totals"]["done"] == 0
    bad = season("report", "weekly", "--plan", "nope")
    assert bad.exit_code == 2 and "nope" in bad.stderr


@pytest.mark.parametrize("week", ["2020-W54", "2020-15", "last week", "2020-W00"])
def test_bad_week_is_bad_input(season: Cli, week: str) -> None:
    r = season("report", "weekly", "--week", week)
    assert r.exit_code == 2
    assert week in r.stderr
    assert "Traceback" not in r.output


def test_week_accepts_a_date_and_lowercase(season: Cli) -> None:
    assert weekly(season, "2020-04-20", "2020-04-08")["week"] == "2020-W15"
    assert weekly(season, "2020-04-20", "2020w15")["week"] == "2020-W15"


def test_no_database_and_no_plan(cli: Cli, db_path: Any) -> None:
    for args in (("report", "weekly"), ("export",)):
        r = cli(*args)
        assert r.exit_code == 2 and "no database" in r.stderr
        assert not db_path.exists()  # a report never creates a database
    from tracker.store.db import open_db

    open_db(db_path).conn.close()
    r = cli("report", "weekly")
    assert r.exit_code == 2 and "tracker load" in r.stderr


def test_chart_due_and_done_cumulative_per_week(season: Cli) -> None:
    w15 = weekly(season, "2020-04-20", "2020-W15")["chart"]
    assert [(c["week"], c["due"], c["done"]) for c in w15] == [
        ("2020-W10", 0, 0), ("2020-W11", 0, 0), ("2020-W12", 1, 1),
        ("2020-W13", 2, 1), ("2020-W14", 4, 3), ("2020-W15", 5, 4),
    ]  # fmt: skip
    w16 = weekly(season, "2020-04-20", "2020-W16")["chart"]
    # task 3 done on 04-14 (+1), task 5 reopened on 04-15 (-1); task 7 due 04-17
    assert (w16[-1]["week"], w16[-1]["due"], w16[-1]["done"]) == ("2020-W16", 6, 4)


def test_task_objects_are_the_stores(season: Cli, db_path: Any) -> None:
    """The report's fast task objects equal ``task_json``'s, key for key, in order."""
    from datetime import date

    from tracker.report.taskobj import TaskObjects
    from tracker.store.db import open_db
    from tracker.store.query import SELECT, fetch_tasks, task_json

    db = open_db(db_path)
    objs = TaskObjects(db, date(2020, 4, 12))
    rows = fetch_tasks(db, SELECT + " ORDER BY t.id", [])
    bare = fetch_tasks(db, SELECT + " ORDER BY t.id", [])
    for t in bare:  # without the joined names: the report fills them in from its cache
        t.campaign_name = t.owner_name = None
    made = [objs.make(t) for t in bare]
    assert len(made) == len(rows) > 0
    for mine, row in zip(made, rows, strict=True):
        assert list(mine.items()) == list(task_json(row, date(2020, 4, 12), db).items())


def test_limit_cuts_human_lists_only(season: Cli) -> None:
    out = run_ok(season, "--today", "2020-04-20", "report", "weekly", "--week", "2020-W16",
                 "--limit", "1").stdout  # fmt: skip
    assert "… and 1 more not listed" in out  # two overdue, one shown
    assert len(weekly(season, "2020-04-20", "2020-W16")["overdue"]) == 2


def test_plan_lang_is_the_default_language(season: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import sqlite3

    from tests.conftest import TRACKER_VARS

    assert "TRACKER_LANG" in TRACKER_VARS
    monkeypatch.delenv("TRACKER_LANG")
    db = sqlite3.connect(os.environ["TRACKER_DB"])
    db.execute("UPDATE plans SET lang = 'zh'")
    db.commit()
    db.close()
    out = run_ok(season, "--today", "2020-04-20", "report", "weekly").stdout
    assert "周报" in out.splitlines()[0]
    out = run_ok(season, "--today", "2020-04-20", "--lang", "en", "report", "weekly").stdout
    assert "weekly report" in out.splitlines()[0]


def test_report_passes_read_covering_indexes(season: Cli, db_path: Any) -> None:
    """The whole-plan passes read an index only (not every row of the table): the grouped
    figures through ``tasks_report``, the targets through the partial ``tasks_targets``."""
    from tracker.store.db import open_db
    from tracker.store.figures import GROUP_SQL, TARGET_SQL

    db = open_db(db_path)
    args = {"plan": "spec-2020", "d": "2020-04-12", "dp": "2020-04-05"}
    for sql, index in ((GROUP_SQL, "tasks_report"), (TARGET_SQL, "tasks_targets")):
        text = sql.format(src="tasks t", s="t", where="t.plan = :plan")
        plan = " ".join(r[3] for r in db.conn.execute("EXPLAIN QUERY PLAN " + text, args))
        assert f"COVERING INDEX {index}" in plan, plan
