"""Reload safety: random plan edits between loads, random progress in between.

A model plan (units, campaigns, tasks with owners, fan-out and recurrence) is edited at random
(titles renamed, windows moved, units, tasks and campaigns added and removed, recurrence
changed) and reloaded; between loads staff record random progress. After every load:

- an instance still in the plan keeps its whole state (status, progress, postponed deadline,
  done_at, blocked reason), and one that comes back after being withdrawn gets its status back;
- an instance gone from the plan that anyone touched is ``withdrawn`` with its previous status
  kept, never deleted; one nobody touched is removed;
- the history only grows: every earlier event row is still there, unchanged.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_helpers import COUNTS

from tracker.context import Context
from tracker.errors import TrackerError
from tracker.plan import read_plan
from tracker.store import actions
from tracker.store.db import fetch_dicts, open_db
from tracker.store.load import load_expansion

YEAR_START = date(2020, 1, 1)
STATE = ("status", "progress", "due", "postponed", "done_at", "blocked_reason")


@dataclass
class Task:
    key: str
    title: str
    owners: list[str]  # one: owner; several (or a fan-out flag): each
    fanout: bool
    every: str | None = None
    target: int | None = None


@dataclass
class Camp:
    key: str
    start: int  # days after YEAR_START
    length: int
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Spec:
    units: list[str]
    camps: list[Camp]
    serial: int = 0

    def fresh(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    def toml(self) -> str:
        out = ['[plan]\nid = "rl"\ntitle = "重载"\nyear = 2020\ncalendar = "weekends"\n']
        out += [f'[units.{u}]\nname = "单位{u}"\n' for u in self.units]
        for c in self.camps:
            start = YEAR_START + timedelta(days=c.start)
            end = start + timedelta(days=c.length)
            out.append(f'[[campaign]]\nkey = "{c.key}"\nname = "活动{c.key}"\n')
            out.append(f"start = {start.isoformat()}\nend = {end.isoformat()}\n")
            for t in c.tasks:
                out.append(f'[[campaign.task]]\nkey = "{t.key}"\ntitle = "{t.title}"\n')
                if t.fanout:
                    out.append("each = [" + ", ".join(f'"{u}"' for u in t.owners) + "]\n")
                else:
                    out.append(f'owner = "{t.owners[0]}"\n')
                if t.every:
                    out.append(f'every = "{t.every}"\n')
                if t.target:
                    out.append(f"target = {t.target}\n")
        return "\n".join(out)


units_st = st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=4, unique=True)


def new_task(data: st.DataObject, spec: Spec) -> Task:
    fanout = data.draw(st.booleans())
    owners = data.draw(st.lists(st.sampled_from(spec.units), min_size=1, unique=True))
    every = data.draw(st.sampled_from([None, None, "week", "month"]))
    target = data.draw(st.sampled_from([None, 10, 100]))
    return Task(spec.fresh("t"), data.draw(st.sampled_from(["甲", "乙", "丙"])), owners, fanout,
                every, target)  # fmt: skip


def new_camp(data: st.DataObject, spec: Spec) -> Camp:
    camp = Camp(spec.fresh("c"), data.draw(st.integers(0, 300)), data.draw(st.integers(0, 60)))
    camp.tasks = [new_task(data, spec) for _ in range(data.draw(st.integers(1, 3)))]
    return camp


def edit(data: st.DataObject, spec: Spec) -> str:
    """One random edit of ``spec``; returns its name."""
    tasks = [(c, t) for c in spec.camps for t in c.tasks]
    op = data.draw(
        st.sampled_from(["rename", "move", "window", "add_unit", "drop_unit", "add_task",
                         "drop_task", "add_camp", "drop_camp", "recur", "owners", "target"])
    )  # fmt: skip
    if op == "rename" and tasks:
        data.draw(st.sampled_from(tasks))[1].title += data.draw(st.sampled_from(["！", "（改）"]))
    elif op == "move" and spec.camps:
        c = data.draw(st.sampled_from(spec.camps))
        c.start = max(0, min(300, c.start + data.draw(st.integers(-40, 40))))
    elif op == "window" and spec.camps:
        c = data.draw(st.sampled_from(spec.camps))
        c.length = max(0, c.length + data.draw(st.integers(-30, 30)))
    elif op == "add_unit":
        spec.units.append(spec.fresh("u"))
    elif op == "drop_unit" and len(spec.units) > 1:
        gone = data.draw(st.sampled_from(spec.units))
        spec.units.remove(gone)
        for c in spec.camps:
            for t in c.tasks:
                t.owners = [u for u in t.owners if u != gone] or [spec.units[0]]
    elif op == "add_task" and spec.camps:
        data.draw(st.sampled_from(spec.camps)).tasks.append(new_task(data, spec))
    elif op == "drop_task" and tasks:
        c, t = data.draw(st.sampled_from(tasks))
        if len(c.tasks) > 1:
            c.tasks.remove(t)
    elif op == "add_camp":
        spec.camps.append(new_camp(data, spec))
    elif op == "drop_camp" and len(spec.camps) > 1:
        spec.camps.remove(data.draw(st.sampled_from(spec.camps)))
    elif op == "recur" and tasks:
        t = data.draw(st.sampled_from(tasks))[1]
        t.every = data.draw(st.sampled_from([None, "week", "month"]))
    elif op == "owners" and tasks:
        t = data.draw(st.sampled_from(tasks))[1]
        t.owners = data.draw(st.lists(st.sampled_from(spec.units), min_size=1, unique=True))
    elif op == "target" and tasks:
        t = data.draw(st.sampled_from(tasks))[1]
        t.target = data.draw(st.sampled_from([None, 10, 100]))
    return op


def work(data: st.DataObject, db: Any, ctx: Context) -> None:
    """Random staff actions on random visible tasks (refusals are fine: they change nothing)."""
    rows = fetch_dicts(db, "SELECT uid, due FROM tasks WHERE status != 'withdrawn'")
    if not rows:
        return
    for _ in range(data.draw(st.integers(0, 6))):
        row = data.draw(st.sampled_from(rows))
        uid = row["uid"]
        act = data.draw(
            st.sampled_from(["start", "done", "verify", "reopen", "block", "progress",
                             "postpone", "note", "undo"])
        )  # fmt: skip
        try:
            if act in ("start", "done", "verify", "reopen"):
                getattr(actions, act)(db, ctx, [uid])
            elif act == "block":
                actions.block(db, ctx, [uid], "缺资金")
            elif act == "progress":
                actions.progress(db, ctx, uid, data.draw(st.sampled_from(["3", "+4", "200"])))
            elif act == "postpone":
                due = date.fromisoformat(row["due"]) + timedelta(days=data.draw(st.integers(1, 30)))
                actions.postpone(db, ctx, uid, due, "等上级文件")
            elif act == "note":
                actions.note(db, ctx, uid, "进展说明")
            else:
                actions.undo(db, ctx)
        except TrackerError:
            pass


def snapshot(db: Any) -> dict[str, dict[str, Any]]:
    rows = fetch_dicts(db, "SELECT * FROM tasks WHERE plan = 'rl'")
    return {r["uid"]: r for r in rows}


def events(db: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db.conn.execute("SELECT * FROM events ORDER BY id")]


def check_reload(before: dict[str, Any], after: dict[str, Any], planned: set[str]) -> None:
    for uid, old in before.items():
        if uid in planned:
            new = after[uid]
            want = old["withdrawn_status"] if old["status"] == "withdrawn" else old["status"]
            assert new["status"] == want, (uid, old["status"], new["status"])
            for k in ("progress", "postponed", "done_at", "blocked_reason", "touched"):
                assert new[k] == old[k], (uid, k, old[k], new[k])
            if old["postponed"]:
                assert new["due"] == old["due"], uid  # a postponed deadline survives
            assert new["id"] == old["id"]
        elif old["touched"]:
            new = after.get(uid)
            assert new is not None, f"touched {uid} was deleted"
            assert new["status"] == "withdrawn", uid
            kept = old["withdrawn_status"] if old["status"] == "withdrawn" else old["status"]
            assert new["withdrawn_status"] == kept, uid
            for k in ("progress", "due", "postponed", "done_at", "blocked_reason"):
                assert new[k] == old[k], (uid, k)
        else:
            assert uid not in after, f"untouched {uid} gone from the plan was kept"
    for uid in planned - before.keys():
        assert after[uid]["status"] == "todo" and after[uid]["progress"] is None
    visible = {u for u, r in after.items() if r["status"] != "withdrawn"}
    assert visible == planned


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), units=units_st)
def test_random_edits_and_progress_never_lose_a_tick(data: st.DataObject, units: list[str]) -> None:
    COUNTS["reload_examples"] += 1
    spec = Spec(units=list(units), camps=[])
    spec.camps.append(new_camp(data, spec))
    with tempfile.TemporaryDirectory() as tmp:
        path, dbfile = Path(tmp) / "plan.toml", Path(tmp) / "t.db"
        db = open_db(dbfile)
        ctx = Context(db_path=dbfile, user="staff", lang="en")
        ctx.today = date(2020, 6, 1)
        for step in range(data.draw(st.integers(2, 7))):
            if step:
                for _ in range(data.draw(st.integers(1, 3))):
                    edit(data, spec)
            path.write_text(spec.toml(), encoding="utf-8")
            expansion = read_plan(path)
            planned = {i.uid for i in expansion.instances}
            before, history = snapshot(db), events(db)
            load_expansion(db, expansion, ctx)
            COUNTS["reloads"] += 1
            after = snapshot(db)
            check_reload(before, after, planned)
            assert events(db)[: len(history)] == history  # append-only
            touched = {r[0] for r in db.conn.execute("SELECT DISTINCT task_id FROM events")}
            stored = {r["id"] for r in after.values()}
            assert touched <= stored, "a task with history was deleted"
            for r in after.values():  # each task's last event holds its current state
                last = db.conn.execute(
                    "SELECT after FROM events WHERE task_id = ? ORDER BY id DESC LIMIT 1",
                    (r["id"],),
                ).fetchone()
                if last is not None:
                    assert json.loads(last[0])["status"] == r["status"], r["uid"]
            work(data, db, ctx)
        db.conn.close()
