"""The plan → store handoff: rows made before the write transaction, by column name."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import tracker.store.load as load_module
from tracker.context import Context
from tracker.plan import read_plan_lazy
from tracker.plan.model import LazyExpansion
from tracker.store.db import open_db
from tracker.store.diff import MadeRows
from tracker.store.load import load_expansion
from tracker.store.rows import INSERT_TASK, PLAN_COLUMNS, TaskRow, task_row

PLAN = """
[plan]
id = "hp"
title = "交接"
year = 2020
calendar = "weekends"

[units.a]
name = "甲村"
[units.b]
name = "乙村"

[[campaign]]
key = "spring"
name = "春季"
start = 2020-03-01
end = 2020-04-30

[[campaign.task]]
key = "weekly"
title = "{unit}周报（{period}）"
each = ["a", "b"]
every = "week"
on = "fri"

[[campaign.task]]
key = "audit"
title = "县级验收"
owner = "a"
due = 2020-04-30
"""


def lazy(tmp_path: Path, text: str, db: Any = None) -> LazyExpansion:
    """The plan read lazily; with ``db``, its blocks fail a test if made in a transaction."""
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    exp = read_plan_lazy(path)
    if db is not None:

        def guarded(make: Any) -> Any:
            def make_outside(moved: Any) -> Any:
                assert not db.conn.in_transaction, "plan code ran inside the store's transaction"
                return make(moved)

            return make_outside

        exp.blocks = tuple(replace(b, make=guarded(b.make)) for b in exp.blocks)
    return exp


def test_task_rows_name_the_tasks_columns(db: Any) -> None:
    columns = {r[1] for r in db.conn.execute("PRAGMA table_info(tasks)")}
    assert set(TaskRow._fields) <= columns
    assert PLAN_COLUMNS == (
        "plan", "campaign", "task_key", "title", "owner", "support", "leader", "start",
        "planned_due", "period", "target", "unit", "priority", "tags", "notes", "after",
        "problem", "responsible", "measure", "milestones",  # plan format v2
    )  # fmt: skip
    assert INSERT_TASK.startswith(f"INSERT INTO tasks ({', '.join(TaskRow._fields)})")


def test_a_row_is_its_instance_by_name(tmp_path: Path) -> None:
    inst = lazy(tmp_path, PLAN).blocks[0].instances()[1]
    row = task_row(inst, "2020-04-20T09:00:00")
    assert (row.uid, row.owner, row.planned_due, row.due) == (
        "hp/spring/weekly/a/2020-W11",
        "a",
        "2020-03-13",
        "2020-03-13",
    )
    assert (row.title, row.support, row.position) == ("甲村周报（2020-W11）", "[]", 1)


def test_plan_code_runs_before_the_write_transaction(tmp_path: Path, db: Any, ctx: Context) -> None:
    assert load_expansion(db, lazy(tmp_path, PLAN, db), ctx).added == 17
    edited = PLAN.replace('title = "县级验收"', 'title = "县级复核验收"')
    s = load_expansion(db, lazy(tmp_path, edited, db), ctx)
    assert (s.added, s.changed, s.unchanged) == (0, 1, 16)
    s = load_expansion(db, lazy(tmp_path, edited, db), ctx, dry_run=True)
    assert (s.added, s.changed, s.unchanged) == (0, 0, 17)


def test_a_load_that_lost_the_race_makes_what_it_lacks(
    tmp_path: Path, db: Any, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another load stores the plan between this load's reading and its transaction: the
    templates it found nothing to compare for are made then, outside the transaction."""
    load_expansion(db, lazy(tmp_path, PLAN), ctx)
    other = open_db(db.conn.execute("PRAGMA database_list").fetchone()[2])
    edited = PLAN.replace('title = "县级验收"', 'title = "县级复核验收"')
    real = load_module.make_rows

    def then_another_load(conn: sqlite3.Connection, exp: Any, now: str) -> MadeRows:
        made = real(conn, exp, now)  # decided against the stored plan: only "audit" to make
        assert set(made.by_template) == {("spring", "audit")}
        monkeypatch.setattr(load_module, "make_rows", real)  # the other load: as it is
        load_expansion(other, lazy(tmp_path, PLAN.replace("{period}", "第{period}")), ctx)
        return made

    monkeypatch.setattr(load_module, "make_rows", then_another_load)
    s = load_expansion(db, lazy(tmp_path, edited, db), ctx)
    assert (s.added, s.changed, s.unchanged, s.removed) == (0, 17, 0, 0)  # its titles undone
    titles = {r[0] for r in db.conn.execute("SELECT title FROM tasks")}
    assert "县级复核验收" in titles and not any("第" in t for t in titles)


