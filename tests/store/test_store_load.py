"""Load and reload by uid (plan-format.md, Identity)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from tracker.context import Context
from tracker.errors import BadInput
from tracker.store import actions
from tracker.store.load import load_expansion

P = "xx-county-2020"


def rows(db: Any) -> dict[str, dict[str, Any]]:
    cur = db.conn.execute("SELECT * FROM tasks")
    cols = [d[0] for d in cur.description]
    return {r[1]: dict(zip(cols, r, strict=True)) for r in cur.fetchall()}


def edit(sample: Any, fn: Any) -> Any:
    """The sample expansion with ``fn`` applied to its instance list."""
    return sample.expansion(fn(sample.instances()))


def test_first_load(db: Any, ctx: Context, sample: Any) -> None:
    s = load_expansion(db, sample.expansion(), ctx)
    assert (s.added, s.changed, s.removed, s.withdrawn, s.restored) == (9, 0, 0, 0, 0)
    r = rows(db)
    assert [r[u]["id"] for u in sorted(r, key=lambda u: r[u]["position"])] == list(range(1, 10))
    t = r[f"{P}/spring/xunshi"]
    assert t["status"] == "todo" and t["due"] == t["planned_due"] == "2020-04-30"
    assert json.loads(t["support"]) == ["fpb"] and json.loads(t["tags"]) == ["整改"]
    assert t["created_at"].startswith("2020-04-20T")
    assert db.conn.execute("SELECT title FROM plans").fetchone()[0].startswith("××县")
    assert db.conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 6
    assert db.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_reload_without_change_writes_nothing(loaded: Any, ctx: Context, sample: Any) -> None:
    before = rows(loaded)
    s = load_expansion(loaded, sample.expansion(), ctx)
    assert (s.added, s.changed, s.removed, s.withdrawn, s.unchanged) == (0, 0, 0, 0, 9)
    assert rows(loaded) == before


def test_rename_title_keeps_state(loaded: Any, ctx: Context, sample: Any) -> None:
    actions.progress(loaded, ctx, "4", "30", note="first villages")
    exp = edit(
        sample,
        lambda items: [
            replace(i, title="完成人居环境整治（修订）") if i.task_key == "renju" else i
            for i in items
        ],
    )
    s = load_expansion(loaded, exp, ctx)
    assert (s.added, s.changed, s.removed, s.withdrawn) == (0, 1, 0, 0)
    t = rows(loaded)[f"{P}/spring/renju"]
    assert t["id"] == 4 and t["title"] == "完成人居环境整治（修订）"
    assert (t["status"], t["progress"]) == ("doing", 30.0)
    assert len(actions.history(loaded, "4")) == 1


def test_delete_untouched_removes_and_touched_withdraws(
    loaded: Any, ctx: Context, sample: Any
) -> None:
    actions.done(loaded, ctx, ["2"])
    actions.note(loaded, ctx, "3", "just a note")  # a note touches too
    exp = edit(sample, lambda items: [i for i in items if i.task_key not in ("qingjie", "audit")])
    s = load_expansion(loaded, exp, ctx)
    assert (s.added, s.changed, s.removed, s.withdrawn) == (0, 0, 1, 2)
    assert s.withdrawn_uids == [f"{P}/spring/qingjie/town-a", f"{P}/spring/qingjie/town-b"]
    assert s.removed_uids == [f"{P}/summer/audit"]
    r = rows(loaded)
    assert f"{P}/summer/audit" not in r
    a = r[f"{P}/spring/qingjie/town-a"]
    assert (a["status"], a["withdrawn_status"]) == ("withdrawn", "done")
    ev = actions.history(loaded, "2")[0]
    assert ev["action"] == "withdraw" and ev["after"]["status"] == "withdrawn"
    assert ev["before"]["status"] == "done"
    # reloading the same plan again changes nothing more
    s2 = load_expansion(loaded, exp, ctx)
    assert (s2.removed, s2.withdrawn, s2.restored) == (0, 0, 0)


def test_ids_are_never_reused(loaded: Any, ctx: Context, sample: Any) -> None:
    load_expansion(loaded, edit(sample, lambda items: items[:-1]), ctx)  # id 9 removed
    s = load_expansion(loaded, sample.expansion(), ctx)  # comes back as a new row
    assert s.added == 1
    assert rows(loaded)[f"{P}/summer/audit"]["id"] == 10


def test_withdrawn_comes_back_restored(loaded: Any, ctx: Context, sample: Any) -> None:
    actions.start(loaded, ctx, ["1"])
    load_expansion(loaded, edit(sample, lambda items: items[1:]), ctx)
    assert rows(loaded)[f"{P}/spring/xunshi"]["status"] == "withdrawn"
    s = load_expansion(loaded, sample.expansion(), ctx)
    assert (s.restored, s.added, s.changed) == (1, 0, 0)
    assert s.restored_uids == [f"{P}/spring/xunshi"]
    t = rows(loaded)[f"{P}/spring/xunshi"]
    assert (t["id"], t["status"], t["withdrawn_status"]) == (1, "doing", None)
    assert actions.history(loaded, "1")[0]["action"] == "restore"


def test_dry_run_writes_nothing(loaded: Any, ctx: Context, sample: Any) -> None:
    actions.done(loaded, ctx, ["9"])
    before = rows(loaded)
    events = loaded.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    exp = edit(sample, lambda items: [replace(i, title=i.title + "!") for i in items[:5]])
    s = load_expansion(loaded, exp, ctx, dry_run=True)
    assert (s.added, s.changed, s.removed, s.withdrawn, s.dry_run) == (0, 5, 3, 1, True)
    assert rows(loaded) == before
    assert loaded.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == events
    assert not loaded.conn.in_transaction
    real = load_expansion(loaded, exp, ctx)
    assert (real.added, real.changed, real.removed, real.withdrawn) == (0, 5, 3, 1)


def test_postponed_due_survives_reload(loaded: Any, ctx: Context, sample: Any) -> None:
    actions.postpone(loaded, ctx, "2", "2020-05-20", "rain")
    moved = date(2020, 4, 28)
    exp = edit(
        sample,
        lambda items: [replace(i, due=moved) if i.campaign == "spring" and not i.period else i
                       for i in items],
    )  # fmt: skip
    load_expansion(loaded, exp, ctx)
    r = rows(loaded)
    a = r[f"{P}/spring/qingjie/town-a"]
    assert (a["due"], a["planned_due"], a["postponed"]) == ("2020-05-20", "2020-04-28", 1)
    b = r[f"{P}/spring/qingjie/town-b"]  # not postponed: follows the plan
    assert (b["due"], b["planned_due"]) == ("2020-04-28", "2020-04-28")


def test_moving_instances_is_not_a_change(loaded: Any, ctx: Context, sample: Any) -> None:
    exp = edit(sample, lambda items: [replace(i, position=99 - i.position) for i in items])
    s = load_expansion(loaded, exp, ctx)
    assert (s.changed, s.unchanged) == (0, 9)
    assert rows(loaded)[f"{P}/spring/xunshi"]["position"] == 99
    assert load_expansion(loaded, exp, ctx).unchanged == 9


def test_second_plan_loads_beside(loaded: Any, ctx: Context, sample: Any) -> None:
    s = load_expansion(loaded, sample.other_plan(), ctx)
    assert (s.added, s.removed) == (2, 0)
    assert len(rows(loaded)) == 11
    s = load_expansion(loaded, sample.expansion(), ctx)  # the first plan is untouched by it
    assert (s.added, s.removed, s.unchanged) == (0, 0, 9)
    plans = [r[0] for r in loaded.conn.execute("SELECT id FROM plans ORDER BY id")]
    assert plans == [P, "yy-town-2020"]


def test_reference_data_updated_and_pruned(loaded: Any, ctx: Context, sample: Any) -> None:
    actions.note(loaded, ctx, "8", "keep me")  # owned by cun-1, in campaign summer
    exp = sample.expansion([i for i in sample.instances() if i.campaign == "spring"])
    plan = replace(
        exp.plan,
        units={k: u for k, u in exp.plan.units.items() if k not in ("cun-1", "jiwei")},
        campaigns=(replace(exp.plan.campaigns[0], name="春季攻势（调整）"),),
    )
    exp = replace(exp, plan=plan, instances=[i for i in exp.instances if i.owner != "jiwei"])
    load_expansion(loaded, exp, ctx)
    units = {r[0] for r in loaded.conn.execute("SELECT key FROM units")}
    assert "jiwei" not in units  # gone and nothing refers to it
    assert "cun-1" in units  # the withdrawn task 8 still names it
    names = dict(loaded.conn.execute("SELECT key, name FROM campaigns").fetchall())
    assert names == {"spring": "春季攻势（调整）", "summer": "夏季提升"}


def test_duplicate_uid_is_refused_and_nothing_written(db: Any, ctx: Context, sample: Any) -> None:
    items = sample.instances()
    exp = sample.expansion([*items, items[0]])
    with pytest.raises(BadInput):
        load_expansion(db, exp, ctx)
    assert db.conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == 0
    assert db.conn.execute("SELECT COUNT(*) FROM plans").fetchone()[0] == 0


def test_bulk_first_load_keeps_indexes(db: Any, ctx: Context, sample: Any) -> None:
    base = sample.instances()[0]
    many = [replace(base, uid=f"{base.uid}/{n}", position=n) for n in range(20_500)]
    s = load_expansion(db, sample.expansion(many), ctx)
    assert s.added == 20_500
    names = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"tasks_due", "tasks_owner_due", "tasks_status_due", "tasks_campaign"} <= names
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
