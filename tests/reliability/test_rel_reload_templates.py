"""Template-skipping reloads give exactly what comparing every row gives.

The random plans and edits of ``test_rel_reload``, plus a group that tasks fan out over, the
plan's ``[calendar]`` holidays and its ``due_shift`` (edits that change instances without
touching a task's text) and returns to an earlier plan (restores), are loaded into two
databases: lazily through template fingerprints (as ``tracker load`` does) and as a plain
instance list compared row by row (the loader before ``task_templates``). The same random staff
work goes to both. After every load the summaries, every row (plan fields, state, positions,
withdrawn status) and the event log must agree.
"""

from __future__ import annotations

import copy
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_helpers import COUNTS
from test_rel_reload import YEAR_START, Spec, edit, new_camp, units_st

from tracker.context import Context
from tracker.errors import TrackerError
from tracker.plan import read_plan, read_plan_lazy
from tracker.plan.model import Expansion
from tracker.store import actions
from tracker.store.db import fetch_dicts, open_db
from tracker.store.load import load_expansion


class Clock(Context):
    """A clock that stands still: both databases get the same timestamps."""

    def now(self) -> datetime:
        return datetime(2020, 6, 1, 9, 30)


@dataclass
class CalSpec(Spec):
    group: list[str] = field(default_factory=list)
    grouped: set[str] = field(default_factory=set)  # task keys fanning out over the group
    holidays: set[int] = field(default_factory=set)  # days after YEAR_START
    shift: str = "before"

    def toml(self) -> str:
        self.group = [u for u in self.group if u in self.units] or [self.units[0]]
        head, *tasks = super().toml().split("[[campaign.task]]")
        head = head.replace("\ncalendar = ", f'\ndue_shift = "{self.shift}"\ncalendar = ')
        for i, task in enumerate(tasks):
            key = re.search(r'^key = "(\w+)"$', task, re.M)
            if key and key[1] in self.grouped:
                tasks[i] = re.sub(r"^(owner|each) = .*$", 'each = "g"', task, flags=re.M)
        text = "[[campaign.task]]".join([head, *tasks])
        members = ", ".join(f'"{u}"' for u in self.group)
        days = ", ".join(
            (YEAR_START + timedelta(days=d)).isoformat() for d in sorted(self.holidays)
        )
        return text + f"\n[groups]\ng = [{members}]\n\n[calendar]\nholidays = [{days}]\n"


def edit_more(data: st.DataObject, spec: CalSpec) -> str:
    """An edit of ``test_rel_reload``, or one that no task's text shows."""
    op = data.draw(st.sampled_from(["plain", "plain", "group", "grouped", "holiday", "shift"]))
    tasks = [t for c in spec.camps for t in c.tasks]
    if op == "plain":
        return edit(data, spec)
    if op == "group":
        spec.group = data.draw(st.lists(st.sampled_from(spec.units), min_size=1, unique=True))
    elif op == "grouped" and tasks:
        spec.grouped ^= {data.draw(st.sampled_from(tasks)).key}
    elif op == "holiday":
        spec.holidays ^= {data.draw(st.integers(0, 360))}
    elif op == "shift":
        spec.shift = data.draw(st.sampled_from(["before", "after", "keep"]))
    return op


def work_both(data: st.DataObject, dbs: list[Any], ctx: Context) -> None:
    """The same random staff actions on both databases (refusals are fine: both refuse)."""
    rows = fetch_dicts(dbs[0], "SELECT uid, due FROM tasks WHERE status != 'withdrawn'")
    if not rows:
        return
    for _ in range(data.draw(st.integers(0, 6))):
        row = data.draw(st.sampled_from(rows))
        act = data.draw(st.sampled_from(["start", "done", "block", "postpone", "note", "undo"]))
        days = data.draw(st.integers(1, 30))
        outcomes = []
        for db in dbs:
            try:
                if act in ("start", "done"):
                    getattr(actions, act)(db, ctx, [row["uid"]])
                elif act == "block":
                    actions.block(db, ctx, [row["uid"]], "缺资金")
                elif act == "postpone":
                    due = date.fromisoformat(row["due"]) + timedelta(days=days)
                    actions.postpone(db, ctx, row["uid"], due, "等上级文件")
                elif act == "note":
                    actions.note(db, ctx, row["uid"], "进展说明")
                else:
                    actions.undo(db, ctx)
                outcomes.append("ok")
            except TrackerError as e:
                outcomes.append(type(e).__name__)
        assert outcomes[0] == outcomes[1], (act, outcomes)


def table(db: Any, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db.conn.execute(sql)]


TASKS = "SELECT * FROM tasks ORDER BY id"
# recorded_at is the wall clock (people.md): the two runs compared take place seconds apart
EVENTS = (
    "SELECT id, batch, task_id, at, user, action, before, after, note, undone_by"
    " FROM events ORDER BY id"
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), units=units_st)
def test_template_reload_equals_row_by_row_reload(data: st.DataObject, units: list[str]) -> None:
    COUNTS["reload_examples"] += 1
    spec = CalSpec(units=list(units), camps=[])
    spec.camps.append(new_camp(data, spec))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.toml"
        fast, slow = open_db(Path(tmp) / "fast.db"), open_db(Path(tmp) / "slow.db")
        ctx = Clock(db_path=Path(tmp) / "fast.db", user="staff", lang="en", today=date(2020, 6, 1))
        history: list[CalSpec] = []
        for step in range(data.draw(st.integers(2, 7))):
            if step and data.draw(st.integers(0, 3)) == 0:  # back to an earlier plan: restores
                spec = copy.deepcopy(data.draw(st.sampled_from(history)))
            elif step:
                for _ in range(data.draw(st.integers(1, 3))):
                    edit_more(data, spec)
            history.append(copy.deepcopy(spec))
            path.write_text(spec.toml(), encoding="utf-8")
            full = read_plan(path)
            plain = Expansion(plan=full.plan, instances=full.instances)
            a = load_expansion(fast, read_plan_lazy(path), ctx).as_json()
            b = load_expansion(slow, plain, ctx).as_json()
            COUNTS["reloads"] += 2
            assert a | {"backup": None} == b | {"backup": None}
            cols = [d[1] for d in fast.conn.execute("PRAGMA table_info(tasks)")]
            hash_at = cols.index("fingerprint")
            rows_a = [r[:hash_at] + r[hash_at + 1 :] for r in table(fast, TASKS)]
            rows_b = [r[:hash_at] + r[hash_at + 1 :] for r in table(slow, TASKS)]
            assert rows_a == rows_b
            assert table(fast, EVENTS) == table(slow, EVENTS)
            work_both(data, [fast, slow], ctx)
        fast.conn.close()
        slow.conn.close()