def test_a_bulk_load_recreates_the_indexes_from_their_own_sql(
    db: Any, ctx: Context, sample: Any
) -> None:
    q = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks'"
    before = sorted(db.conn.execute(q).fetchall(), key=str)
    base = sample.instances()[0]
    many = [replace(base, uid=f"{base.uid}/{n}", position=n) for n in range(20_500)]
    assert load_expansion(db, sample.expansion(many), ctx).added == 20_500
    assert sorted(db.conn.execute(q).fetchall(), key=str) == before


def test_a_row_holds_every_field_in_its_place(tmp_path: Path) -> None:
    """``task_row`` builds the tuple positionally: each value is under its own column name."""
    made = lazy(tmp_path, PLAN).blocks[0].instances()[1]
    inst = replace(
        made, target=3, problem="p1", responsible="张三", measure="sum",
        milestones=((made.start, 50.0),), notes="备注", leader="李四",
    )  # fmt: skip
    row = task_row(inst, "2020-04-20T09:00:00")
    expected = TaskRow(
        uid=inst.uid, plan="hp", campaign="spring", task_key="weekly", title="甲村周报（2020-W11）",
        owner="a", support="[]", leader="李四", start=inst.start.isoformat(),
        planned_due="2020-03-13", period="2020-W11", target=3.0, unit=None, priority="normal",
        tags="[]", notes="备注", after="[]", problem="p1", responsible="张三", measure="sum",
        milestones=f'[["{inst.start.isoformat()}", 50.0]]', due="2020-03-13", position=1,
        fingerprint=row.fingerprint, created_at="2020-04-20T09:00:00",
        updated_at="2020-04-20T09:00:00",
    )  # fmt: skip
    assert type(row) is TaskRow and len(row) == len(TaskRow._fields)
    assert row._asdict() == expected._asdict()
    assert isinstance(row.target, float) and len(row.fingerprint) == 12


def test_a_bulk_load_keeps_its_partial_indexes_up(db: Any, ctx: Context, sample: Any) -> None:
    """Partial indexes are not dropped for a bulk insert (the full ones are rebuilt), and they
    hold exactly the rows they select afterwards."""
    q = "SELECT name, rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks'"
    before = dict(db.conn.execute(q).fetchall())
    base = sample.instances()[0]
    many = [
        replace(
            base, uid=f"{base.uid}/{n}", position=n, target=n if n % 7 == 0 else None,
            problem="p1" if n % 11 == 0 else None,
        )
        for n in range(20_500)
    ]  # fmt: skip
    assert load_expansion(db, sample.expansion(many), ctx).added == 20_500
    after = dict(db.conn.execute(q).fetchall())
    partial = {"tasks_targets", "tasks_adhoc", "tasks_problem"}
    assert {k: after[k] for k in partial} == {k: before[k] for k in partial}
    assert after["tasks_owner_due"] != before["tasks_owner_due"]  # rebuilt after the insert
    counts = db.conn.execute(
        "SELECT (SELECT COUNT(*) FROM tasks INDEXED BY tasks_targets"
        " WHERE target IS NOT NULL OR progress IS NOT NULL),"
        " (SELECT COUNT(*) FROM tasks INDEXED BY tasks_problem"
        " WHERE plan = ? AND problem IS NOT NULL)",
        (base.plan,),
    ).fetchone()
    assert counts == (len(range(0, 20_500, 7)), len(range(0, 20_500, 11)))
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
